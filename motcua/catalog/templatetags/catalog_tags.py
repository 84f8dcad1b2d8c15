from decimal import Decimal

from django import template

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


@register.filter
def illustrative_labels(keys) -> str:
    return ", ".join(ILLUSTRATIVE_LABELS.get(k, k) for k in keys or [])
