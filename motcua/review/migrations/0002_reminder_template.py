from django.db import migrations


def forwards(apps, schema_editor):
    from motcua.review.defaults import ensure_reminder_template

    ensure_reminder_template(apps.get_model("notifications", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("notifications", "0004_message_sending_state_and_message_id"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
