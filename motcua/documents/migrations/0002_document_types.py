from django.db import migrations

from motcua.documents.doctypes import DOCUMENT_TYPES


def seed_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for ordering, (code, name, abbreviation, is_letter) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.update_or_create(
            code=code, defaults={"name": name, "abbreviation": abbreviation, "is_official_letter": is_letter, "ordering": ordering}
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed_types, migrations.RunPython.noop)]
