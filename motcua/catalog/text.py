"""Search text of the catalog: Vietnamese without diacritics, lower case ("ĐẦU TƯ" → "dau tu").

The normalisation is shared with the other apps (motcua.core.text), so every search agrees. For the
catalog, punctuation is also turned into spaces (dots stay, for codes such as 1.009664), so the search
text is a list of words and a query matches words that start with each of its words."""

import re

from motcua.core.text import normalize

__all__ = ["normalize", "search_words", "search_text"]

_NOT_WORD = re.compile(r"[^0-9a-z.]+")


def search_text(value: str | None) -> str:
    """Words of `value`: unaccented, lower case, separated by single spaces."""
    return " ".join(w for w in _NOT_WORD.sub(" ", normalize(value)).split(" ") if w.strip("."))


def search_words(value: str | None) -> list[str]:
    """The words of a query; none for punctuation only ("'", "%", "&"), so the search lists everything."""
    return search_text(value).split()
