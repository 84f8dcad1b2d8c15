from datetime import datetime
from decimal import Decimal

from django import template

from motcua.workcalendar.selectors import office_spans

register = template.Library()

ILLUSTRATIVE_LABELS = {
    "legal_time": "thời hạn theo quy định",
    "committed_time": "thời hạn cam kết",
    "online_level": "mức độ dịch vụ công trực tuyến",
    "legal_basis": "căn cứ pháp lý",
    "history": "lịch sử công bố, bãi bỏ",
}


@register.filter
def amount(value) -> str:
    """A time amount the Vietnamese way, without trailing zeros: 7.50 → "7,5", 12.00 → "12"."""
    if value in (None, ""):
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def _hours_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours} giờ"] if hours else []) + ([f"{rest} phút"] if rest else [])
    return " ".join(parts)


@register.filter
def duration(value, unit: str = "working_days") -> str:
    """A procedure's time the way people read it: 11.25 working days → "11 ngày 2 giờ làm việc" (the part
    of a day in office hours, as the deadline calculation counts it, rounded to the half hour); 5 → "5 ngày
    làm việc"; 4.5 working hours → "4 giờ 30 phút làm việc"; calendar days → "15 ngày"."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    if unit == "calendar_days":
        return f"{_plain(amount)} ngày"
    if unit == "working_hours":
        minutes = int((amount * 60 / 30).to_integral_value()) * 30
        return f"{_hours_minutes(minutes) or '0 giờ'} làm việc"
    days = int(amount)
    day_minutes = sum(
        (datetime.combine(datetime.min, b) - datetime.combine(datetime.min, a)).seconds // 60 for a, b in office_spans()
    )
    minutes = int(((amount - days) * day_minutes / 30).to_integral_value()) * 30
    if minutes >= day_minutes:
        days, minutes = days + 1, 0
    parts = ([f"{days} ngày"] if days or not minutes else []) + ([_hours_minutes(minutes)] if minutes else [])
    return " ".join(parts) + " làm việc"


def _plain(amount: Decimal) -> str:
    return f"{amount.normalize():f}".replace(".", ",")


@register.filter
def illustrative_labels(keys) -> str:
    return ", ".join(ILLUSTRATIVE_LABELS.get(k, k) for k in keys or [])
