"""Every installation gets the default certification checklist (default_checklist.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from brukarrevision.certification.default_checklist import install

    Checklist = apps.get_model("certification", "Checklist")
    Criterion = apps.get_model("certification", "Criterion")
    if not Checklist.objects.filter(organisation__isnull=True).exists():
        install(Checklist, Criterion)


def unload(apps, schema_editor):
    Checklist = apps.get_model("certification", "Checklist")
    Checklist.objects.filter(organisation__isnull=True, certifications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
