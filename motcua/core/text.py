"""Text helpers shared by every app's search: Vietnamese without diacritics, lower case, and the one word rule.

"ĐẦU TƯ", "đầu tư" and "dau tu" all normalise to "dau tu", so a search typed without diacritics
(common on phones and old keyboards) finds what it should. A searchable record keeps `search_text(value)` in a
column (punctuation, apostrophes and other symbols turned into spaces; dots stay, for codes such as 1.009664),
and a query matches when every one of its `search_words` starts a word of that column (`words_q`): the public
catalogue search and the staff search inside scanned papers answer by this one rule."""

import re
import unicodedata

from django.db import connection
from django.db.models import BooleanField, Model, Q
from django.db.models.expressions import RawSQL

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z.]+")


def normalize(text: str | None) -> str:
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def search_text(value: str | None) -> str:
    """Words of `value`: unaccented, lower case, only [0-9a-z.], separated by single spaces."""
    return " ".join(w for w in _NOT_WORD.sub(" ", normalize(value)).split(" ") if w.strip("."))


def search_words(value: str | None) -> list[str]:
    """The words of a query; none for punctuation only ("'", "%", "&"): the caller decides what no words means."""
    return search_text(value).split()


def words_q(words: list[str], *, model: type[Model], field: str = "search_text") -> Q:
    """Every word of `words` (from `search_words`) starts a word of `model.field` (a column holding
    `search_text`). PostgreSQL: a prefix full-text query that the GIN index on
    to_tsvector('simple'::regconfig, field) of the model's migration answers ('simple': no stemming, no stop
    words); other databases: LIKE."""
    if any(_NOT_WORD.search(w) for w in words):
        raise ValueError("words_q takes search_words(query), not raw text")
    if connection.vendor == "postgresql":
        column = f'"{model._meta.db_table}"."{model._meta.get_field(field).column}"'
        tsquery = " & ".join(f"'{w}':*" for w in words)  # only [0-9a-z.]: nothing to quote
        sql = f"to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, %s)"
        return Q(RawSQL(sql, (tsquery,), output_field=BooleanField()))
    q = Q()
    for word in words:
        q &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": " " + word})
    return q
