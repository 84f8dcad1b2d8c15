"""Text helpers shared by every app's search: Vietnamese without diacritics, lower case.

"ĐẦU TƯ", "đầu tư" and "dau tu" all normalise to "dau tu", so a search typed without diacritics
(common on phones and old keyboards) finds what it should."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()
