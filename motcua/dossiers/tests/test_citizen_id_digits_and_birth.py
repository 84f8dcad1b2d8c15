"""Citizen ID (CCCD): digits typed in another script are normalised to ASCII before the check and stored
in ASCII; the century/sex digit and the birth-year digits must give a year that is not in the future nor
more than 150 years ago, and must agree with the date of birth; a date of birth in the future is refused."""

from datetime import date, timedelta

import pytest

from motcua.core.errors import ValidationFailed
from motcua.dossiers.models import Dossier
from motcua.dossiers.validators import applicant_clean, citizen_id_check, phone_check, tax_code_check

from .factories import World

FULLWIDTH = "０３１１８５００１２３４"  # 031185001234 typed with an East Asian keyboard
ARABIC_INDIC = "٠٣١١٨٥٠٠١٢٣٤"
EXTENDED_ARABIC_INDIC = "۰۳۱۱۸۵۰۰۱۲۳۴"
TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    "typed",
    [FULLWIDTH, ARABIC_INDIC, EXTENDED_ARABIC_INDIC, "０３１ １８５ ００１ ２３４"],
    ids=["fullwidth", "arabic-indic", "extended-arabic-indic", "fullwidth-spaced"],
)
def test_digits_of_another_script_are_normalised_to_ascii(typed):
    value = citizen_id_check(typed, today=TODAY)
    assert value == "031185001234" and value.isascii()


def test_tax_codes_and_phones_are_normalised_too():
    assert tax_code_check("０１０１２３４５６７－００１") == "0101234567-001"
    assert phone_check("٠٩١٢٣٤٥٦٧٨") == "0912345678"


@pytest.mark.parametrize("value, year", [("001290012345", 2090), ("001499012345", 2199), ("001899012345", 2399)])
def test_a_birth_year_in_the_future_is_refused(value, year):
    with pytest.raises(ValidationFailed) as exc:
        citizen_id_check(value, today=TODAY)
    assert f"năm sinh {year}, là năm ở tương lai" in exc.value.fields["id_number"][0]


def test_a_birth_year_more_than_150_years_ago_is_refused():
    assert citizen_id_check("001090012345", today=date(2040, 1, 1))  # 1990
    with pytest.raises(ValidationFailed) as exc:
        citizen_id_check("001070012345", today=date(2221, 1, 1))  # digit 0 → 1970: 251 years before
    assert "quá 150 năm trước" in exc.value.fields["id_number"][0]


@pytest.mark.parametrize(
    "value, birth",
    [
        ("001090012345", date(1991, 5, 1)),  # year digits 90, born 1991
        ("001203012345", date(1903, 5, 1)),  # century digit 2 (2000s: 2003), born 1903
        ("001105012345", date(2005, 5, 1)),  # century digit 1 (1900s, female: 1905), born 2005
    ],
)
def test_century_or_year_digits_that_disagree_with_the_birth_date_are_refused(value, birth):
    with pytest.raises(ValidationFailed) as exc:
        citizen_id_check(value, birth_date=birth, today=TODAY)
    assert "không khớp với năm sinh" in exc.value.fields["id_number"][0]


def test_matching_century_and_year_digits_pass():
    assert citizen_id_check("001185012345", birth_date=date(1985, 1, 1), today=TODAY)  # 1: female, 1900s
    assert citizen_id_check("001305012345", birth_date=date(2005, 1, 1), today=TODAY)  # 3: female, 2000s


def test_a_birth_date_in_the_future_is_refused():
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        applicant_clean({"full_name": "Trần Thị Bình", "birth_date": tomorrow.isoformat(), "id_number": "031185001234"})
    assert exc.value.fields["birth_date"] == ["Ngày sinh không được sau ngày hôm nay."]
    with pytest.raises(ValidationFailed) as exc:
        applicant_clean({"full_name": "Trần Thị Bình", "birth_date": "1850-01-01", "id_number": "031185001234"})
    assert "quá 150 năm trước" in exc.value.fields["birth_date"][0]


@pytest.mark.django_db
def test_the_api_stores_the_ascii_form_and_answers_field_errors(client):
    world = World()
    client.force_login(world.officer)
    applicant = {"kind": "individual", "full_name": "Trần Thị Bình", "id_number": FULLWIDTH, "birth_date": "1985-03-04"}
    body = {"procedure": world.code, "channel": "counter", "applicant": applicant}
    created = client.post("/api/v1/dossiers/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["applicant"]["id_number"] == "031185001234"
    assert Dossier.objects.get().applicant_id_number == "031185001234"
    future = {**applicant, "id_number": "031185001234", "birth_date": "2099-01-01"}
    refused = client.post("/api/v1/dossiers/", {**body, "applicant": future}, content_type="application/json")
    assert refused.status_code == 400
    fields = refused.json()["fields"]
    assert fields["birth_date"] == ["Ngày sinh không được sau ngày hôm nay."]
    assert Dossier.objects.count() == 1
