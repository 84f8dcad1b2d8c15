"""Masking of personal data shown on public pages (Decree 13/2023/NĐ-CP: show no more than needed)."""


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' → 'Nguyễn V. A.': the family name stays, the other words become initials."""
    words = (name or "").split()
    if not words:
        return "Ẩn danh"
    if len(words) == 1:
        return words[0][0] + "***"
    return " ".join([words[0], *(w[0] + "." for w in words[1:])])


def mask_phone(phone: str) -> str:
    """'0912 345 678' → '091****678': the first three and last three digits stay."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit() or ch == "+")
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def mask_email(email: str) -> str:
    """'nguyen.an@example.vn' → 'n***@e***.vn'."""
    if not email or "@" not in email:
        return ""
    local, _, domain = email.partition("@")
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    masked_domain = (host[:1] + "***" + (("." + tld) if tld else "")) if host else domain
    return f"{local[:1]}***@{masked_domain}"
