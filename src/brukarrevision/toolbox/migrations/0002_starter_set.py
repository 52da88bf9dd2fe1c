"""The toolbox's starter set (toolbox/starter.py): twelve entries in Swedish, each with an
easy-to-read version. An entry that already exists (by its slug) is left as it is."""

from django.db import migrations


def load(apps, schema_editor):
    from brukarrevision.toolbox.starter import ENTRIES

    entry_model = apps.get_model("toolbox", "Entry")
    for data in ENTRIES:
        fields = {key: value for key, value in data.items() if key != "slug"}
        entry_model.objects.get_or_create(slug=data["slug"], defaults=fields)


def unload(apps, schema_editor):
    from brukarrevision.toolbox.starter import ENTRIES

    apps.get_model("toolbox", "Entry").objects.filter(
        slug__in=[data["slug"] for data in ENTRIES], updated_by__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("toolbox", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
