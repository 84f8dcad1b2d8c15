"""On PostgreSQL, a GIN full-text index ('simple' configuration) on the pages' search text, as the catalog's
(catalog migration 0003): it answers "every query word starts a word of the page" (core.text.words_q)."""

from django.db import migrations


def fts_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS digitisation_ocrpage_search_fts ON digitisation_ocrpage "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def drop_fts_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS digitisation_ocrpage_search_fts")


class Migration(migrations.Migration):
    dependencies = [("digitisation", "0001_initial")]

    operations = [migrations.RunPython(fts_index, drop_fts_index)]
