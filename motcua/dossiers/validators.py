"""Checks of applicant data and uploaded files. Each returns the normalised value or raises
ValidationFailed with a Vietnamese message for the named field."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from motcua.core.errors import ValidationFailed
from motcua.core.uploads import STAFF_TYPES, upload_check_field
from motcua.core.validators import ascii_digits

# ASCII digits only ([0-9], not \d, which matches every script's digits): input is normalised first.
CITIZEN_ID_RE = re.compile(r"^[0-9]{12}$")
TAX_CODE_RE = re.compile(r"^([0-9]{10})(?:-([0-9]{3}))?$")
PHONE_RE = re.compile(r"^(?:\+84|0)[0-9]{9,10}$")
# Oldest age accepted for a birth date or the birth year written in a citizen ID.
MAX_AGE_YEARS = 150


def _fail(field: str, message: str):
    raise ValidationFailed(fields={field: [message]})


def citizen_id_check(value: str, *, birth_date: date | None = None, field: str = "id_number", today: date | None = None) -> str:
    """A 12-digit personal identification number (CCCD): 3 digits of the province of birth registration
    (001–096), 1 digit of sex and century (0/1: 1900s, 2/3: 2000s, 4/5: 2100s, 6/7: 2200s, 8/9: 2300s —
    Circular 59/2021/TT-BCA), 2 digits of the birth year, 6 serial digits. Digits typed in another script
    (fullwidth, Arabic-Indic) are normalised to ASCII and the ASCII form is returned. The birth year the
    number carries must not be in the future nor more than MAX_AGE_YEARS ago; when the date of birth is
    known, it must agree with it."""
    value = ascii_digits(value).strip().replace(" ", "")
    if not CITIZEN_ID_RE.match(value):
        _fail(field, "Số định danh cá nhân phải gồm đúng 12 chữ số.")
    province = int(value[:3])
    if not 1 <= province <= 96:
        _fail(field, "Ba chữ số đầu (mã nơi đăng ký khai sinh) không hợp lệ.")
    year = 1900 + 100 * (int(value[3]) // 2) + int(value[4:6])
    this_year = (today or date.today()).year
    if year > this_year:
        _fail(field, f"Chữ số thứ 4 (thế kỷ) và chữ số 5–6 (năm sinh) cho năm sinh {year}, là năm ở tương lai.")
    if this_year - year > MAX_AGE_YEARS:
        _fail(field, f"Chữ số thứ 4 (thế kỷ) và chữ số 5–6 (năm sinh) cho năm sinh {year}, quá {MAX_AGE_YEARS} năm trước.")
    if birth_date is not None and year != birth_date.year:
        _fail(
            field,
            f"Số định danh cá nhân không khớp với năm sinh (số định danh cho năm {year}, "
            f"ngày sinh đã nhập năm {birth_date.year}).",
        )
    return value


def birth_date_check(value: date, *, field: str = "birth_date", today: date | None = None) -> date:
    """A date of birth: not in the future, not more than MAX_AGE_YEARS ago."""
    today = today or date.today()
    if value > today:
        _fail(field, "Ngày sinh không được sau ngày hôm nay.")
    if today.year - value.year > MAX_AGE_YEARS:
        _fail(field, f"Ngày sinh quá {MAX_AGE_YEARS} năm trước, vui lòng kiểm tra lại.")
    return value


def tax_code_check(value: str, *, field: str = "tax_code") -> str:
    """Enterprise / tax code: 10 digits, or 13 for a dependent unit written 10 digits, hyphen, 3 digits
    (e.g. 0101234567 or 0101234567-001). The check digit is not verified (rule unconfirmed)."""
    value = ascii_digits(value).strip().replace(" ", "")
    match = TAX_CODE_RE.match(value)
    if not match:
        _fail(field, "Mã số doanh nghiệp/mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số.")
    if match.group(2) == "000":
        _fail(field, "Ba chữ số của đơn vị phụ thuộc phải từ 001 đến 999.")
    return value


def phone_check(value: str, *, field: str = "phone") -> str:
    value = re.sub(r"[\s.\-()]", "", ascii_digits(value))
    if value and not PHONE_RE.match(value):
        _fail(field, "Số điện thoại không hợp lệ (ví dụ 0912345678).")
    return value


def email_check(value: str, *, field: str = "email") -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            _fail(field, "Địa chỉ thư điện tử không hợp lệ.")
    return value


def applicant_clean(data: dict) -> dict:
    """Validate applicant data (API/form shape) and return the Dossier field values.

    Shape: {"kind": "individual"|"organisation", "full_name"|"name", "id_number", "birth_date",
    "tax_code", "representative", "address", "phone", "email",
    "authorised": {"full_name", "id_number", "phone"}}. All errors are reported together."""
    errors: dict[str, list[str]] = {}

    def run(field, func, *args, **kwargs):
        try:
            return func(*args, field=field, **kwargs)
        except ValidationFailed as exc:
            for k, v in exc.fields.items():
                errors.setdefault(k, []).extend(v)
            return ""

    kind = data.get("kind") or "individual"
    if kind not in ("individual", "organisation"):
        errors["kind"] = ["Loại người nộp phải là individual hoặc organisation."]
    name = (data.get("full_name") or data.get("name") or "").strip()
    if not name:
        errors["full_name"] = ["Bắt buộc nhập tên người nộp / tổ chức."]
    birth = data.get("birth_date") or None
    if isinstance(birth, str):
        try:
            birth = date.fromisoformat(birth)
        except ValueError:
            errors["birth_date"] = ["Ngày sinh không hợp lệ (YYYY-MM-DD)."]
            birth = None
    if birth is not None:
        birth = run("birth_date", birth_date_check, birth) or None
    values = {
        "applicant_kind": kind,
        "applicant_name": name[:255],
        "applicant_birth_date": birth,
        "applicant_address": (data.get("address") or "").strip()[:500],
        "applicant_phone": run("phone", phone_check, data.get("phone") or ""),
        "applicant_email": run("email", email_check, data.get("email") or ""),
        "applicant_id_number": "",
        "applicant_tax_code": "",
        "applicant_representative": "",
    }
    if kind == "individual":
        values["applicant_id_number"] = run("id_number", citizen_id_check, data.get("id_number") or "", birth_date=birth)
    elif kind == "organisation":
        values["applicant_tax_code"] = run("tax_code", tax_code_check, data.get("tax_code") or "")
        values["applicant_representative"] = (data.get("representative") or "").strip()[:255]
        if not values["applicant_representative"]:
            errors.setdefault("representative", []).append("Bắt buộc nhập người đại diện theo pháp luật.")
    authorised = data.get("authorised") or {}
    values["authorised_name"] = (authorised.get("full_name") or "").strip()[:255]
    values["authorised_id_number"] = ""
    values["authorised_phone"] = ""
    if values["authorised_name"]:
        values["authorised_id_number"] = run("authorised.id_number", citizen_id_check, authorised.get("id_number") or "")
        values["authorised_phone"] = run("authorised.phone", phone_check, authorised.get("phone") or "")
    if errors:
        raise ValidationFailed(fields=errors)
    return values


def upload_check(upload, *, field: str = "file") -> tuple[str, str, str, int]:
    """Check an uploaded file with the one upload policy (`motcua.core.uploads`: type by content, parsed,
    size, no embedded executable). Returns (content_type, extension, sha256, size)."""
    checked = upload_check_field(upload, field=field, types=STAFF_TYPES)
    return checked.content_type, checked.extension, checked.sha256, checked.size
