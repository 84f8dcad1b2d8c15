"""Search text of the catalog: the project's one word rule, `motcua.core.text` (no diacritics, lower case,
punctuation as spaces, dots kept for codes such as 1.009664), re-exported for the catalog's modules."""

from motcua.core.text import normalize, search_text, search_words

__all__ = ["normalize", "search_words", "search_text"]
