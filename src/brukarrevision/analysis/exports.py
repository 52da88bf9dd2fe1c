"""Exports of results (aggregated and suppressed, for clients) and of responses (raw, one row
per response, for the audit team only, every export logged). CSV is UTF-8 with a byte order
mark; every cell of CSV and XLSX is neutralised against formula injection."""

import os
import tempfile

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.collection.models import Answer, Response
from brukarrevision.instruments import languages, options
from brukarrevision.instruments.models import Instrument, Item
from brukarrevision.lib import spreadsheet
from brukarrevision.permissions import Action, can

from . import presenting, results

RESULT_FORMATS = ("csv", "xlsx")
RESPONSE_FORMATS = ("csv", "xlsx", "sav")


# Results ------------------------------------------------------------------------------------------


def results_table(found: list[results.ItemResult]) -> tuple[list, list[list]]:
    """Every figure of released results: one row per item, group and answer. Numeric columns
    hold numbers or nothing; a hidden group says so in the last column, never in a number."""
    header = [
        _("code"), _("question"), _("quality area"), _("group"), _("answer"),
        _("count"), _("percent"), _("answered"), _("base for the percentages"),
        _("mean"), _("median"), _("share positive"), _("note"),
    ]  # fmt: skip
    rows = []
    for result in found:
        area = result.item.scale.get_quality_area_display() if result.item.quality_area else ""
        for group in result.columns():
            rows.extend(_group_rows(result, group, area))
    return header, rows


def _group_rows(result: results.ItemResult, group, area: str) -> list[list]:
    note = presenting.withheld_text() if group.hidden else _note(result)
    summary = [
        None if group.hidden else group.answered,
        None if group.hidden else result.base(group),
        result.mean(group),
        result.median(group),
        result.positive_share(group),
        note,
    ]
    rows = []
    for value, label in [*result.values, *result.specials] or [("", "")]:
        figure = result.figure(group, value)
        shown = [figure.count, figure.percent] if value and not group.hidden else [None, None]
        rows.append([result.code, result.text, area, group.label, label, *shown, *summary])
    return rows


def _note(result: results.ItemResult) -> str:
    if result.is_multiple:
        return str(results.MULTIPLE_NOTE)
    return ""


def about_results(lines: list[tuple[str, str]]) -> list:
    """The explanation sheet of a results workbook: what it holds, then every column."""
    columns = [
        (_("code"), _("The question's code, as printed on the paper form.")),
        (_("group"), _('The group the figures are for; "All" is everyone.')),
        (_("count"), _("How many gave this answer.")),
        (_("percent"), _("The count as a share of the base for the percentages.")),
        (_("answered"), _("How many in the group answered the question.")),
        (
            _("base for the percentages"),
            _(
                'Those who answered, less "don\'t know" and "not applicable"; those two are '
                "counted as shares of everyone who answered."
            ),
        ),
        (
            _("mean"),
            _('The mean step of the scale, "don\'t know" and "not applicable" not counted.'),
        ),
        (_("share positive"), str(results.POSITIVE_DEFINITION)),
        (_("note"), _("Why figures are missing: a hidden group, or several answers allowed.")),
    ]
    return [(_("About"),), *lines, ("", ""), *columns]


def export_results(
    found: list[results.ItemResult], fmt: str, *, dialect: str = "plain", about=None
) -> bytes:
    header, rows = results_table(found)
    if fmt == "csv":
        return spreadsheet.csv_bytes(header, rows, dialect)
    return spreadsheet.xlsx_bytes({_("Results"): (header, rows)}, about=about)


# Responses ----------------------------------------------------------------------------------------


def _columns(instrument: Instrument) -> list[tuple[str, Item, str | None]]:
    """(column name, item, option value for a multiple-choice column)."""
    columns = []
    for item in results.result_items(instrument):
        if item.kind == Item.Kind.MULTIPLE:
            for option in options.options(item, languages.PLAIN):
                columns.append((f"{item.code}_{option.value}", item, option.value))
        else:
            columns.append((item.code, item, None))
    return columns


def _meta_columns() -> list[str]:
    return ["response", "unit", "target_group", "channel", "language", "respondent", "date"]


def _answers_by_response(instruments) -> dict[int, dict[str, list]]:
    found: dict[int, dict[str, list]] = {}
    rows = Answer.objects.filter(response__instrument__in=instruments).values_list(
        "response_id", "item__code", "choice", "number", "text", "special"
    )
    for response_id, code, choice, number, text, special in rows.order_by("pk"):
        value = special or (number if number is not None else (text or choice))
        found.setdefault(response_id, {}).setdefault(code, []).append(value)
    return found


def responses_table(instrument: Instrument, labels: bool = True) -> tuple[list, list[list], list]:
    """Raw answers, one row per response. Returns (header, rows, columns)."""
    instruments = results.versions(instrument)
    columns = _columns(instrument)
    answers = _answers_by_response(instruments)
    label_of = {
        (item.code, o.value): o.label
        for _name, item, _v in columns
        for o in options.options(item, languages.PLAIN)
    } if labels else {}  # fmt: skip
    responses = Response.objects.filter(instrument__in=instruments).select_related(
        "unit", "target_group"
    )
    rows = []
    for response in responses.order_by("pk"):
        given = answers.get(response.pk, {})
        row = [
            response.pk,
            response.unit.name,
            response.target_group.name,
            response.get_channel_display() if labels else response.channel,
            response.language,
            response.get_respondent_display() if labels else response.respondent,
            response.submitted_on.isoformat(),
        ]
        for _name, item, option in columns:
            values = given.get(item.code, [])
            if option is not None:
                row.append(1 if option in values else (0 if values else None))
                continue
            value = values[0] if values else None
            row.append(label_of.get((item.code, str(value)), value) if labels else value)
        rows.append(row)
    header = _meta_columns() + [name for name, _item, _option in columns]
    return header, rows, columns


def export_responses(
    *, user, instrument: Instrument, fmt: str, labels: bool = True, request=None
) -> bytes:
    """Raw answers for the audit team; refused to anyone else. Every export is logged."""
    if not can(user, Action.VIEW_RAW_ANSWERS, instrument.audit):
        raise PermissionDenied(Action.VIEW_RAW_ANSWERS)
    log_export(instrument, fmt, user=user, request=request)
    return responses_bytes(instrument, fmt, labels)


def log_export(instrument: Instrument, fmt: str, *, user=None, identifier="", request=None):
    record_event(
        SecurityEvent.Kind.RAW_DATA_EXPORTED,
        request=request,
        user=user,
        identifier=identifier,
        audit=instrument.audit,
        detail=f"audit {instrument.audit.slug}, instrument {instrument.pk}, {fmt}",
    )


def responses_bytes(instrument: Instrument, fmt: str, labels: bool = True) -> bytes:
    if fmt == "sav":
        return _sav(instrument)
    header, rows, _columns_ = responses_table(instrument, labels)
    if fmt == "csv":
        return spreadsheet.csv_bytes(header, rows)
    return spreadsheet.xlsx_bytes({_("Responses"): (header, rows)})


def _sav(instrument: Instrument) -> bytes:
    """SPSS: every answer a typed numeric code with value labels that match it; "don't know"
    (98) and "not applicable" (99) declared user-missing, so SPSS and PSPP leave them out of
    means; measure levels (scales ordinal, numbers scale, choices nominal); the full question
    as variable label; text as strings wide enough for the longest answer."""
    import pandas as pd
    import pyreadstat

    header, rows, columns = responses_table(instrument, labels=False)
    value_labels, codes, column_labels = _sav_labels(columns)
    data = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    for name, item, option in columns:
        data[name] = _sav_column(data[name], item, option, codes.get(name))
    frame = pd.DataFrame(data, columns=header)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "responses.sav")
        pyreadstat.write_sav(
            frame,
            path,
            column_labels={**column_labels, **_meta_labels()},
            variable_value_labels=value_labels,
            missing_ranges=_sav_missing(columns, value_labels),
            variable_measure=_sav_measures(columns),
        )
        with open(path, "rb") as handle:
            return handle.read()


SPECIAL_CODES = {options.DONT_KNOW: 98.0, options.NOT_APPLICABLE: 99.0}


def _sav_column(values: list, item: Item, option, mapping: dict | None):
    """One column as SPSS reads it: strings for text, floats (NaN = system missing) for the
    rest, each answer mapped to its code before any number is made of it."""
    import pandas as pd

    if item.kind in Item.TEXT_KINDS:
        return pd.Series(["" if v is None else str(v) for v in values], dtype="object")
    if mapping is not None:
        values = [None if v is None else mapping.get(str(v)) for v in values]
    return pd.Series([float("nan") if v is None else float(v) for v in values], dtype="float64")


def _sav_missing(columns, value_labels: dict) -> dict:
    found = {}
    for name, _item, option in columns:
        specials = [code for code in SPECIAL_CODES.values() if code in value_labels.get(name, {})]
        if option is None and specials:
            found[name] = specials
    return found


def _sav_measures(columns) -> dict:
    measures = {"response": "nominal", "unit": "nominal", "target_group": "nominal"}
    for name, item, option in columns:
        kind = Item.Kind.RATING if item.is_row else item.kind
        if item.kind in Item.TEXT_KINDS:
            measures[name] = "nominal"
        elif option is None and kind == Item.Kind.RATING:
            measures[name] = "ordinal"
        elif option is None and kind == Item.Kind.NUMBER:
            measures[name] = "scale"
        else:
            measures[name] = "nominal"
    return measures


def _sav_labels(columns) -> tuple[dict, dict, dict]:
    """(value labels, answer value -> number, variable labels) per column."""
    value_labels, codes, column_labels = {}, {}, {}
    for name, item, option in columns:
        text = results.item_text(item)
        column_labels[name] = text if option is None else f"{text}: {option}"
        if option is not None:
            value_labels[name] = {1.0: _("chosen"), 0.0: _("not chosen")}
            continue
        if item.kind in Item.TEXT_KINDS or item.kind == Item.Kind.NUMBER:
            continue
        numbers = {}
        for position, offered in enumerate(options.options(item, languages.PLAIN), start=1):
            numbers[offered.value] = SPECIAL_CODES.get(offered.value) or (
                float(offered.value) if offered.value.isdigit() else float(position)
            )
            value_labels.setdefault(name, {})[numbers[offered.value]] = offered.label
        codes[name] = numbers
    return value_labels, codes, column_labels


def _meta_labels() -> dict:
    return {
        "response": _("response"),
        "unit": _("unit"),
        "target_group": _("target group"),
        "channel": _("channel"),
        "language": _("language"),
        "respondent": _("who answered"),
        "date": _("date"),
    }
