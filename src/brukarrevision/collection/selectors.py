"""Reading collection: progress against the sample plan, computed by the database."""

from dataclasses import dataclass, field

from django.db.models import Count

from brukarrevision.audits.models import Audit

from .models import Channel, Response


@dataclass
class ProgressRow:
    unit: object
    target_group: object
    quota: int | None
    by_channel: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_channel.values())

    @property
    def reached(self) -> bool:
        return self.quota is not None and self.total >= self.quota


def progress(audit: Audit) -> list[ProgressRow]:
    counts = (
        Response.objects.filter(audit=audit)
        .values("unit", "target_group", "channel")
        .annotate(n=Count("pk"))
    )
    quotas = {(q.unit_id, q.target_group_id): q.target for q in audit.quotas.all()}
    rows = {}
    for unit in audit.units.order_by("name"):
        for group in audit.target_groups.all():
            rows[(unit.pk, group.pk)] = ProgressRow(
                unit, group, quotas.get((unit.pk, group.pk)), {c: 0 for c in Channel.values}
            )
    for count in counts:
        row = rows.get((count["unit"], count["target_group"]))
        if row is not None:
            row.by_channel[count["channel"]] = count["n"]
    return list(rows.values())
