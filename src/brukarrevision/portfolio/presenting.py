"""The portfolio's tables, made once from `selectors.overview` for the page and the XLSX
export alike, so the two always hold the same figures; and the charts drawn from them."""

from django.utils.translation import gettext as _

from brukarrevision.analysis.presenting import withheld_text
from brukarrevision.lib import charts, spreadsheet

EMPTY = "–"


def _withheld(cell: dict, value, threshold: int):
    if cell["hidden"]:
        return withheld_text(threshold)
    if cell["empty"] or value is None:
        return EMPTY
    return value


def _counted(ident: str, caption: str, first: str, rows: list[dict]) -> dict:
    return {
        "id": ident,
        "sheet": first,
        "caption": caption,
        "header": [
            first,
            _("Audits"),
            _("Of which published"),
            _("Respondents in released results"),
        ],
        "rows": [
            [row["label"], row["audits"], row["published"], row["respondents"] or EMPTY]
            for row in rows
        ],
    }


def _audits(data: dict) -> dict:
    return {
        "id": "audits",
        "sheet": _("Audits"),
        "caption": _("The audits counted"),
        "header": [
            _("Audit"),
            _("Client"),
            _("Performed by"),
            _("County"),
            _("Municipality"),
            _("Service type"),
            _("Phase"),
            _("Year"),
            _("Published report"),
            _("Respondents in released results"),
        ],
        "rows": [
            [
                audit["title"],
                audit["client"]["name"],
                audit["performer"]["name"],
                ", ".join(audit["county_labels"]) or EMPTY,
                ", ".join(audit["municipalities"]) or EMPTY,
                ", ".join(audit["service_type_labels"]) or EMPTY,
                audit["phase_label"],
                audit["year"],
                _("yes") if audit["published"] else _("no"),
                audit["respondents"] or EMPTY,
            ]
            for audit in data["audits"]
        ],
    }


def _quality(data: dict) -> dict:
    found = data["quality_areas"]
    threshold = data["threshold"]
    columns = [*found["columns"], {"key": "__all__", "label": _("All audits")}]
    header = [_("Quality area")]
    for column in columns:
        header += [
            _("%(name)s: share positive (%%)") % {"name": column["label"]},
            _("%(name)s: respondents") % {"name": column["label"]},
        ]
    rows = []
    for row in found["rows"]:
        line = [row["label"]]
        for cell in [*row["cells"], row["total"]]:
            line += [
                _withheld(cell, cell["share"], threshold),
                _withheld(cell, cell["n"], threshold),
            ]
        rows.append(line)
    return {
        "id": "quality-areas",
        "sheet": _("Quality areas"),
        "caption": _("Share positive per quality area across the audits"),
        "header": header,
        "rows": rows,
    }


def _by_level(data: dict) -> dict:
    found = data["proposals"]
    return {
        "id": "proposals-by-level",
        "sheet": _("Proposals by level"),
        "caption": _("Action proposals in published reports by level and follow-up status"),
        "header": [_("Level"), *[s["label"] for s in found["statuses"]], _("All")],
        "rows": [[row["label"], *row["counts"], row["total"]] for row in found["by_level"]],
    }


def _by_recipient(data: dict) -> dict:
    found = data["proposals"]
    return {
        "id": "proposals-by-recipient",
        "sheet": _("Proposals by recipient"),
        "caption": _("Regional and national proposals by recipient and follow-up status"),
        "header": [
            _("Passed on to"),
            _("Level"),
            *[s["label"] for s in found["statuses"]],
            _("All"),
        ],
        "rows": [
            [row["recipient"], row["level_label"], *row["counts"], row["total"]]
            for row in found["by_recipient"]
        ],
    }


def _listed(data: dict) -> dict:
    rows = []
    for proposal in data["proposals"]["listed"]:
        latest = proposal["latest_update"]
        rows.append(
            [
                f"{proposal['number']}. {proposal['title']}",
                proposal["audit"]["title"],
                proposal["level_label"],
                proposal["recipient"] or EMPTY,
                proposal["answer"] or _("not answered"),
                proposal["status_label"],
                f"{latest['date']}: {latest['note']}" if latest else EMPTY,
            ]
        )
    return {
        "id": "proposals-listed",
        "sheet": _("Regional and national"),
        "caption": _("What audits ask of regional and national bodies, and what happened"),
        "header": [
            _("Proposal"),
            _("Audit"),
            _("Level"),
            _("Passed on to"),
            _("Answer"),
            _("Follow-up status"),
            _("Latest update"),
        ],
        "rows": rows,
    }


def _trend(index: int, trend: dict, threshold: int) -> dict:
    earlier, later = trend["earlier"], trend["later"]

    def shown(value):
        return withheld_text(threshold) if value is None else value

    return {
        "id": f"trend-{index}",
        "sheet": _("Trend %(n)s") % {"n": index},
        "caption": _("Share positive (%%) per quality area: %(later)s compared with %(earlier)s")
        % {"later": later["title"], "earlier": earlier["title"]},
        "header": [
            _("Quality area"),
            f"{earlier['title']} ({earlier['year']})",
            f"{later['title']} ({later['year']})",
            _("Change (percentage points)"),
        ],
        "rows": [
            [
                row["label"],
                shown(row["before"]),
                shown(row["after"]),
                EMPTY if row["change"] is None else row["change"],
            ]
            for row in trend["areas"]
        ],
    }


def tables(data: dict) -> dict[str, dict]:
    """Every table of the page, by section: the same rows go to the XLSX export."""
    counts = data["counts"]
    found = {
        "audits": _audits(data),
        "county": _counted("by-county", _("Audits by county"), _("County"), counts["county"]),
        "municipality": _counted(
            "by-municipality",
            _("Audits by municipality"),
            _("Municipality"),
            counts["municipality"],
        ),
        "service_type": _counted(
            "by-service-type",
            _("Audits by service type"),
            _("Service type"),
            counts["service_type"],
        ),
        "phase": _counted("by-phase", _("Audits by phase"), _("Phase"), counts["phase"]),
        "year": _counted("by-year", _("Audits by year"), _("Year"), counts["year"]),
        "quality": _quality(data),
        "by_level": _by_level(data),
        "by_recipient": _by_recipient(data),
        "listed": _listed(data),
    }
    for index, trend in enumerate(data["trends"], start=1):
        found[f"trend_{index}"] = _trend(index, trend, data["threshold"])
    return found


def quality_chart(data: dict) -> charts.Chart | None:
    rows = [
        (row["label"], None if row["total"]["hidden"] else row["total"]["share"])
        for row in data["quality_areas"]["rows"]
        if not row["total"]["empty"]
    ]
    if not rows:
        return None
    return charts.bars(
        _("Share positive per quality area, all audits"),
        rows,
        withheld_text(data["threshold"]),
        "chart-quality-areas",
    )


def county_chart(data: dict) -> charts.Chart | None:
    rows = data["counts"]["county"]
    total = len(data["audits"])
    if not rows or not total:
        return None
    return charts.bars(
        _("Share of the audits in each county"),
        [(row["label"], round(100 * row["audits"] / total, 1)) for row in rows],
        withheld_text(data["threshold"]),
        "chart-counties",
    )


def xlsx(data: dict) -> bytes:
    found = tables(data)
    sheets = {}
    for table in found.values():
        sheets[table["sheet"][:31]] = (table["header"], table["rows"])
    about = [
        [_("About")],
        [_("Portfolio"), _("Audits across organisations, read from released results only.")],
        [
            _("Hidden figures"),
            withheld_text(data["threshold"])
            + ". "
            + _(
                "An audit's figures for a quality area enter only when at least this many "
                "answered, so no total less its parts reveals a small group."
            ),
        ],
    ]
    return spreadsheet.xlsx_bytes(sheets, about=about)
