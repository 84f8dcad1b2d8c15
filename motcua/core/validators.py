"""Checks shared by every app: digits typed in another script, the sane range of any date entered, and
the length limits of free text. Messages are Vietnamese.

- Digits: citizen IDs, tax codes and phone numbers typed with fullwidth (０-９) or Arabic-Indic (٠-٩, ۰-۹)
  digits are normalised to ASCII before they are checked, and stored in ASCII (`ascii_digits`).
- Dates: every date entered in a form or the API must lie between DATE_MIN and DATE_MAX (01/01/1900 to
  31/12/2100). `install_date_range()` (called by core's AppConfig.ready) adds the one validator to every
  Django form DateField/DateTimeField and every DRF DateField/DateTimeField; services that parse dates
  themselves call `date_check`.
- Free text: NOTE_MAX (notes, reasons), CONTENT_MAX (PAKN content, answers, long descriptions),
  SUMMARY_MAX (summaries, titles of records) characters; `text_check` for services.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from .errors import ValidationFailed

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
DATE_RANGE_MESSAGE = gettext_lazy("Ngày phải từ 01/01/1900 đến 31/12/2100.")

NOTE_MAX = 2000
SUMMARY_MAX = 1000
CONTENT_MAX = 10000


def ascii_digits(value: str) -> str:
    """The text with fullwidth forms folded (NFKC) and every Unicode decimal digit written in ASCII."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in value)


def ascii_int(value, *, max_digits: int = 18) -> int | None:
    """A non-negative integer written in ASCII digits only (at most max_digits of them), else None.

    For ids and numbers taken from user input: str.isdigit() is also true of "²" and other digits int()
    refuses, and a 5,000-digit string makes int() raise, so neither may guard int()."""
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def validate_date_range(value) -> None:
    """Django/DRF validator: a date (or the date of a moment) between DATE_MIN and DATE_MAX."""
    day = _as_date(value)
    if day is not None and not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def date_check(value, *, field: str):
    """For services: ValidationFailed for the field unless the date lies in the sane range."""
    try:
        validate_date_range(value)
    except ValidationError:
        raise ValidationFailed(fields={field: [str(DATE_RANGE_MESSAGE)]}) from None
    return value


def _thousands(n: int) -> str:
    """1.548 in Vietnamese, 1,548 in English (the active language's separator)."""
    return number_format(n, force_grouping=True)


def text_check(value: str | None, *, field: str, limit: int) -> str:
    """For services: ValidationFailed for the field when the text is longer than the limit."""
    value = value or ""
    if len(value) > limit:
        raise ValidationFailed(
            fields={
                field: [
                    _("Tối đa %(limit)s ký tự (đã nhập %(length)s ký tự).")
                    % {"limit": _thousands(limit), "length": _thousands(len(value))}
                ]
            }
        )
    return value


FORM_MAX_LENGTH_MESSAGE = gettext_lazy("Tối đa %(limit_value)d ký tự (đã nhập %(show_value)d ký tự).")
API_MAX_LENGTH_MESSAGE = gettext_lazy("Tối đa {max_length} ký tự.")


def form_text(limit: int) -> dict:
    """Keyword arguments of a Django form CharField holding free text of at most `limit` characters."""
    return {"max_length": limit, "error_messages": {"max_length": FORM_MAX_LENGTH_MESSAGE}}


def api_text(limit: int) -> dict:
    """Keyword arguments of a DRF CharField holding free text of at most `limit` characters."""
    return {"max_length": limit, "error_messages": {"max_length": API_MAX_LENGTH_MESSAGE}}


def install_date_range() -> None:
    """Add validate_date_range to the default validators of Django's and DRF's date and date-time
    fields, once: every date entered anywhere is checked by the one validator."""
    for cls in (forms.DateField, forms.DateTimeField, serializers.DateField, serializers.DateTimeField):
        validators = list(getattr(cls, "default_validators", []))
        if validate_date_range not in validators:
            cls.default_validators = [*validators, validate_date_range]
