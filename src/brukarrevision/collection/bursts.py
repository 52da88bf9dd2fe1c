"""Web answers per link and hour over the last days, with unusual hours marked.

A response keeps only the hour it was sent in (Response.submitted_hour), so this counts whole
hours and can single out no one. The rule is plain on purpose, and the page says it: an hour
is unusual when more than UNUSUAL_OVER answers came in it and more than UNUSUAL_TIMES times
the median of the link's other hours with answers in the period. A first hour with many
answers counts as unusual too (the median of no other hours is 0): someone should look, and
often it is a meeting where everyone answered at once.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from brukarrevision.audits.models import Audit

from .models import Channel, Response

DAYS = 7
UNUSUAL_OVER = 10
UNUSUAL_TIMES = 5


@dataclass
class Hour:
    start: datetime.datetime
    count: int
    usual: float  # the median of the link's other hours with answers
    unusual: bool

    @property
    def end(self) -> datetime.datetime:
        return self.start + datetime.timedelta(hours=1)


@dataclass
class LinkHours:
    distribution: object
    hours: list[Hour] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(hour.count for hour in self.hours)

    @property
    def unusual(self) -> int:
        return sum(1 for hour in self.hours if hour.unusual)


def is_unusual(count: int, usual: float) -> bool:
    return count > UNUSUAL_OVER and count > UNUSUAL_TIMES * usual


def _marked(counts: dict) -> list[Hour]:
    hours = []
    for start, count in counts.items():
        others = [n for other, n in counts.items() if other != start]
        usual = statistics.median(others) if others else 0
        hours.append(Hour(start, count, usual, is_unusual(count, usual)))
    return sorted(hours, key=lambda hour: hour.start, reverse=True)


def by_link(audit: Audit, days: int = DAYS, now=None) -> list[LinkHours]:
    """Every web link of the audit with its hours that had answers, newest first; counted
    by the database."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    rows = (
        Response.objects.filter(
            audit=audit,
            channel=Channel.WEB,
            distribution__isnull=False,
            submitted_hour__gte=since,
        )
        .values("distribution", "submitted_hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict] = {}
    for row in rows:
        counts.setdefault(row["distribution"], {})[row["submitted_hour"]] = row["n"]
    links = audit.distributions.select_related("unit", "target_group", "instrument")
    return [LinkHours(link, _marked(counts.get(link.pk, {}))) for link in links]
