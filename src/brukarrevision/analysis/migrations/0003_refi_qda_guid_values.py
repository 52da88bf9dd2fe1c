import uuid

from django.db import migrations


def give_each_row_a_guid(apps, schema_editor):
    """Existing codes and themes each get their own GUID (a default would give them all one)."""
    for name in ("Code", "Theme"):
        model = apps.get_model("analysis", name)
        for row in model.objects.filter(guid__isnull=True).only("pk"):
            row.guid = uuid.uuid4()
            row.save(update_fields=["guid"])


class Migration(migrations.Migration):
    """Apart from the schema changes before and after it, as PostgreSQL wants."""

    dependencies = [
        ('analysis', '0002_refi_qda_guid_color'),
    ]

    operations = [
        migrations.RunPython(give_each_row_a_guid, migrations.RunPython.noop),
    ]
