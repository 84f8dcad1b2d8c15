"""The periods of the index: a year (2021), a half-year (2021-H1), a quarter (2021-Q3) or a month (2021-09)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed

# ASCII digits only (re.ASCII): `\d` would also take other scripts' digits ("２０２１"), which int() reads.
_PATTERNS = [
    (re.compile(r"^(\d{4})$", re.ASCII), "year"),
    (re.compile(r"^(\d{4})-[Hh]([12])$", re.ASCII), "half"),
    (re.compile(r"^(\d{4})-[Qq]([1-4])$", re.ASCII), "quarter"),
    (re.compile(r"^(\d{4})-(\d{2})$", re.ASCII), "month"),
]


@dataclass(frozen=True)
class Period:
    key: str  # as written: 2021, 2021-H1, 2021-Q3, 2021-09
    kind: str  # year | half | quarter | month
    start: date
    end: date  # inclusive

    @property
    def lo(self) -> datetime:
        """The period's first moment (local midnight), aware."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def hi(self) -> datetime:
        """The moment after the period (exclusive upper bound), aware."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """The period a text names; ValidationFailed (400) when it names none."""
    value = (text or "").strip()
    for pattern, kind in _PATTERNS:
        m = pattern.match(value)
        if not m:
            continue
        year = int(m.group(1))
        if not 1900 <= year <= 2100:
            break
        if kind == "year":
            return Period(value, kind, date(year, 1, 1), date(year, 12, 31))
        n = int(m.group(2))
        if kind == "half":
            first = 1 if n == 1 else 7
            return Period(f"{year}-H{n}", kind, date(year, first, 1), _month_end(year, first + 5))
        if kind == "quarter":
            first = 3 * (n - 1) + 1
            return Period(f"{year}-Q{n}", kind, date(year, first, 1), _month_end(year, first + 2))
        if 1 <= n <= 12:
            return Period(value, kind, date(year, n, 1), _month_end(year, n))
        break
    raise ValidationFailed(
        fields={"period": [_("Kỳ không hợp lệ: viết năm (2021), nửa năm (2021-H1), quý (2021-Q3) hoặc tháng (2021-09).")]}
    )
