"""XLSForm import and export, so instruments travel to and from KoboToolbox and ODK.

Mapping (https://xlsform.org): a section is a top-level `begin_group`; a matrix is a group with
the `table-list` appearance whose rows are `select_one` on one scale list; a rating scale is a
`select_one` on a list of the values 1..4 or 1..5 (appearance `likert`), with `dont_know` and
`not_applicable` as extra values never counted on the scale; yes/no is a list of `yes` and `no`;
long text is `text` with the `multiline` appearance. Texts are `label::Name (code)` columns.
Columns other tools ignore carry what XLSForm has no place for: `quality_area`,
`audit_question`, `prompts::…` and `interviewer_note::…`.
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from brukarrevision.audits.models import Audit, TargetGroup
from brukarrevision.permissions import Action, can

from . import conditions, languages, options
from .models import Choice, Instrument, Item, QualityArea, Section

TEXT_COLUMNS = ["label", "hint", "prompts", "interviewer_note"]
METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "calculate",
    "hidden",
    "start-geopoint",
}
SPECIAL = [options.DONT_KNOW, options.NOT_APPLICABLE]


# Export --------------------------------------------------------------------------------


def _column(kind: str, lang: str) -> str:
    return f"{kind}::{languages.OWN_NAMES.get(lang, lang)} ({lang})"


class _Sheets:
    def __init__(self, instrument: Instrument):
        self.instrument = instrument
        self.langs = instrument.languages
        self.survey: list[dict] = []
        self.choices: list[dict] = []

    def texts(self, kind: str, texts: dict) -> dict:
        return {_column(kind, lang): texts.get(lang, "") for lang in self.langs if texts}

    def add_list(self, name: str, entries: list[tuple[str, dict]]) -> None:
        for value, label in entries:
            self.choices.append({"list_name": name, "name": value, **self.texts("label", label)})

    def scale_list(self, item: Item) -> str:
        name = f"scale_{item.code}"
        steps = item.scale_steps or 5
        entries = []
        for n in range(1, steps + 1):
            label = {lang: str(n) for lang in self.langs}
            if n == 1:
                label = {lang: item.scale_low.get(lang) or "1" for lang in self.langs}
            if n == steps:
                label = {lang: item.scale_high.get(lang) or str(steps) for lang in self.langs}
            entries.append((str(n), label))
        for special, wanted in zip(SPECIAL, [item.dont_know, item.not_applicable], strict=True):
            if wanted:
                entries.append(
                    (special, {lang: options.fixed(special, lang) for lang in self.langs})
                )
        self.add_list(name, entries)
        return name

    def row(self, item: Item, type_: str, appearance: str = "") -> dict:
        return {
            "type": type_,
            "name": item.code,
            **self.texts("label", item.text),
            **self.texts("hint", item.help),
            "required": "yes" if item.required else "",
            "relevant": conditions.to_xpath(item.condition),
            "appearance": appearance,
            "quality_area": item.quality_area,
            "audit_question": item.audit_question.number if item.audit_question else "",
            **self.texts("prompts", item.prompts),
            **self.texts("interviewer_note", item.interviewer_note),
        }

    def item(self, item: Item) -> None:
        kind = item.kind
        if kind in Item.CHOICE_KINDS:
            name = f"list_{item.code}"
            self.add_list(name, [(c.value, c.label) for c in item.choices.all()])
            verb = "select_one" if kind == Item.Kind.SINGLE else "select_multiple"
            self.survey.append(self.row(item, f"{verb} {name}"))
        elif kind == Item.Kind.YES_NO:
            if not any(c["list_name"] == "yes_no" for c in self.choices):
                yes_no = [options.YES, options.NO]
                self.add_list(
                    "yes_no",
                    [(v, {lang: options.fixed(v, lang) for lang in self.langs}) for v in yes_no],
                )
            self.survey.append(self.row(item, "select_one yes_no"))
        elif kind == Item.Kind.RATING:
            self.survey.append(self.row(item, f"select_one {self.scale_list(item)}", "likert"))
        elif kind == Item.Kind.MATRIX:
            scale = self.scale_list(item)
            self.survey.append(self.row(item, "begin_group", "table-list"))
            for row in item.rows.all():
                self.survey.append(self.row(row, f"select_one {scale}", "likert"))
            self.survey.append({"type": "end_group"})
        else:
            type_, appearance = {
                Item.Kind.NUMBER: ("integer", ""),
                Item.Kind.SHORT_TEXT: ("text", ""),
                Item.Kind.LONG_TEXT: ("text", "multiline"),
                Item.Kind.NOTE: ("note", ""),
            }[kind]
            self.survey.append(self.row(item, type_, appearance))


def export_xlsform(instrument: Instrument) -> bytes:
    from . import selectors

    sheets = _Sheets(instrument)
    for number, section in enumerate(selectors.sections_with_items(instrument), 1):
        sheets.survey.append(
            {
                "type": "begin_group",
                "name": f"section_{number}",
                **sheets.texts("label", section.title),
                "appearance": "field-list",
            }
        )
        for item in section.top_items:
            sheets.item(item)
        sheets.survey.append({"type": "end_group"})
    workbook = Workbook()
    _write(workbook.active, "survey", sheets.survey)
    _write(workbook.create_sheet(), "choices", sheets.choices)
    settings = {
        "form_title": instrument.title,
        "form_id": f"{instrument.audit.slug}_{instrument.pk}",
        "version": str(instrument.version),
        "default_language": _column("label", languages.PLAIN).split("::")[1],
        "instrument_kind": instrument.kind,
        "respondent": instrument.respondent,
    }
    _write(workbook.create_sheet(), "settings", [settings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(sheet, title: str, rows: list[dict]) -> None:
    sheet.title = title
    header: list[str] = []
    for row in rows:
        header.extend(key for key in row if key not in header)
    header = [h for h in header if any(row.get(h) not in (None, "") for row in rows)] or ["type"]
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h, "") for h in header])


# Import --------------------------------------------------------------------------------


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }


class XLSFormRefused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class _Row:
    number: int
    values: dict
    texts: dict = field(default_factory=dict)  # column kind -> {lang: text}


_LANG_COLUMN = re.compile(r"^([a-z_]+)::(.*?)\s*(?:\(([^()]+)\))?\s*$")


class _Reader:
    def __init__(self, data: bytes):
        self.problems: list[Problem] = []
        try:
            self.book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not XLSX
            raise XLSFormRefused(
                [Problem("-", 0, "", _("The file is not an Excel workbook (.xlsx)."))]
            ) from None
        self.languages: list[str] = []

    def problem(self, sheet, row, column, message):
        self.problems.append(Problem(sheet, row, column, message))

    def sheet(self, name: str, required: bool = True) -> list[_Row]:
        sheets = {s.lower(): s for s in self.book.sheetnames}
        if name not in sheets:
            if required:
                self.problem(name, 0, "", _("The sheet is missing."))
            return []
        rows = self.book[sheets[name]].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        found = []
        for number, cells in enumerate(rows, 2):
            values, texts = {}, defaultdict(dict)
            for title, cell in zip(header, cells, strict=False):
                text = "" if cell is None else str(cell).strip()
                self._put(name, number, title, text, values, texts)
            if any(values.values()) or any(t for t in texts.values() if any(t.values())):
                found.append(_Row(number, values, dict(texts)))
        return found

    def _put(self, sheet, number, title, text, values, texts):
        match = _LANG_COLUMN.match(title)
        kind = (match.group(1) if match else title).lower()
        if kind in TEXT_COLUMNS:
            lang = self._language(sheet, number, title, match)
            if lang:
                texts[kind][lang] = text
        elif match and kind == "media":
            return
        else:
            values[title.lower()] = text

    def _language(self, sheet, number, title, match) -> str | None:
        if not match:
            code = languages.PLAIN
        else:
            name, code = match.group(2).strip(), (match.group(3) or "").strip()
            code = code or _code_for_name(name)
        if code not in languages.NAMES:
            self.problem(sheet, 1, title, _("Unknown language %s.") % (code or title))
            return None
        if code not in self.languages:
            self.languages.append(code)
        return code


def _type(raw: str) -> tuple[str, str]:
    """("select_one", "list") from "select_one list"; "begin group" is "begin_group"."""
    raw = " ".join(raw.split())
    for spaced in ("begin group", "end group", "begin repeat", "end repeat"):
        if raw.lower().startswith(spaced):
            raw = spaced.replace(" ", "_") + raw[len(spaced) :]
    verb, _space, list_name = raw.partition(" ")
    return verb.lower(), list_name.removesuffix(" or_other").strip()


def _code_for_name(name: str) -> str:
    lowered = name.lower()
    for code in languages.NAMES:
        if lowered in (str(languages.OWN_NAMES.get(code, "")).lower(), code):
            return code
    return {"swedish": "sv", "english": "en", "arabic": "ar"}.get(lowered, "")


@dataclass
class _Pending:
    """An item read from the survey sheet, before it is saved."""

    row: _Row
    kind: str
    list_name: str = ""
    appearance: str = ""
    rows: list = field(default_factory=list)


class _Importer:
    def __init__(self, data: bytes, audit: Audit):
        self.reader = _Reader(data)
        self.audit = audit
        self.lists: dict[str, list[_Row]] = defaultdict(list)
        self.sections: list[tuple[dict, list[_Pending]]] = []
        self.names: dict[str, int] = {}

    def problem(self, row: _Row | None, column: str, message: str, sheet="survey"):
        self.reader.problem(sheet, row.number if row else 0, column, message)

    def read(self):
        survey = self.reader.sheet("survey")
        for row in self.reader.sheet("choices"):
            self._read_choice(row)
        settings = (self.reader.sheet("settings", required=False) or [None])[0]
        if survey:
            self._read_survey(survey)
        if languages.PLAIN not in self.reader.languages and not self.reader.problems:
            self.problem(None, "label", _("The form has no Swedish labels (label::Svenska (sv))."))
        return settings

    def _read_choice(self, row: _Row):
        name = row.values.get("list_name") or row.values.get("list name", "")
        if not name:
            self.problem(row, "list_name", _("Every answer needs a list name."), "choices")
        elif not row.values.get("name") and not row.values.get("value"):
            self.problem(row, "name", _("Every answer needs a name."), "choices")
        else:
            self.lists[name].append(row)

    def _read_survey(self, survey: list[_Row]):
        groups: list[str] = []  # "section", "matrix" or "group", innermost last
        matrix: _Pending | None = None
        current: list[_Pending] | None = None
        for row in survey:
            verb, list_name = _type(row.values.get("type", ""))
            if verb == "begin_group":
                if "table-list" in row.values.get("appearance", "") and groups:
                    matrix = _Pending(row, Item.Kind.MATRIX)
                    self._name(row)
                    current.append(matrix)
                    groups.append("matrix")
                elif not groups:
                    current = []
                    self.sections.append((row.texts.get("label", {}), current))
                    groups.append("section")
                else:
                    groups.append("group")
            elif verb == "end_group":
                if not groups:
                    self.problem(row, "type", _("end_group without begin_group."))
                elif groups.pop() == "matrix":
                    matrix = None
            elif verb in ("begin_repeat", "end_repeat"):
                self.problem(row, "type", _("Repeated groups are not supported."))
            elif verb in METADATA_TYPES or not verb:
                continue
            else:
                if current is None:
                    current = []
                    self.sections.append(({}, current))
                self._place(self._question(row, verb, list_name), matrix, current)
        if groups:
            self.problem(None, "type", _("A begin_group has no end_group."))

    def _place(self, pending, matrix, current) -> None:
        if pending and matrix is not None:
            if pending.kind != Item.Kind.RATING:
                self.problem(pending.row, "type", _("A matrix can only hold rating items."))
            matrix.rows.append(pending)
            matrix.list_name = matrix.list_name or pending.list_name
        elif pending:
            current.append(pending)

    def _name(self, row: _Row) -> None:
        name = row.values.get("name", "")
        if not name:
            self.problem(row, "name", _("Every question needs a name."))
        elif not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]{0,39}", name):
            self.problem(
                row, "name", _("The name %s may only hold letters, digits, - and _.") % name
            )
        elif name in self.names:
            self.problem(row, "name", _("The name %s is used twice.") % name)
        else:
            self.names[name] = row.number

    def _question(self, row: _Row, verb: str, list_name: str) -> _Pending | None:
        self._name(row)
        appearance = row.values.get("appearance", "")
        if verb in ("select_one", "select_multiple"):
            if list_name not in self.lists:
                self.problem(
                    row, "type", _("The answer list %s is not on the choices sheet.") % list_name
                )
                return None
            if verb == "select_multiple":
                return _Pending(row, Item.Kind.MULTIPLE, list_name)
            return _Pending(row, self._single_kind(list_name, appearance), list_name)
        simple = {"integer": Item.Kind.NUMBER, "decimal": Item.Kind.NUMBER, "note": Item.Kind.NOTE}
        if verb in simple:
            return _Pending(row, simple[verb])
        if verb == "text":
            long = "multiline" in appearance
            return _Pending(row, Item.Kind.LONG_TEXT if long else Item.Kind.SHORT_TEXT)
        self.problem(row, "type", _("The question type %s is not supported.") % verb)
        return None

    def _single_kind(self, list_name: str, appearance: str) -> str:
        values = [c.values.get("name") or c.values.get("value") for c in self.lists[list_name]]
        if sorted(values) == ["no", "yes"]:
            return Item.Kind.YES_NO
        steps = [v for v in values if v not in SPECIAL]
        if steps in (["1", "2", "3", "4"], ["1", "2", "3", "4", "5"]):
            return Item.Kind.RATING
        if "likert" in appearance:
            return Item.Kind.RATING  # refused later with a clear message
        return Item.Kind.SINGLE


class _Writer:
    """Turns what the importer read into rows, checking what needs the whole form."""

    def __init__(self, importer: _Importer, instrument: Instrument):
        self.importer = importer
        self.instrument = instrument
        self.langs = instrument.languages
        self.seen: set[str] = set()

    def write(self):
        for position, (title, pendings) in enumerate(self.importer.sections):
            section = Section.objects.create(
                instrument=self.instrument,
                position=position,
                title=_clean(title) or {languages.PLAIN: _("Part %(n)s") % {"n": position + 1}},
            )
            for number, pending in enumerate(pendings, 1):
                self._item(section, pending, number)

    def _item(self, section, pending: _Pending, position: int, parent=None) -> Item:
        row = pending.row
        item = Item(
            section=section,
            parent=parent,
            position=position,
            code=row.values.get("name", ""),
            kind=pending.kind,
            text=_clean(row.texts.get("label", {})),
            help=_clean(row.texts.get("hint", {})),
            prompts=_clean(row.texts.get("prompts", {})),
            interviewer_note=_clean(row.texts.get("interviewer_note", {})),
            required=self._required(row),
            quality_area=self._quality_area(row),
            audit_question=self._audit_question(row),
            condition=self._condition(row),
        )
        if pending.kind == Item.Kind.MATRIX and not pending.rows:
            self.importer.problem(row, "type", _("The matrix has no rows."))
        if pending.kind in Item.SCALE_KINDS and parent is None:
            self._scale(item, pending)
        if not item.text.get(languages.PLAIN) and pending.kind != Item.Kind.MATRIX:
            self.importer.problem(row, _column("label", languages.PLAIN), _("The text is missing."))
        item.text = item.text or {languages.PLAIN: item.code}
        item.save()
        self.seen.add(item.code)
        if pending.kind in Item.CHOICE_KINDS:
            self._choices(item, pending.list_name)
        for number, child in enumerate(pending.rows, 1):
            self._item(section, child, number, parent=item)
        return item

    def _required(self, row: _Row) -> bool:
        value = row.values.get("required", "").lower()
        if value in ("yes", "true", "true()", "1"):
            return True
        if value not in ("", "no", "false", "false()", "0"):
            self.importer.problem(row, "required", _("Write yes or no."))
        return False

    def _quality_area(self, row: _Row) -> str:
        value = row.values.get("quality_area", "")
        if value and value not in QualityArea.values:
            self.importer.problem(row, "quality_area", _("Unknown quality area %s.") % value)
            return ""
        return value

    def _audit_question(self, row: _Row):
        number = row.values.get("audit_question", "")
        if not number.isdigit():
            return None
        return self.instrument.audit.audit_questions.filter(number=int(number)).first()

    def _condition(self, row: _Row):
        expression = row.values.get("relevant", "")
        try:
            condition = conditions.from_xpath(expression)
        except ValueError:
            self.importer.problem(
                row, "relevant", _("Only one comparison of one earlier answer is supported.")
            )
            return None
        if condition and condition["item"] not in self.seen:
            self.importer.problem(
                row, "relevant", _("%s is not an earlier question.") % condition["item"]
            )
            return None
        return condition

    def _scale(self, item: Item, pending: _Pending) -> None:
        entries = self.importer.lists.get(pending.list_name or "", [])
        values = [e.values.get("name") or e.values.get("value") for e in entries]
        steps = [v for v in values if v not in SPECIAL]
        if steps not in (["1", "2", "3", "4"], ["1", "2", "3", "4", "5"]):
            self.importer.problem(
                pending.row, "type", _("A rating scale is a list of the values 1 to 4 or 1 to 5.")
            )
            return
        item.scale_steps = len(steps)
        labels = {v: _clean(e.texts.get("label", {})) for v, e in zip(values, entries, strict=True)}
        item.scale_low = {k: v for k, v in labels["1"].items() if v != "1"}
        last = str(len(steps))
        item.scale_high = {k: v for k, v in labels[last].items() if v != last}
        item.dont_know = options.DONT_KNOW in values
        item.not_applicable = options.NOT_APPLICABLE in values

    def _choices(self, item: Item, list_name: str) -> None:
        entries = self.importer.lists[list_name]
        values = [e.values.get("name") or e.values.get("value") for e in entries]
        for entry, value in zip(entries, values, strict=True):
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", value):
                self.importer.problem(
                    entry,
                    "name",
                    _("The name %s may only hold letters, digits, - and _.") % value,
                    "choices",
                )
        Choice.objects.bulk_create(
            Choice(item=item, position=n, value=value, label=_clean(entry.texts.get("label", {})))
            for n, (entry, value) in enumerate(zip(entries, values, strict=True), 1)
        )


def _clean(texts: dict) -> dict:
    return {lang: text for lang, text in texts.items() if text}


def import_xlsform(data: bytes, *, audit: Audit, user, title: str = "") -> Instrument:
    """A new instrument in `audit` from an XLSForm file; all or nothing. Raises
    XLSFormRefused naming sheet, row and column of every problem found."""
    if user is not None and not can(user, Action.EDIT_INSTRUMENTS, audit):
        raise PermissionDenied(Action.EDIT_INSTRUMENTS)
    importer = _Importer(data, audit)
    settings = importer.read()
    if importer.reader.problems:
        raise XLSFormRefused(importer.reader.problems)
    values = settings.values if settings else {}
    kind = values.get("instrument_kind", "")
    respondent = values.get("respondent", "")
    with transaction.atomic():
        instrument = Instrument.objects.create(
            audit=audit,
            title=title or values.get("form_title") or _("Imported instrument"),
            kind=kind if kind in Instrument.Kind.values else Instrument.Kind.QUESTIONNAIRE,
            respondent=respondent if respondent in TargetGroup.Kind.values else "users",
            languages=[languages.PLAIN, *[c for c in importer.reader.languages if c != "sv"]],
        )
        _Writer(importer, instrument).write()
        if importer.reader.problems:
            raise XLSFormRefused(importer.reader.problems)  # rolls back the whole import
    return instrument
