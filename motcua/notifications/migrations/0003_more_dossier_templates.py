from django.db import migrations


def create(apps, schema_editor):
    from motcua.notifications.defaults import ensure_default_templates

    ensure_default_templates(apps.get_model("notifications", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_default_templates")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
