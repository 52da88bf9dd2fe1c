"""A re-audit beside the earlier audit of the same unit: the questions both asked (matched by
item code, which a copied questionnaire keeps), read from each audit's release with joint
suppression, and what became of the earlier audit's proposals.

Each audit contributes the smallest population its own release already shows that holds the
units both audits covered (`lib.releasing.compared_population`): the sum of those units when
every one of them is shown, else the audit's whole total. A unit hidden in an audit is
therefore never shown in the comparison, and nothing in it is new to anyone who has read
both releases, so no subtraction across the two audits can reveal a hidden unit."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from brukarrevision.analysis.results import TOTAL, Group, ItemResult
from brukarrevision.audits.models import Audit
from brukarrevision.instruments.models import Item
from brukarrevision.lib import releasing
from brukarrevision.releases import selectors as release_selectors
from brukarrevision.releases.models import Release


@dataclass
class Compared:
    rows: list[list[str]]
    earlier_heading: str
    later_heading: str
    notes: list[str] = field(default_factory=list)


@dataclass
class _Side:
    shares: dict  # item code -> (text, share or None)
    heading: str
    whole: bool


def _unit_table(entry: dict) -> releasing.Table:
    table = release_selectors.breakdown(entry, "unit")
    return releasing.Table(
        {group["key"]: group["respondents"] or 0 for group in table["groups"]},
        frozenset(group["key"] for group in table["groups"] if group["hidden"]),
        {},
        table["published"],
    )


def _side(audit: Audit, release: Release | None, common: set[str]) -> _Side | None:
    found = release_selectors.entry_for(release) if release else None
    if found is None:
        return None
    entry = found[1]
    population = releasing.compared_population(_unit_table(entry), common)
    if population is None:
        return None
    if population.whole:
        chosen = release_selectors.rebuild(entry, "")
        results = [(r, r.total) for r in chosen]
    else:
        chosen = release_selectors.rebuild(entry, "unit")
        results = [(r, _sum(r, population.keys)) for r in chosen]
    labels = {g["key"]: g["label"] for g in release_selectors.breakdown(entry, "unit")["groups"]}
    names = ", ".join(labels.get(key, key) for key in population.keys)
    heading = f"{audit.title} ({names})"
    wider = bool(set(population.keys) - common)  # units the other audit did not cover
    return _Side({r.code: (r.text, _share(r, group)) for r, group in results}, heading, wider)


def _sum(result: ItemResult, keys: tuple) -> Group:
    summed = Group(TOTAL, _("All"))
    for group in result.groups:
        if group.key in keys:
            summed.hidden = summed.hidden or group.hidden
            summed.answered += group.answered
            for value, n in group.counts.items():
                summed.counts[value] = summed.counts.get(value, 0) + n
    return summed


def _share(result: ItemResult, group: Group) -> float | None:
    if group.hidden:
        return None
    if result.is_scale:
        return result.positive_share(group)
    if result.kind == Item.Kind.YES_NO:
        return result.figure(group, "yes").percent
    return None


def items_table(earlier: Audit, later: Audit, later_release: Release | None = None) -> Compared:
    later_release = later_release or release_selectors.latest(later)
    shared = earlier.units.filter(pk__in=later.units.all()).values_list("pk", flat=True)
    common = {str(pk) for pk in shared}
    before = _side(earlier, release_selectors.latest(earlier), common)
    now = _side(later, later_release, common)
    if before is None or now is None:
        note = _("No comparison yet: both audits need released results.")
        return Compared([], earlier.title, later.title, [note])
    rows = []
    for code, (text, share) in now.shares.items():
        if code not in before.shares or (share is None and before.shares[code][1] is None):
            continue
        was = before.shares[code][1]
        change = "" if was is None or share is None else f"{share - was:+.1f}".replace(".", ",")
        rows.append([text, _percent(was), _percent(share), change])
    notes = []
    if before.whole or now.whole:
        notes.append(
            _(
                "Each column shows the respondents named in its heading. Where a unit had too "
                "few respondents to be shown on its own, the whole audit is shown instead, so "
                "that no one can work out that unit's answers by subtracting."
            )
        )
    return Compared(rows, before.heading, now.heading, notes)


def _percent(value) -> str:
    from brukarrevision.analysis import presenting

    if value is None:
        return presenting.withheld_text()
    return f"{value:.1f} %".replace(".", ",")


def proposals_table(earlier: Audit) -> list[list[str]]:
    rows = []
    for proposal in earlier.proposals.prefetch_related("actions"):
        answer = getattr(proposal, "answer", None)
        actions = list(proposal.actions.all())
        status = ", ".join(a.get_status_display() for a in actions) or _("no action planned")
        rows.append(
            [str(proposal), answer.get_decision_display() if answer else _("not answered"), status]
        )
    return rows
