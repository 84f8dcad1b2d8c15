"""Search text: Vietnamese without diacritics, lower case, single spaces ("ĐẦU TƯ" → "dau tu")."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(value: str | None) -> str:
    """Strip diacritics (đ/Đ → d), lower-case and collapse whitespace."""
    if not value:
        return ""
    text = value.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text.lower()).strip()
