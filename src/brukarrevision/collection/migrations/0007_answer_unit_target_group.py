"""Each answer carries its response's unit and target group (a copy), so that results broken
down by unit or group need not join every answer to its response. Filled in for the answers
already stored, in one UPDATE, before the columns become NOT NULL.

On PostgreSQL, statistics of how many distinct answers there are per item and unit (and per
item and group): without them the planner guesses hundreds of thousands of groups where
there are a few thousand, and counts three million answers in one process instead of in
parallel."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_responses(apps, schema_editor):
    Answer = apps.get_model("collection", "Answer")
    Response = apps.get_model("collection", "Response")
    own = Response.objects.filter(pk=OuterRef("response_id"))
    Answer.objects.using(schema_editor.connection.alias).update(
        unit_id=Subquery(own.values("unit_id")[:1]),
        target_group_id=Subquery(own.values("target_group_id")[:1]),
    )


STATISTICS = {
    "collection_answer_by_unit": "unit_id",
    "collection_answer_by_group": "target_group_id",
}


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in STATISTICS.items():
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {name} (ndistinct) "
            f"ON item_id, choice, number, special, {column} FROM collection_answer"
        )


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in STATISTICS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


def _field(to, null):
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        null=null,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to=to,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_audit_retention"),
        ("organisations", "0002_unit_county"),
        ("collection", "0006_alter_response_channel"),
    ]

    operations = [
        migrations.AddField("answer", "unit", _field("organisations.unit", null=True)),
        migrations.AddField("answer", "target_group", _field("audits.targetgroup", null=True)),
        migrations.RunPython(copy_from_responses, migrations.RunPython.noop, elidable=True),
        migrations.AlterField("answer", "unit", _field("organisations.unit", null=False)),
        migrations.AlterField("answer", "target_group", _field("audits.targetgroup", null=False)),
        migrations.RunPython(create_statistics, drop_statistics),
    ]
