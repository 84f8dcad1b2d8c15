"""Masking of personal data on public pages (Decree 13/2023/NĐ-CP): enough for the applicant to
recognise their dossier, not enough to learn anything about someone else's."""


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' → 'Nguyễn V** A*': the first word stays, the others keep their first letter."""
    words = (name or "").split()
    if not words:
        return "Ẩn danh"
    head, rest = words[0], words[1:]
    if not rest:
        return head[:1] + "*" * max(len(head) - 1, 2)
    return " ".join([head, *(w[:1] + "*" * max(len(w) - 1, 1) for w in rest)])


def mask_id(value: str) -> str:
    """'001204012789' → '******789': the last three characters only, with a fixed-width mask so the
    length of the number is not revealed either."""
    value = (value or "").strip()
    if not value:
        return ""
    return "******" + value[-3:]


def mask_phone(value: str) -> str:
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if not digits:
        return ""
    return "*******" + digits[-3:]


def mask_email(value: str) -> str:
    if not value or "@" not in value:
        return ""
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_address(value: str) -> str:
    """Keep only the last part of an address (district/province), e.g. '…, tỉnh Hà Tĩnh'."""
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    if not parts:
        return ""
    return "…, " + parts[-1] if len(parts) > 1 else "…"
