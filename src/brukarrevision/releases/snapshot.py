"""Building a release's content from live answers, breakdown by breakdown, with the rule in
`lib.releasing` deciding which groups are shown and whether a breakdown's figures are
refreshed or kept from the previous release. Only this module and the team's working view
read live answers."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from brukarrevision.analysis import presenting, results
from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Response
from brukarrevision.instruments import selectors as instrument_selectors
from brukarrevision.instruments.models import Instrument
from brukarrevision.lib import releasing

NONE_KEY = "-"  # the group of respondents who did not answer the item a breakdown is by


def key_of(value) -> str:
    return NONE_KEY if value is None else str(value)


@dataclass
class Snapshot:
    content: dict  # what people outside the team see
    decisions: dict  # per instrument and breakdown: sizes, hidden groups and reasons
    channels: dict
    respondents: int
    response_ids: list


def build(audit: Audit, previous, limit: int, number: int) -> Snapshot:
    responses = Response.objects.filter(audit=audit)
    channels = dict(responses.values_list("channel").annotate(n=Count("id")).order_by())
    content = {
        "audit": audit.slug,
        "number": number,
        "threshold": limit,
        "participation": _participation(responses, limit),
        "instruments": {},
    }
    decisions = {}
    for instrument in instrument_selectors.questionnaires(audit):
        before, before_decisions = _previous(previous, instrument)
        entry, decided = _instrument(instrument, before, before_decisions, limit, number)
        content["instruments"][str(instrument.pk)] = entry
        decisions[str(instrument.pk)] = decided
    return Snapshot(
        content,
        decisions,
        channels,
        responses.count(),
        list(responses.order_by("pk").values_list("pk", flat=True)),
    )


def _participation(responses, limit: int) -> dict:
    """Everyone who took part, questionnaires and interviews alike, per channel and per way
    of answering. Counts of people, never of answers; one under the threshold is shown only
    as "fewer than" so that no page points at one or two people."""

    def counted(field: str) -> dict:
        rows = responses.values_list(field).annotate(n=Count("id")).order_by()
        return {key: (n if n >= limit else None) for key, n in rows}

    return {
        "total": responses.count(),
        "channel": counted("channel"),
        "respondent": counted("respondent"),
    }


def _previous(previous, instrument: Instrument) -> tuple[dict | None, dict | None]:
    """The previous release's entry for this questionnaire or any earlier version of it."""
    if previous is None:
        return None, None
    for version in results.versions(instrument):
        found = previous.content["instruments"].get(str(version.pk))
        if found is not None:
            return found, previous.decisions[str(version.pk)]
    return None, None


def _instrument(instrument, before, before_decisions, limit: int, number: int):
    items = results.result_items(instrument)
    plain = results.item_results(instrument)  # the items' texts, and the figures without breakdown
    entry = {
        "title": instrument.title,
        "items": [_item_meta(result) for result in plain],
        "breakdowns": {},
    }
    decided = {}
    for breakdown in results.breakdowns(instrument):
        by = breakdown.key
        old = (before or {}).get("breakdowns", {}).get(by)
        old_table = _table((before_decisions or {}).get(by)) if old else None
        sizes = {key_of(k): n for k, n in results.respondent_counts(instrument, by).items()}
        outcome = releasing.follow(old_table, sizes, limit)
        if old is not None and not outcome.refreshed:
            entry["breakdowns"][by] = old
            waiting = sum(sizes.values()) - sum(before_decisions[by]["sizes"].values())
            decided[by] = {**before_decisions[by], "refreshed": False, "waiting": waiting}
            continue
        found = results.item_results(instrument, by=by) if by else plain
        labels = {key_of(k): str(v) for k, v in results.group_labels(instrument, by).items()}
        entry["breakdowns"][by] = _breakdown(breakdown, outcome.table, found, labels, number)
        decided[by] = _decision(outcome.table)
    entry["charts"] = _chart_texts(entry, items)
    return entry, decided


def _table(decided: dict | None) -> releasing.Table | None:
    if decided is None:
        return None
    return releasing.Table(
        decided["sizes"], frozenset(decided["hidden"]), decided["reasons"], decided["published"]
    )


def _item_meta(result: results.ItemResult) -> dict:
    return {
        "id": result.item.pk,
        "code": result.code,
        "text": result.text,
        "kind": str(result.kind),
        "values": [[value, str(label)] for value, label in result.values],
        "specials": [[value, str(label)] for value, label in result.specials],
    }


def _label(labels: dict, key: str) -> str:
    if key in labels:
        return labels[key]
    return str(_("No answer")) if key == NONE_KEY else key


def _breakdown(breakdown, table: releasing.Table, found: list, labels: dict, number: int) -> dict:
    groups = [
        {
            "key": key,
            "label": _label(labels, key),
            "hidden": key in table.hidden,
            "respondents": None if key in table.hidden else n,
        }
        for key, n in table.sizes.items()
    ] if breakdown.key else []  # fmt: skip
    published = table.published
    return {
        "label": str(breakdown.label),
        "basis": number,
        "published": published,
        "groups": groups,
        "respondents": table.total if published else None,
        "items": {r.code: _figures(r, table) for r in found} if published else {},
    }


def _figures(result: results.ItemResult, table: releasing.Table) -> dict:
    shown = set(table.shown())
    return {
        "total": _counts(result.total),
        "groups": {key_of(g.key): _counts(g) for g in result.groups if key_of(g.key) in shown},
    }


def _counts(group: results.Group) -> dict:
    return {
        "answered": group.answered,
        "counts": {str(value): n for value, n in group.counts.items() if value is not None},
    }


def _decision(table: releasing.Table) -> dict:
    return {
        "sizes": dict(table.sizes),
        "hidden": sorted(table.hidden),
        "reasons": dict(table.reasons),
        "published": table.published,
        "refreshed": True,
        "waiting": 0,
    }


def _chart_texts(entry: dict, items) -> dict:
    """The text alternative of each item's chart without breakdown, as released."""
    from . import selectors

    found = selectors.rebuild(entry, "", {item.pk: item for item in items})
    texts = {}
    for result in found:
        chart = presenting.chart(result)
        if chart is not None:
            texts[result.code] = chart.text
    return texts
