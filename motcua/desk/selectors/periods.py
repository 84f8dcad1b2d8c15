"""The moments a reporting period covers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from motcua.core.errors import NotFoundError


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time: the period includes both dates."""
    if end < start:
        raise NotFoundError("Kỳ báo cáo không hợp lệ: ngày kết thúc trước ngày bắt đầu.")
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )
