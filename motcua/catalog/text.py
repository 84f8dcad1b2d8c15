"""Search text of the catalog: Vietnamese without diacritics, lower case ("ĐẦU TƯ" → "dau tu").

The normalisation is shared with the other apps (motcua.core.text), so every search agrees."""

from motcua.core.text import normalize

__all__ = ["normalize"]
