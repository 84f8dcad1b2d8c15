"""Applicant data is checked: 12-digit citizen ID (consistent with the birth year when given),
enterprise/tax code of 10 or 13 digits, phone and e-mail."""

from datetime import date

import pytest

from motcua.core.errors import ValidationFailed
from motcua.dossiers.validators import applicant_clean, citizen_id_check, phone_check, tax_code_check


@pytest.mark.parametrize("value", ["001090012345", "079203001234", " 001 090 012 345 "])
def test_valid_citizen_ids(value):
    assert len(citizen_id_check(value)) == 12


@pytest.mark.parametrize("value", ["", "12345", "0010900123456", "00109001234a", "000090012345", "097090012345"])
def test_invalid_citizen_ids(value):
    with pytest.raises(ValidationFailed) as exc:
        citizen_id_check(value)
    assert "id_number" in exc.value.fields


def test_citizen_id_must_agree_with_the_birth_year():
    assert citizen_id_check("001090012345", birth_date=date(1990, 5, 1))  # digit 0 → 1900s, "90"
    assert citizen_id_check("001203012345", birth_date=date(2003, 5, 1))  # digit 2 → 2000s, "03"
    with pytest.raises(ValidationFailed):
        citizen_id_check("001090012345", birth_date=date(1991, 5, 1))
    with pytest.raises(ValidationFailed):
        citizen_id_check("001290012345", birth_date=date(1990, 5, 1))


@pytest.mark.parametrize("value", ["0101234567", "0101234567-001", "4000123456-999"])
def test_valid_tax_codes(value):
    assert tax_code_check(value) == value


@pytest.mark.parametrize(
    "value", ["", "010123456", "01012345678", "0101234567001", "0101234567-000", "0101234567-01", "ABCDEFGHIJ"]
)
def test_invalid_tax_codes(value):
    with pytest.raises(ValidationFailed) as exc:
        tax_code_check(value)
    assert "tax_code" in exc.value.fields


def test_phone_numbers():
    assert phone_check("0912 345 678") == "0912345678"
    assert phone_check("+84912345678") == "+84912345678"
    with pytest.raises(ValidationFailed):
        phone_check("12345")


def test_organisation_needs_tax_code_and_representative_and_all_errors_come_together():
    with pytest.raises(ValidationFailed) as exc:
        applicant_clean({"kind": "organisation", "name": "Công ty TNHH A", "tax_code": "123", "email": "bad", "phone": "1"})
    assert set(exc.value.fields) == {"tax_code", "representative", "email", "phone"}
    values = applicant_clean(
        {"kind": "organisation", "name": "Công ty TNHH A", "tax_code": "0101234567-001", "representative": "Lê Văn C"}
    )
    assert values["applicant_tax_code"] == "0101234567-001"
    assert values["applicant_id_number"] == ""


def test_authorised_person_is_checked():
    with pytest.raises(ValidationFailed) as exc:
        applicant_clean({"full_name": "A", "id_number": "001090012345", "authorised": {"full_name": "B", "id_number": "1"}})
    assert "authorised.id_number" in exc.value.fields
