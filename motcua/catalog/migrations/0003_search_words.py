"""Search by words: the search text becomes words (punctuation → spaces) and, on PostgreSQL, a GIN
full-text index ('simple' configuration) answers "every query word starts a word of the text"; it
replaces the trigram index of 0002."""

import re
import unicodedata

from django.db import migrations

_NOT_WORD = re.compile(r"[^0-9a-z.]+")


def _words(value):
    text = (value or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn").lower()
    return " ".join(w for w in _NOT_WORD.sub(" ", text).split(" ") if w.strip("."))


def recompute(apps, schema_editor):
    Version = apps.get_model("catalog", "ProcedureVersion")
    batch = []
    for v in Version.objects.select_related("procedure").only("id", "name", "procedure__code").iterator(chunk_size=1000):
        v.search_text = f"{_words(v.name)} {_words(v.procedure.code)}".strip()
        batch.append(v)
        if len(batch) == 1000:
            Version.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Version.objects.bulk_update(batch, ["search_text"])


def fts_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS catalog_version_search_trgm")
        cursor.execute("CREATE INDEX IF NOT EXISTS catalog_version_search_fts ON catalog_procedureversion "
                       "USING gin (to_tsvector('simple'::regconfig, search_text))")


def drop_fts_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS catalog_version_search_fts")


class Migration(migrations.Migration):

    dependencies = [("catalog", "0002_search_index")]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
        migrations.RunPython(fts_index, drop_fts_index),
    ]
