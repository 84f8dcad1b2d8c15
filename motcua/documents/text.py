"""Diacritics-insensitive text for search: 'Quyết định Đầu tư' and 'quyet dinh dau tu' match."""

import unicodedata


def normalize(value: str | None) -> str:
    """NFD, drop combining marks, đ→d, lower case, collapse whitespace."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.lower().split())
