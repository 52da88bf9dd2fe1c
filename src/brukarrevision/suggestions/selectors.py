"""Reads of the suggestion box: the public list of boxes, a unit's wall and queue, and the
counts per quality area and quarter, with small numbers suppressed as results are."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.instruments.models import QualityArea
from brukarrevision.lib import releasing, suppression
from brukarrevision.organisations.models import Organisation, Unit

from .models import Suggestion

QUARTERS_SHOWN = 8
NO_AREA = ""


def boxes(query: str = "") -> list[tuple[Organisation, list[Unit]]]:
    """Every unit's box, grouped by client organisation; `query` searches unit,
    organisation and municipality names."""
    units = Unit.objects.select_related("client").order_by("client__name", "name")
    query = query.strip()
    if query:
        units = units.filter(
            Q(name__icontains=query)
            | Q(client__name__icontains=query)
            | Q(municipality__icontains=query)
        )
    grouped: dict[int, tuple[Organisation, list[Unit]]] = {}
    for unit in units:
        grouped.setdefault(unit.client_id, (unit.client, []))[1].append(unit)
    return list(grouped.values())


def wall(unit: Unit):
    """Approved suggestions that have an answer: what the public reads."""
    return (
        Suggestion.objects.filter(unit=unit, status=Suggestion.Status.APPROVED)
        .exclude(answer="")
        .order_by("-created_on", "-pk")
    )


def queue(unit: Unit, status: str = ""):
    suggestions = Suggestion.objects.filter(unit=unit).select_related("moderated_by", "answered_by")
    if status:
        suggestions = suggestions.filter(status=status)
    return suggestions.order_by("-created_on", "-pk")


def waiting_counts(unit_ids) -> dict[int, int]:
    rows = (
        Suggestion.objects.filter(unit_id__in=unit_ids, status=Suggestion.Status.NEW)
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    return {row["unit_id"]: row["n"] for row in rows}


# Counts per quality area and quarter ------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class Column:
    """One quarter: the count per quality area (None where hidden) and the total (None if
    the quarter had fewer suggestions than the threshold: then nothing of it is shown)."""

    quarter: Quarter
    counts: dict
    total: int | None
    hidden: frozenset
    current: bool = False


@dataclass(frozen=True)
class CountTable:
    areas: list  # (code, label), NO_AREA last
    columns: list
    threshold: int

    @property
    def rows(self) -> list:
        """For the template: (label, [count or None per quarter])."""
        return [
            (label, [column.counts.get(code) for column in self.columns])
            for code, label in self.areas
        ]

    @property
    def totals(self) -> list:
        return [column.total for column in self.columns]


def suppress_quarter(sizes: dict, limit: int) -> tuple[dict, int | None, frozenset]:
    """One quarter's counts as shown. releasing.first, the rule results use, decides: a
    quarter whose total is under the limit shows nothing; one where it would hide any group
    shows only its total, every area hidden. Hiding only the small groups and their
    complements is not enough here: someone who knows the rule can solve for them (three
    hidden areas known to be under 3 that add up to 6 are 2 each). With every area hidden,
    each could hold any of several numbers (tests/test_suggestions.py checks this against
    every filling that the rule would show the same way)."""
    if not any(sizes.values()):
        return dict(sizes), 0, frozenset()  # nobody wrote: nothing to protect
    table = releasing.first(sizes, limit)
    if not table.published:
        return {code: None for code in sizes}, None, frozenset(sizes)
    if table.hidden:
        return {code: None for code in sizes}, table.total, frozenset(sizes)
    return dict(sizes), table.total, frozenset()


def quarter_counts(unit: Unit, *, include_current: bool = False, today=None) -> CountTable:
    """Suggestions received per quality area and quarter (every status: what was written,
    not what was approved). The public sees only quarters that are over, so a figure never
    changes once shown and no two visits can be subtracted to find one writer."""
    today = today or timezone.localdate()
    limit = suppression.threshold()
    current = Quarter.of(today)
    last = current if include_current else current.previous()
    quarters = [last]
    while len(quarters) < QUARTERS_SHOWN:
        quarters.append(quarters[-1].previous())
    quarters.reverse()
    end = today + datetime.timedelta(days=1) if include_current else current.first_day
    rows = (
        Suggestion.objects.filter(
            unit=unit, created_on__gte=quarters[0].first_day, created_on__lt=end
        )
        .annotate(year=ExtractYear("created_on"), quarter=ExtractQuarter("created_on"))
        .values("year", "quarter", "quality_area")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[Quarter, dict] = {}
    for row in rows:
        found.setdefault(Quarter(row["year"], row["quarter"]), {})[row["quality_area"]] = row["n"]
    # Quarters before the first suggestion are left out.
    while quarters and quarters[0] not in found and len(quarters) > 1:
        quarters.pop(0)
    areas = [(str(code), str(label)) for code, label in QualityArea.choices]
    areas.append((NO_AREA, _("No area chosen")))
    columns = []
    for quarter in quarters:
        sizes = {code: found.get(quarter, {}).get(code, 0) for code, _label in areas}
        counts, total, hidden = suppress_quarter(sizes, limit)
        columns.append(Column(quarter, counts, total, hidden, current=quarter == current))
    return CountTable(areas, columns, limit)
