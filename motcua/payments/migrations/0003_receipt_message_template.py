from django.db import migrations


def create(apps, schema_editor):
    from motcua.notifications.defaults import ensure_default_templates

    ensure_default_templates(apps.get_model("notifications", "MessageTemplate"))  # adds "payment_receipt"


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_receipt"), ("notifications", "0004_message_sending_state_and_message_id")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
