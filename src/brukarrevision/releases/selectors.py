"""Reading releases: the latest one, and its figures rebuilt as the same result objects the
working view uses, so pages, exports, charts and documents draw released figures exactly as
they draw live ones."""

from django.db.models import Count
from django.utils.translation import gettext as _

from brukarrevision.analysis.results import TOTAL, Group, ItemResult
from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Channel, Response
from brukarrevision.instruments.models import Item

from .models import Release


def latest(audit: Audit) -> Release | None:
    return Release.objects.filter(audit=audit).order_by("-number").first()


def entries(release: Release) -> list[tuple[int, dict]]:
    """(instrument id, entry) for every questionnaire in the release, in order."""
    return [(int(pk), entry) for pk, entry in release.content["instruments"].items()]


def entry_for(release: Release, instrument_id=None) -> tuple[int, dict] | None:
    found = entries(release)
    if instrument_id is not None:
        found = [pair for pair in found if str(pair[0]) == str(instrument_id)] or found[:0]
    return found[0] if found else None


def breakdown(entry: dict, by: str) -> dict:
    return entry["breakdowns"].get(by) or entry["breakdowns"][""]


def items_of(entry: dict) -> dict[int, Item]:
    ids = [meta["id"] for meta in entry["items"]]
    found = Item.objects.filter(pk__in=ids).select_related("parent", "section")
    return {item.pk: item for item in found}


def rebuild(entry: dict, by: str, items: dict[int, Item] | None = None) -> list[ItemResult]:
    """The released figures of one breakdown as ItemResults (hidden groups marked hidden)."""
    items = items_of(entry) if items is None else items
    table = breakdown(entry, by)
    found = []
    for meta in entry["items"]:
        item = items.get(meta["id"])
        if item is None:
            continue
        figures = table["items"].get(meta["code"])
        found.append(_result(meta, item, figures, table, by))
    return found


def _result(meta: dict, item: Item, figures: dict | None, table: dict, by: str) -> ItemResult:
    total = Group(TOTAL, _("All"))
    if figures:
        total.answered, total.counts = (
            figures["total"]["answered"],
            dict(figures["total"]["counts"]),
        )
    else:
        total.hidden = True
    groups = []
    for group in table["groups"] if by else []:
        shown = bool(figures) and group["key"] in figures["groups"]
        data = figures["groups"][group["key"]] if shown else {"answered": 0, "counts": {}}
        groups.append(
            Group(group["key"], group["label"], data["answered"], dict(data["counts"]), not shown)
        )
    return ItemResult(
        item=item,
        code=meta["code"],
        text=meta["text"],
        kind=meta["kind"],
        values=[tuple(pair) for pair in meta["values"]],
        specials=[tuple(pair) for pair in meta["specials"]],
        total=total,
        groups=groups,
        respondents=table["respondents"] or 0,
    )


def respondents_table(entry: dict, by: str) -> tuple[list, int | None]:
    """Respondents per group as released: (rows of (label, count or None), total or None)."""
    table = breakdown(entry, by)
    rows = [(group["label"], group["respondents"]) for group in table["groups"]]
    return rows, table["respondents"]


def breakdown_choices(entry: dict) -> list[tuple[str, str]]:
    return [(by, table["label"]) for by, table in entry["breakdowns"].items()]


def hidden_cells(release: Release) -> list[dict]:
    """Every hidden group of every breakdown with its n and why, for the team."""
    cells = []
    for pk, entry in entries(release):
        decided = release.decisions[str(pk)]
        for by, table in entry["breakdowns"].items():
            reasons = decided[by]["reasons"]
            sizes = decided[by]["sizes"]
            labels = {group["key"]: group["label"] for group in table["groups"]}
            for key in decided[by]["hidden"]:
                cells.append(
                    {
                        "instrument": entry["title"],
                        "breakdown": table["label"],
                        "group": labels.get(key, _("All")),
                        "n": sizes[key],
                        "reason": reasons[key],
                        "published": decided[by]["published"],
                        "basis": table["basis"],
                    }
                )
    return cells


def units_large_enough(release: Release) -> set[int]:
    """Units with at least the threshold of responses in the release: quotes may come from
    these only."""
    counts = release.responses.values("unit").annotate(n=Count("id")).order_by()
    return {row["unit"] for row in counts if row["n"] >= release.threshold}


def participation(release: Release) -> tuple[list[tuple[str, int | None]], int] | None:
    """Everyone who took part, per channel (web, paper, interview) and per way of answering
    (assisted, proxy): rows of (label, count or None when under the threshold), and the total.
    None for releases made before this was recorded."""
    found = release.content.get("participation")
    if found is None:
        return None
    channels = dict(Channel.choices)
    ways = dict(Response.Respondent.choices)
    rows = [
        (str(label), found["channel"][key])
        for key, label in channels.items()
        if key in found["channel"]
    ]
    rows += [
        (str(ways[key]), found["respondent"][key])
        for key in ("assisted", "proxy")
        if key in found["respondent"]
    ]
    return rows, found["total"]
