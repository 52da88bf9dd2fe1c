"""The portfolio: audits across organisations and the whole country, read from releases and
published reports only, never from raw answers.

`overview(user, filters)` returns everything the page, the XLSX export and the API show, as
plain JSON-serialisable data:

- audits counted by county, municipality, service type, phase and year (audit facts, not
  respondents; an audit with units in two counties counts in both);
- results per quality area across audits, with suppression applied again after aggregation;
- action proposals of published reports by level and recipient with their follow-up status;
- trends for re-audited units (an audit and the earlier audit it follows up).

Suppression across audits. Each audit contributes to a quality area one *block*: the share
positive of its scale questions in that area, with as respondents the most who answered any
one of them (a lower bound of the people behind it). A block with fewer respondents than the
threshold is left out altogether, so every figure the portfolio shows, under any filter, is
a sum of blocks of at least the threshold each, and so is every difference between two
figures (a total less its shown parts, one filter less another): nothing smaller than the
threshold can be worked out. On top of that each row of a table goes through the release
rule (`lib.releasing.first`): a column under the threshold is hidden, and more are hidden
with it so that the total less the shown columns reveals no hidden one.

Releases are read in one query (their ids, audits and checksums) and summarised once per
release checksum (cached), so content is only read for releases not summarised before.
"""

import datetime
from collections import Counter, defaultdict

from django.core.cache import cache
from django.db.models import Min, OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _

from brukarrevision import permissions
from brukarrevision.audits.models import Audit, Phase, PhaseDate, PhaseTransition
from brukarrevision.followup.models import Action
from brukarrevision.instruments.models import Item, QualityArea
from brukarrevision.lib import releasing, suppression
from brukarrevision.organisations.models import County, Organisation, Unit
from brukarrevision.releases.models import Release
from brukarrevision.reports.models import Edition, Proposal

BY_CHOICES = ("county", "service_type", "year")
SEVERAL = "__several__"  # an audit whose units lie in more than one county (or service type)
NOT_GIVEN = "__none__"
CACHE_VERSION = 1
CACHE_SECONDS = 60 * 60 * 24 * 30  # a release never changes: its summary is kept a month

STATUSES = (
    "not_answered",
    "not_accepted",
    "no_action",
    "not_started",
    "in_progress",
    "done",
    "stopped",
)


def status_labels() -> dict[str, str]:
    return {
        "not_answered": _("not answered"),
        "not_accepted": _("not accepted"),
        "no_action": _("accepted, no action planned"),
        "not_started": _("action not started"),
        "in_progress": _("action in progress"),
        "done": _("action done"),
        "stopped": _("action stopped"),
    }


# Filters -----------------------------------------------------------------------------------------


def clean_filters(filters: dict | None) -> dict:
    """The filters the portfolio understands, anything else dropped: county (a county code),
    service_type, year (int), organisation (an organisation id), by (the columns of the
    quality-area table: county, service_type or year)."""
    filters = filters or {}
    found = {}
    county = str(filters.get("county") or "")
    if county in County.values:
        found["county"] = county
    service = str(filters.get("service_type") or "")
    if service in Unit.ServiceType.values:
        found["service_type"] = service
    for name in ("year", "organisation"):
        value = filters.get(name)
        if isinstance(value, Organisation):
            value = value.pk
        if value not in (None, "") and str(value).isdigit():
            found[name] = int(value)
    by = str(filters.get("by") or "county")
    found["by"] = by if by in BY_CHOICES else "county"
    return found


# The audits and their facts ----------------------------------------------------------------------


def _years(ids: list[int], created: dict[int, datetime.datetime]) -> dict[int, int]:
    """The year of each audit: when its data collection began, else when it was planned
    to begin, else when the audit was created."""
    began = dict(
        PhaseTransition.objects.filter(audit_id__in=ids, to_phase=Phase.COLLECTION)
        .values("audit_id")
        .annotate(first=Min("moved_at"))
        .values_list("audit_id", "first")
    )
    planned = dict(
        PhaseDate.objects.filter(audit_id__in=ids, phase=Phase.COLLECTION)
        .exclude(starts_on=None)
        .values_list("audit_id", "starts_on")
    )
    return {pk: (began.get(pk) or planned.get(pk) or created[pk]).year for pk in ids}


def _audits(user) -> list[dict]:
    rows = list(
        permissions.portfolio_audits(user)
        .order_by("title", "pk")
        .values(
            "pk",
            "slug",
            "title",
            "phase",
            "created_at",
            "previous_audit_id",
            "client_id",
            "client__name",
            "performer_id",
            "performer__name",
        )
    )
    ids = [row["pk"] for row in rows]
    units = defaultdict(list)
    through = Audit.units.through.objects.filter(audit_id__in=ids)
    for audit_id, county, municipality, service in through.values_list(
        "audit_id", "unit__county", "unit__municipality", "unit__service_type"
    ):
        units[audit_id].append((county, municipality, service))
    years = _years(ids, {row["pk"]: row["created_at"] for row in rows})
    published = set(
        Edition.objects.filter(report__audit_id__in=ids).values_list("report__audit_id", flat=True)
    )
    audits = []
    for row in rows:
        found = units[row["pk"]]
        audits.append(
            {
                "id": row["pk"],
                "slug": row["slug"],
                "title": row["title"],
                "phase": row["phase"],
                "year": years[row["pk"]],
                "previous_audit": row["previous_audit_id"],
                "client": {"id": row["client_id"], "name": row["client__name"]},
                "performer": {"id": row["performer_id"], "name": row["performer__name"]},
                "counties": sorted({c for c, _m, _s in found if c}),
                "municipalities": sorted({m for _c, m, _s in found if m}),
                "service_types": sorted({s for _c, _m, s in found if s}),
                "published": row["pk"] in published,
            }
        )
    return audits


def _matches(audit: dict, filters: dict) -> bool:
    if "county" in filters and filters["county"] not in audit["counties"]:
        return False
    if "service_type" in filters and filters["service_type"] not in audit["service_types"]:
        return False
    if "year" in filters and filters["year"] != audit["year"]:
        return False
    organisation = filters.get("organisation")
    return organisation is None or organisation in (
        audit["client"]["id"],
        audit["performer"]["id"],
    )


# Releases and their summaries --------------------------------------------------------------------


def _release_rows(user, audits: list[dict]) -> dict[int, tuple[int, str, int]]:
    """audit id -> (release id, checksum, threshold) of the release the portfolio reads:
    the latest for audits `user` may read results of, else the one the current published
    edition rests on."""
    readable = permissions.portfolio_reads_latest_release(user)
    ids = [a["id"] for a in audits]
    latest_ids = [pk for pk in ids if pk in readable]
    edition_ids = [pk for pk in ids if pk not in readable]
    newest = Release.objects.filter(audit=OuterRef("audit")).order_by("-number").values("pk")[:1]
    chosen = Release.objects.filter(audit_id__in=latest_ids, pk=Subquery(newest)).values_list(
        "pk", flat=True
    )
    current = Edition.objects.filter(
        report__audit_id__in=edition_ids, replaced_at=None
    ).values_list("release_id", flat=True)
    rows = Release.objects.filter(pk__in=list(chosen) + list(current)).values_list(
        "pk", "audit_id", "checksum", "threshold"
    )
    return {audit_id: (pk, checksum, threshold) for pk, audit_id, checksum, threshold in rows}


def _cache_key(checksum: str) -> str:
    return f"portfolio:{CACHE_VERSION}:{checksum}"


def summaries(found: dict[int, tuple[int, str, int]]) -> dict[int, dict]:
    """audit id -> the summary of its release (see `summarise`), from the cache where the
    release was summarised before, else read and summarised now."""
    keys = {audit_id: _cache_key(checksum) for audit_id, (_pk, checksum, _t) in found.items()}
    cached = cache.get_many(list(keys.values()))
    result = {audit_id: cached[key] for audit_id, key in keys.items() if key in cached}
    missing = {found[a][0]: a for a in found if a not in result}
    if missing:
        contents = dict(Release.objects.filter(pk__in=missing).values_list("pk", "content"))
        areas = _item_areas(contents.values())
        made = {missing[pk]: summarise(content, areas) for pk, content in contents.items()}
        cache.set_many({keys[a]: summary for a, summary in made.items()}, CACHE_SECONDS)
        result.update(made)
    return result


def _item_areas(contents) -> dict[int, str]:
    """The quality area of every scale item the releases name (a matrix row's is its
    matrix's when it has none of its own)."""
    ids = {
        meta["id"]
        for content in contents
        for entry in content["instruments"].values()
        for meta in entry["items"]
        if meta["kind"] == Item.Kind.RATING
    }
    rows = Item.objects.filter(pk__in=ids).values_list("pk", "quality_area", "parent__quality_area")
    return {pk: own or parents or "" for pk, own, parents in rows}


def _add(target: dict, area: str, n: int, positive: int, base: int) -> None:
    found = target.setdefault(area, [0, 0, 0])
    found[0] = max(found[0], n)
    found[1] += positive
    found[2] += base


def _area_figures(metas: list[dict], figures_of, areas: dict[int, str]) -> dict:
    """{area: [respondents, positive answers, answers on the scale]} of one questionnaire:
    respondents are the most who answered any one scale question of the area."""
    found: dict = {}
    for meta in metas:
        area = areas.get(meta["id"])
        figures = figures_of(meta["code"]) if area else None
        if not figures:
            continue
        counts = figures["counts"]
        special = sum(counts.get(value, 0) for value, _label in meta["specials"])
        base = figures["answered"] - special
        positive = sum(counts.get(value, 0) for value, _label in meta["values"][-2:])
        _add(found, area, figures["answered"], positive, base)
    return found


def summarise(content: dict, areas: dict[int, str]) -> dict:
    """What the portfolio needs of one release, as plain data: respondents in its published
    figures, figures per quality area over all its questionnaires, and for its first
    questionnaire the unit breakdown with figures per shown unit (for trends)."""
    respondents, total, first = 0, {}, None
    for entry in content["instruments"].values():
        table = entry["breakdowns"][""]
        if not table["published"]:
            continue
        respondents += table["respondents"] or 0
        items = table["items"]
        found = _area_figures(
            entry["items"], lambda c, i=items: (i.get(c) or {}).get("total"), areas
        )
        for area, (n, positive, base) in found.items():
            merged = total.setdefault(area, [0, 0, 0])
            merged[0] += n  # questionnaires are answered by different respondents
            merged[1] += positive
            merged[2] += base
        if first is None:
            first = {"total": found, **_units(entry, areas)}
    return {"respondents": respondents, "areas": total, "first": first}


def _units(entry: dict, areas: dict[int, str]) -> dict:
    table = entry["breakdowns"].get("unit")
    if table is None:
        return {"units": [], "published": False, "by_unit": {}}
    by_unit = {}
    for group in table["groups"]:
        if group["hidden"] or not table["published"]:
            continue
        key = group["key"]

        def figures_of(code, key=key):
            return ((table["items"].get(code) or {}).get("groups") or {}).get(key)

        by_unit[key] = _area_figures(entry["items"], figures_of, areas)
    units = [[g["key"], g["hidden"], g["respondents"] or 0] for g in table["groups"]]
    return {"units": units, "published": table["published"], "by_unit": by_unit}


# Tables ------------------------------------------------------------------------------------------


def _share(positive: int, base: int) -> float | None:
    return round(100 * positive / base, 1) if base else None


def _column_of(audit: dict, by: str) -> str:
    if by == "year":
        return str(audit["year"])
    values = audit["counties"] if by == "county" else audit["service_types"]
    if not values:
        return NOT_GIVEN
    return values[0] if len(values) == 1 else SEVERAL


def _column_label(key: str, by: str) -> str:
    if key == SEVERAL:
        return _("Several counties") if by == "county" else _("Several service types")
    if key == NOT_GIVEN:
        return _("Not given")
    if by == "county":
        return str(County(key).label)
    if by == "service_type":
        return str(Unit.ServiceType(key).label)
    return key


def blocks(audits: list[dict], found: dict[int, dict], limit: int) -> tuple[list[dict], int]:
    """Every (audit, quality area) figure large enough to enter the portfolio, and how many
    were left out for having fewer respondents than `limit`."""
    kept, left_out = [], 0
    for audit in audits:
        summary = found.get(audit["id"])
        for area, (n, positive, base) in (summary or {}).get("areas", {}).items():
            if n < limit:
                left_out += 1
                continue
            kept.append(
                {"audit": audit["id"], "area": area, "n": n, "positive": positive, "base": base}
            )
    return kept, left_out


def quality_table(audits: list[dict], kept: list[dict], by: str, limit: int) -> dict:
    """Rows per quality area, a column per county (or service type, or year) and a total;
    each row suppressed with the release rule (primary and complementary)."""
    column = {audit["id"]: _column_of(audit, by) for audit in audits}
    keys = sorted(
        {column[block["audit"]] for block in kept},
        key=lambda k: (k in (SEVERAL, NOT_GIVEN), _column_label(k, by)),
    )
    rows = []
    for area, label in QualityArea.choices:
        mine = [block for block in kept if block["area"] == area]
        if not mine:
            continue
        cells = {key: [0, 0, 0, set()] for key in keys}
        for block in mine:
            cell = cells[column[block["audit"]]]
            cell[0] += block["n"]
            cell[1] += block["positive"]
            cell[2] += block["base"]
            cell[3].add(block["audit"])
        table = releasing.first({key: cells[key][0] for key in keys}, limit)
        total_n = sum(block["n"] for block in mine)
        shown_total = table.published and total_n >= limit
        rows.append(
            {
                "key": area,
                "label": str(label),
                "cells": [
                    _cell(cells[key], hidden=not shown_total or key in table.hidden) for key in keys
                ],
                "total": _cell(
                    [
                        total_n,
                        sum(b["positive"] for b in mine),
                        sum(b["base"] for b in mine),
                        {b["audit"] for b in mine},
                    ],
                    hidden=not shown_total,
                ),
            }
        )
    return {
        "by": by,
        "columns": [{"key": key, "label": _column_label(key, by)} for key in keys],
        "rows": rows,
    }


def _cell(cell: list, hidden: bool) -> dict:
    n, positive, base, audits = cell
    if not n:
        return {"n": 0, "share": None, "audits": 0, "hidden": False, "empty": True}
    if hidden:
        return {"n": None, "share": None, "audits": None, "hidden": True, "empty": False}
    return {
        "n": n,
        "share": _share(positive, base),
        "audits": len(audits),
        "hidden": False,
        "empty": False,
    }


def _counted(audits: list[dict], found: dict[int, dict], keys_of, label_of, limit: int) -> list:
    """Audits (and respondents in their released figures) per county, municipality …"""
    rows: dict = {}
    for audit in audits:
        summary = found.get(audit["id"]) or {}
        respondents = summary.get("respondents") or 0
        for key in keys_of(audit) or [NOT_GIVEN]:
            row = rows.setdefault(key, {"audits": 0, "published": 0, "respondents": 0})
            row["audits"] += 1
            row["published"] += audit["published"]
            if respondents >= limit:  # an audit's released total is itself at least this
                row["respondents"] += respondents
    ordered = sorted(rows, key=lambda k: (k == NOT_GIVEN, str(label_of(k))))
    return [{"key": str(key), "label": str(label_of(key)), **rows[key]} for key in ordered]


def _label_or_not_given(labels: dict):
    return lambda key: _("Not given") if key == NOT_GIVEN else labels.get(key, key)


def counts(audits: list[dict], found: dict[int, dict], limit: int) -> dict:
    counties = _label_or_not_given(dict(County.choices))
    services = _label_or_not_given(dict(Unit.ServiceType.choices))
    phases = dict(Phase.choices)
    return {
        "county": _counted(audits, found, lambda a: a["counties"], counties, limit),
        "municipality": _counted(
            audits, found, lambda a: a["municipalities"], _label_or_not_given({}), limit
        ),
        "service_type": _counted(audits, found, lambda a: a["service_types"], services, limit),
        "phase": sorted(
            _counted(audits, found, lambda a: [a["phase"]], lambda k: phases[k], limit),
            key=lambda row: int(row["key"]),
        ),
        "year": sorted(
            _counted(audits, found, lambda a: [a["year"]], str, limit),
            key=lambda row: row["key"],
        ),
    }


# Proposals ---------------------------------------------------------------------------------------


def proposal_status(proposal: Proposal) -> str:
    answer = getattr(proposal, "answer", None)
    if answer is None:
        return "not_answered"
    if answer.decision == "not_accepted":
        return "not_accepted"
    states = {action.status for action in proposal.actions.all()}
    if not states:
        return "no_action"
    if states == {Action.Status.DONE}:
        return "done"
    if states == {Action.Status.STOPPED}:
        return "stopped"
    if states & {Action.Status.IN_PROGRESS, Action.Status.DONE}:
        return "in_progress"
    return "not_started"


def proposals(audits: list[dict]) -> dict:
    """Action proposals of the audits' published reports: counted by level and status and
    by recipient, and the regional and national ones listed with what happened."""
    titles = {a["id"]: a for a in audits if a["published"]}
    found = (
        Proposal.objects.filter(audit_id__in=list(titles))
        .select_related("answer")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.prefetch_related("updates")))
        .order_by("audit__title", "number")
    )
    labels = status_labels()
    levels = dict(Proposal.Level.choices)
    by_level = {level: Counter() for level in Proposal.Level.values}
    by_recipient: dict = {}
    listed = []
    for proposal in found:
        status = proposal_status(proposal)
        by_level[proposal.level][status] += 1
        if proposal.level == Proposal.Level.LOCAL:
            continue
        recipient = proposal.recipient.strip() or _("Not named")
        by_recipient.setdefault((proposal.level, recipient), Counter())[status] += 1
        listed.append(_listed(proposal, titles[proposal.audit_id], status, labels, levels))
    return {
        "statuses": [{"key": key, "label": labels[key]} for key in STATUSES],
        "by_level": [
            {
                "key": level,
                "label": str(levels[level]),
                "counts": [by_level[level][key] for key in STATUSES],
                "total": sum(by_level[level].values()),
            }
            for level in Proposal.Level.values
        ],
        "by_recipient": [
            {
                "recipient": recipient,
                "level": level,
                "level_label": str(levels[level]),
                "counts": [counted[key] for key in STATUSES],
                "total": sum(counted.values()),
            }
            for (level, recipient), counted in sorted(
                by_recipient.items(), key=lambda pair: (pair[0][0] != "national", pair[0][1])
            )
        ],
        "listed": sorted(listed, key=lambda p: (p["level"] != "national", p["recipient"])),
    }


def _listed(proposal, audit: dict, status: str, labels: dict, levels: dict) -> dict:
    answer = getattr(proposal, "answer", None)
    actions = list(proposal.actions.all())
    updates = [update for action in actions for update in action.updates.all()]
    latest = max(updates, key=lambda u: (u.made_on, u.pk), default=None)
    return {
        "audit": {"slug": audit["slug"], "title": audit["title"]},
        "number": proposal.number,
        "title": proposal.title,
        "level": proposal.level,
        "level_label": str(levels[proposal.level]),
        "recipient": proposal.recipient,
        "quality_area": str(QualityArea(proposal.quality_area).label)
        if proposal.quality_area
        else "",
        "answer": str(answer.get_decision_display()) if answer else "",
        "reason": answer.reason if answer else "",
        "status": status,
        "status_label": labels[status],
        "actions": [
            {
                "description": action.description,
                "status": str(action.get_status_display()),
                "progress": action.progress,
                "due_on": action.due_on.isoformat(),
            }
            for action in actions
        ],
        "latest_update": {"date": latest.made_on.isoformat(), "note": latest.note}
        if latest
        else None,
    }


# Trends for re-audited units ---------------------------------------------------------------------


def _side(summary: dict | None, common: set[str], limit: int) -> dict | None:
    """{area: (n, positive, base)} of the smallest published population of one audit that
    holds the units both audits covered (`releasing.compared_population`)."""
    first = (summary or {}).get("first")
    if not first or not first["published"]:
        return None
    table = releasing.Table(
        {key: size for key, _hidden, size in first["units"]},
        frozenset(key for key, hidden, _size in first["units"] if hidden),
        {},
        True,
    )
    population = releasing.compared_population(table, common)
    if population is None:
        return None
    if population.whole:
        return first["total"]
    summed: dict = {}
    for key in population.keys:
        for area, (n, positive, base) in first["by_unit"].get(key, {}).items():
            cell = summed.setdefault(area, [0, 0, 0])
            cell[0] += n
            cell[1] += positive
            cell[2] += base
    return summed


def trends(audits: list[dict], wanted: list[dict], found: dict[int, dict], limit: int) -> list:
    """Each chosen audit that follows up an earlier one, beside it per quality area."""
    by_id = {audit["id"]: audit for audit in wanted}
    units = _unit_ids(list(by_id))
    result = []
    for later in audits:
        earlier = by_id.get(later["previous_audit"])
        if earlier is None:
            continue
        common = {str(pk) for pk in units[later["id"]] & units[earlier["id"]]}
        before = _side(found.get(earlier["id"]), common, limit)
        after = _side(found.get(later["id"]), common, limit)
        rows = []
        for area, label in QualityArea.choices:
            was = _trend_share((before or {}).get(area), limit)
            now = _trend_share((after or {}).get(area), limit)
            if was is None and now is None:
                continue
            change = None if was is None or now is None else round(now - was, 1)
            rows.append(
                {"key": area, "label": str(label), "before": was, "after": now, "change": change}
            )
        result.append(
            {
                "earlier": {
                    "slug": earlier["slug"],
                    "title": earlier["title"],
                    "year": earlier["year"],
                },
                "later": {"slug": later["slug"], "title": later["title"], "year": later["year"]},
                "released": before is not None and after is not None,
                "areas": rows,
            }
        )
    return result


def _trend_share(cell, limit: int) -> float | None:
    if not cell or cell[0] < limit:
        return None
    return _share(cell[1], cell[2])


def _unit_ids(ids: list[int]) -> dict[int, set]:
    found = defaultdict(set)
    through = Audit.units.through.objects.filter(audit_id__in=ids)
    for audit_id, unit_id in through.values_list("audit_id", "unit_id"):
        found[audit_id].add(unit_id)
    return found


# The whole overview ------------------------------------------------------------------------------


def choices(audits: list[dict]) -> dict:
    """What the filters offer: the counties, service types, years and organisations of the
    audits this person may see in the portfolio."""
    organisations = {}
    for audit in audits:
        for side in ("client", "performer"):
            organisations[audit[side]["id"]] = audit[side]["name"]
    return {
        "county": [
            [c, str(label)]
            for c, label in County.choices
            if any(c in a["counties"] for a in audits)
        ],
        "service_type": [
            [s, str(label)]
            for s, label in Unit.ServiceType.choices
            if any(s in a["service_types"] for a in audits)
        ],
        "year": sorted({a["year"] for a in audits}),
        "organisation": sorted(
            ([pk, name] for pk, name in organisations.items()), key=lambda p: p[1]
        ),
    }


def overview(user, filters: dict | None = None) -> dict:
    """Everything the portfolio shows `user` under `filters` (see `clean_filters`), as plain
    JSON-serialisable data. Who counts what follows `permissions.portfolio_audits`."""
    filters = clean_filters(filters)
    limit = suppression.threshold()
    everything = _audits(user)
    audits = [audit for audit in everything if _matches(audit, filters)]
    chosen = {audit["id"] for audit in audits}
    earlier = {a["previous_audit"] for a in audits if a["previous_audit"]}
    wanted = [a for a in everything if a["id"] in chosen or a["id"] in earlier]
    rows = _release_rows(user, wanted)
    found = summaries(rows)
    # Never below what any release read used: a lower setting must not show smaller groups.
    limit = max([limit, *(threshold for _pk, _checksum, threshold in rows.values())])
    kept, left_out = blocks(audits, found, limit)
    phases = dict(Phase.choices)
    return {
        "filters": filters,
        "threshold": limit,
        "choices": choices(everything),
        "audits": [
            {
                **audit,
                "phase_label": str(phases[audit["phase"]]),
                "county_labels": [str(County(c).label) for c in audit["counties"]],
                "service_type_labels": [
                    str(Unit.ServiceType(s).label) for s in audit["service_types"]
                ],
                "released": audit["id"] in found,
                "respondents": (found.get(audit["id"]) or {}).get("respondents") or None,
            }
            for audit in audits
        ],
        "counts": counts(audits, found, limit),
        "quality_areas": {
            **quality_table(audits, kept, filters["by"], limit),
            "left_out": left_out,
        },
        "proposals": proposals(audits),
        "trends": trends(audits, wanted, found, limit) if earlier else [],
    }
