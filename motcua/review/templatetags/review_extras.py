from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """A share in [0, 1] as a Vietnamese percentage (0.2345 → "23,5%"); "—" when there is none."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}".replace(".", ",") + "%"


@register.filter
def vnd(value) -> str:
    """1234567 → "1.234.567 đồng"."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".") + " đồng"


@register.filter
def num(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
