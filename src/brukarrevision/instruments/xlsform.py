"""XLSForm import and export, so instruments travel to and from KoboToolbox and ODK.

Mapping (https://xlsform.org): a section is a top-level group; a matrix is a group with the
`table-list` appearance whose rows are `select_one` on one rating list; a rating scale is a
`select_one` with the `likert` appearance (from other tools also without it) on a list of the
values 1..4 or 1..5, with one "don't know" (dont_know, 9, 98, 99 or a label such as "Vet ej")
and one "not applicable" (not_applicable or "Ej aktuellt") as extra values never counted on
the scale, stored as dont_know and not_applicable; yes/no is a list of `yes` and `no`; long
text is `text` with the `multiline` appearance; `or_other` becomes an answer `other` and a
short text `<name>_other` shown when it is chosen. Texts are `label::Name (code)` columns.
Columns other tools ignore carry what XLSForm has no place for: `quality_area`,
`audit_question`, `bank_key`, `prompts::…`, `interviewer_note::…` and, on the settings sheet,
`intro::…`, `instrument_kind` and `respondent`.

Reading is pyxform's: it opens .xlsx, .xls and .csv workbooks, reads only rows that hold
something (a sheet saved by LibreOffice, whose used range is 1,048,576 rows, opens at once),
checks the form against the XLSForm spec and gives it as its JSON structure, from which the
instrument is built. What the platform has no place for is refused naming the sheet, row and
column; nothing is dropped silently. Two things are skipped on purpose: the device metadata
types (start, end, today, deviceid, …), because the platform never records them, and
`$` columns, KoboToolbox's bookkeeping.

Names: item, matrix and choice names are item and answer codes and travel unchanged. The
names of groups, answer lists and the answers stored as dont_know and not_applicable (e.g. 9
and 98) are kept from the imported file (Section.name, Item.list_name, Item.dont_know_name and
Item.not_applicable_name) and written back, so items that shared a list share it again; like
an item name, a name that cannot be kept (other than letters, digits, - and _, or longer than
40) is refused. What was made here has no such names and gets derived ones: a section is
`section_N`, a list is named after the first item that uses it (`list_<code>`,
`scale_<code>`, `yes_no`) and is shared by later items with the same answers, and the special
answers are dont_know and not_applicable. A kept name gives way to a derived one only where it
would make the form invalid: a list name claimed by items whose answers now differ (the first
keeps it), a group name now also used by a question, a special answer's name that is now a
step of the scale. So a form keeps every name through any number of imports and exports.
"""

import copy
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from brukarrevision.audits.models import Audit, TargetGroup
from brukarrevision.lib import uploads
from brukarrevision.permissions import Action, can

from . import bank, conditions, languages, options
from .models import Choice, Instrument, Item, QualityArea, Section

TEXT_COLUMNS = ["label", "hint", "prompts", "interviewer_note"]
SPECIAL = [options.DONT_KNOW, options.NOT_APPLICABLE]


# Export --------------------------------------------------------------------------------


def _column(kind: str, lang: str) -> str:
    return f"{kind}::{languages.OWN_NAMES.get(lang, lang)} ({lang})"


class _Sheets:
    def __init__(self, instrument: Instrument, sections: list[Section]):
        self.instrument = instrument
        self.langs = instrument.languages
        self.survey: list[dict] = []
        self.choices: list[dict] = []
        self.lists: dict[str, tuple] = {}  # name -> answers, for every list written
        self.by_answers: dict[tuple, str] = {}  # answers -> the first list written with them
        # Kept names, which a derived name must never take.
        self.kept = {i.list_name for s in sections for i in s.top_items if i.list_name}

    def texts(self, kind: str, texts: dict) -> dict:
        return {_column(kind, lang): texts.get(lang, "") for lang in self.langs if texts}

    def add_list(self, kept: str, derived: str, entries: list[tuple[str, dict]]) -> str:
        """The list's name, the list written once: the kept name unless an earlier list
        holds other answers under it; else the earlier list with the same answers, else
        `derived` (made unique)."""
        key = tuple((value, tuple(sorted(label.items()))) for value, label in entries)
        if kept and self.lists.get(kept, key) == key:
            name = kept
        else:
            name = self.by_answers.get(key) or self._free(derived)
        if name not in self.lists:
            self.lists[name] = key
            self.by_answers.setdefault(key, name)
            for value, label in entries:
                self.choices.append(
                    {"list_name": name, "name": value, **self.texts("label", label)}
                )
        return name

    def _free(self, derived: str) -> str:
        name, n = derived, 1
        while name in self.lists or name in self.kept:
            n += 1
            name = f"{derived}_{n}"
        return name

    def scale_list(self, item: Item) -> str:
        steps = item.scale_steps or 5
        entries = []
        for n in range(1, steps + 1):
            label = {lang: str(n) for lang in self.langs}
            if n == 1:
                label = {lang: item.scale_low.get(lang) or "1" for lang in self.langs}
            if n == steps:
                label = {lang: item.scale_high.get(lang) or str(steps) for lang in self.langs}
            entries.append((str(n), label))
        taken = {value for value, _label in entries} | set(SPECIAL)
        for special, wanted, kept in [
            (options.DONT_KNOW, item.dont_know, item.dont_know_name),
            (options.NOT_APPLICABLE, item.not_applicable, item.not_applicable_name),
        ]:
            if wanted:
                name = kept if kept and kept not in taken else special
                taken.add(name)
                entries.append((name, {lang: options.fixed(special, lang) for lang in self.langs}))
        return self.add_list(item.list_name, f"scale_{item.code}", entries)

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
            "bank_key": item.bank_key,
            **self.texts("prompts", item.prompts),
            **self.texts("interviewer_note", item.interviewer_note),
        }

    def item(self, item: Item) -> None:
        kind = item.kind
        if kind in Item.CHOICE_KINDS:
            name = self.add_list(
                item.list_name,
                f"list_{item.code}",
                [(c.value, c.label) for c in item.choices.all()],
            )
            verb = "select_one" if kind == Item.Kind.SINGLE else "select_multiple"
            self.survey.append(self.row(item, f"{verb} {name}"))
        elif kind == Item.Kind.YES_NO:
            yes_no = [options.YES, options.NO]
            name = self.add_list(
                item.list_name,
                "yes_no",
                [(v, {lang: options.fixed(v, lang) for lang in self.langs}) for v in yes_no],
            )
            self.survey.append(self.row(item, f"select_one {name}"))
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


def _section_names(sections: list[Section]) -> list[str]:
    """Each section's group name: its kept name unless a question or an earlier section has
    it, else section_<n> (made unique)."""
    taken = {i.code for s in sections for item in s.top_items for i in [item, *item.rows.all()]}
    found = []
    for section in sections:
        name = section.name if section.name and section.name not in taken else ""
        if name:
            taken.add(name)
        found.append(name)
    for number, name in enumerate(found, 1):
        if not name:
            name, n = f"section_{number}", 1
            while name in taken:
                n += 1
                name = f"section_{number}_{n}"
            taken.add(name)
            found[number - 1] = name
    return found


def export_xlsform(instrument: Instrument) -> bytes:
    from . import selectors

    sections = selectors.sections_with_items(instrument)
    sheets = _Sheets(instrument, sections)
    for section, name in zip(sections, _section_names(sections), strict=True):
        sheets.survey.append(
            {
                "type": "begin_group",
                "name": name,
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
        **sheets.texts("intro", instrument.intro),
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
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text, never a formula a spreadsheet would run


# Import: problems ----------------------------------------------------------------------


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


def _no_place(column: str) -> str:
    return _("The platform has no place for %(column)s; remove the column or the value.") % {
        "column": column
    }


_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
_PYXFORM_SHEET = re.compile(r"[Oo]n the '(\w+)' sheet")
_PYXFORM_COLUMN = re.compile(r"the '([^']+)' (?:value|column)")
_PYXFORM_HEADER = re.compile(r"Duplicate column header: (.*)")


def _pyxform_problem(error: Exception) -> Problem:
    """pyxform's own refusal, with the sheet, row and column it names."""
    text = str(error)
    context = getattr(error, "context", None) or {}
    row = context.get("row") or _found(_PYXFORM_ROW, text) or 0
    sheet = context.get("sheet") or _found(_PYXFORM_SHEET, text) or "survey"
    column = context.get("column") or _found(_PYXFORM_COLUMN, text)
    if header := _found(_PYXFORM_HEADER, text):
        sheet, row, column = "-", 1, header
    elif not column and re.search(r"List name|begin_group|end_group|begin_repeat", text):
        column = "type"
    reason = _PYXFORM_ROW.sub("", text, count=1).strip()
    message = _("The form breaks the XLSForm rules: %(reason)s") % {"reason": reason}
    return Problem(sheet, int(row), column or "", message)


def _found(pattern: re.Pattern, text: str) -> str:
    match = pattern.search(text)
    return match.group(1).strip() if match else ""


# Import: reading through pyxform ---------------------------------------------------------


def _parse(data: bytes):
    """pyxform's reading of the workbook (rows by sheet) and its JSON form, or refused."""
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    try:
        uploads.check(data)
    except uploads.TooLarge as error:
        raise XLSFormRefused([Problem("-", 0, "", str(error))]) from None
    try:
        definition = get_xlsform(data)
    except PyXFormError as error:
        if "not recognized" not in str(error):
            raise XLSFormRefused([_pyxform_problem(error)]) from None
        raise XLSFormRefused([Problem("-", 0, "", _not_a_workbook())]) from None
    except Exception:  # openpyxl and xlrd raise many kinds for a damaged file
        raise XLSFormRefused([Problem("-", 0, "", _not_a_workbook())]) from None
    try:
        form = workbook_to_json(definition, form_name="data", warnings=[])
        create_survey_element_from_dict(copy.deepcopy(form)).to_xml(validate=False)
    except Exception as error:  # PyXFormError, and what pyxform lets through on odd input
        raise XLSFormRefused([_pyxform_problem(error)]) from None
    return definition, form


def _not_a_workbook() -> str:
    return _("The file is not an XLSForm workbook (.xlsx, .xls or .csv).")


@dataclass
class _Row:
    """A row as pyxform read it: its number on the sheet and its cells by what their column
    means to pyxform, e.g. ("label", "English (en)") or ("bind", "relevant")."""

    sheet: str
    number: int
    cells: dict[tuple, tuple[str, str]]  # meaning -> (column as written, value)

    def get(self, *meaning: str) -> str:
        return self.cells.get(meaning, ("", ""))[1]

    def column(self, *meaning: str) -> str:
        return self.cells.get(meaning, (meaning[-1], ""))[0]


def _sheet_rows(sheet: str, rows, header, aliases: dict, known: set) -> tuple[list, dict]:
    from pyxform.parsing.sheet_headers import process_header

    columns = list((header or [{}])[0])
    double = any("::" in c for c in columns)
    meaning = {c: process_header(c, double, aliases, known)[1] for c in columns}
    found = []
    for number, raw in enumerate(rows or [], 2):
        cells = {meaning[c]: (c, v) for c, v in raw.items() if c in meaning and v not in ("", None)}
        found.append(_Row(sheet, number, cells))
    return found, meaning


SURVEY_COLUMNS = {
    ("type",),
    ("name",),
    ("bind", "required"),
    ("bind", "relevant"),
    ("control", "appearance"),
    ("quality_area",),
    ("audit_question",),
    ("bank_key",),
}
CHOICE_COLUMNS = {("list name",), ("name",)}
SETTINGS_COLUMNS = {
    ("title",),
    ("id_string",),
    ("version",),
    ("default_language",),
    ("instrument_kind",),
    ("respondent",),
}
TEXTS_ON = {"survey": set(TEXT_COLUMNS), "choices": {"label"}, "settings": {"intro"}}
ALLOWED = {"survey": SURVEY_COLUMNS, "choices": CHOICE_COLUMNS, "settings": SETTINGS_COLUMNS}
_LANGUAGE = re.compile(r"^(.*?)\s*(?:\(([^()]+)\))?\s*$")
_END = re.compile(r"^end[\s_]*(group|repeat|loop)", re.IGNORECASE)


class _Book:
    """The workbook as pyxform read it: rows by sheet, its JSON form and its languages."""

    def __init__(self, data: bytes):
        from pyxform import aliases
        from pyxform.question import MultipleChoiceQuestion, Option
        from pyxform.survey import Survey

        self.problems: list[Problem] = []
        definition, self.form = _parse(data)
        self.sheets, self.meanings = {}, {}
        for sheet, aliases_, known in [
            ("survey", aliases.survey_header, MultipleChoiceQuestion.get_slot_names()),
            ("choices", aliases.list_header, Option.get_slot_names()),
            ("settings", aliases.settings_header, Survey.get_slot_names()),
        ]:
            rows, header = getattr(definition, sheet), getattr(definition, f"{sheet}_header")
            self.sheets[sheet], self.meanings[sheet] = _sheet_rows(
                sheet, rows, header, aliases_, set(known)
            )
        self._refuse_other_sheets(definition)
        self._read_languages()
        self._check_columns()
        self._index()

    def problem(self, row: _Row | None, column: str, message: str, sheet: str = "survey"):
        sheet = row.sheet if row else sheet
        self.problems.append(Problem(sheet, row.number if row else 0, column, message))

    def _refuse_other_sheets(self, definition) -> None:
        for sheet in ("external_choices", "entities", "osm"):
            if getattr(definition, sheet, None):
                self.problem(None, "", _no_place(sheet), sheet)

    # Languages: pyxform keys texts by what follows "::" ("default" when nothing does).

    def _read_languages(self) -> None:
        self.default_key = self.form.get("default_language") or "default"
        self.codes: dict[str, str] = {}  # pyxform's language key -> our code
        self.languages: list[str] = []
        self.text_columns: dict[tuple, str] = {}  # (sheet, kind, code) -> column
        for sheet, meanings in self.meanings.items():
            for column, meaning in meanings.items():
                if meaning[0] in TEXTS_ON[sheet]:
                    self._language(sheet, column, meaning)
        if languages.PLAIN not in self.languages and not self.problems:
            self.problem(None, "label", _("The form has no Swedish labels (label::Svenska (sv))."))

    def _language(self, sheet: str, column: str, meaning: tuple) -> None:
        key = _language_key(meaning, self.default_key)
        code = self.codes.get(key) or _code_for(key)
        if code not in languages.NAMES:
            self.problems.append(
                Problem(sheet, 1, column, _("Unknown language %s.") % (code or key))
            )
            return
        self.codes[key] = code
        self.text_columns[(sheet, meaning[0], code)] = column
        if code not in self.languages:
            self.languages.append(code)

    def texts(self, value) -> dict:
        """{code: text} from a pyxform text: a plain string is in the default language."""
        if isinstance(value, str):
            value = {self.default_key: value}
        found = {}
        for key, text in (value or {}).items():
            if key in self.codes and isinstance(text, str) and text.strip():
                found[self.codes[key]] = text.strip()
        return found

    def text_column(self, sheet: str, kind: str, code: str = languages.PLAIN) -> str:
        return self.text_columns.get((sheet, kind, code), _column(kind, code))

    # What the platform has no place for, cell by cell.

    def _check_columns(self) -> None:
        for sheet, rows in self.sheets.items():
            for row in rows:
                for meaning, (column, _value) in row.cells.items():
                    if not self._has_place(sheet, column, meaning):
                        self.problem(row, column, _no_place(column))
                self._check_type(sheet, row)

    def _has_place(self, sheet: str, column: str, meaning: tuple) -> bool:
        if column.startswith("$"):
            return True  # KoboToolbox's bookkeeping, e.g. $kuid
        return meaning in ALLOWED[sheet] or (len(meaning) <= 2 and meaning[0] in TEXTS_ON[sheet])

    def _check_type(self, sheet: str, row: _Row) -> None:
        filled = [m for m, (c, _v) in row.cells.items() if not c.startswith("$")]
        if sheet == "survey" and filled and not row.get("type"):
            self.problem(row, "type", _("The row has no type; write one or empty the row."))

    # Rows by name, to name the row and column of what the JSON form holds.

    def _index(self) -> None:
        self.by_name: dict[str, _Row] = {}
        for row in self.sheets["survey"]:
            name = row.get("name")
            if not name or _END.match(row.get("type")):
                continue
            if name in self.by_name:
                self.problem(row, row.column("name"), _("The name %s is used twice.") % name)
            self.by_name.setdefault(name, row)
        self.choice_rows = {
            (row.get("list name"), row.get("name")): row for row in self.sheets["choices"]
        }

    def settings(self) -> _Row:
        return (self.sheets["settings"] or [_Row("settings", 2, {})])[0]

    @property
    def from_here(self) -> bool:
        """Was the form exported from this platform? Only its export names the kind."""
        return bool(self.settings().get("instrument_kind"))


def _code_for(key: str) -> str:
    """The language code in a pyxform language key: "English (en)", "Svenska", "default"."""
    if key == "default":
        return languages.PLAIN
    match = _LANGUAGE.match(key)
    name, code = match.group(1).strip(), (match.group(2) or "").strip()
    if code:
        return code
    lowered = name.lower()
    for known in languages.NAMES:
        if lowered in (str(languages.OWN_NAMES.get(known, "")).lower(), known):
            return known
    return {"swedish": "sv", "english": "en", "arabic": "ar"}.get(lowered, "")


# Import: rating scales -----------------------------------------------------------------

_DONT_KNOW_WORDS = [
    "vet ej",
    "vet inte",
    "ingen åsikt",
    "ingen uppfattning",
    "don't know",
    "dont know",
    "do not know",
    "no opinion",
    *options.FIXED[options.DONT_KNOW].values(),
]
_NOT_APPLICABLE_WORDS = [
    "ej aktuellt",
    "inte aktuellt",
    "ej tillämpligt",
    "inte tillämpligt",
    "gäller inte mig",
    "not applicable",
    "does not apply",
    "n/a",
    *options.FIXED[options.NOT_APPLICABLE].values(),
]
_DONT_KNOW_CODES = {options.DONT_KNOW, "9", "98", "99"}
STEPS = (["1", "2", "3", "4"], ["1", "2", "3", "4", "5"])
_YES_NO_WORDS = {
    options.YES: {"ja", "yes", *(t.lower() for t in options.FIXED[options.YES].values())},
    options.NO: {"nej", "no", *(t.lower() for t in options.FIXED[options.NO].values())},
}


def _says(texts: dict, words: list[str]) -> bool:
    """Does a label say one of `words`, alone or before "/", ",", "(" or a dash?"""
    for text in texts.values():
        lowered = " ".join(text.lower().split()).rstrip(".")
        for word in words:
            word = word.lower()
            if lowered == word or re.match(re.escape(word) + r"\s*[/,(–-]", lowered):
                return True
    return False


def _is_yes_no(choices: list[tuple[str, dict]]) -> bool:
    """A list of yes and no whose labels say just that, so the platform's own yes/no loses
    nothing."""
    if sorted(name for name, _texts in choices) != [options.NO, options.YES]:
        return False
    return all(
        text.lower().strip(" .!") in _YES_NO_WORDS[name]
        for name, texts in choices
        for text in texts.values()
    )


def _special(name: str, texts: dict) -> str:
    """dont_know or not_applicable for an answer that is one, else ""."""
    if name == options.NOT_APPLICABLE or _says(texts, _NOT_APPLICABLE_WORDS):
        return options.NOT_APPLICABLE
    if name in _DONT_KNOW_CODES or _says(texts, _DONT_KNOW_WORDS):
        return options.DONT_KNOW
    return ""


@dataclass
class _Scale:
    steps: list[tuple[str, dict]]
    specials: dict[str, str]  # dont_know / not_applicable -> its name in the list
    worded: list[str] = field(default_factory=list)  # middle steps that carry words

    def fields(self) -> dict:
        last = str(len(self.steps))
        labels = dict(self.steps)
        return {
            "scale_steps": len(self.steps),
            "scale_low": {k: v for k, v in labels["1"].items() if v != "1"},
            "scale_high": {k: v for k, v in labels[last].items() if v != last},
            "dont_know": options.DONT_KNOW in self.specials,
            "not_applicable": options.NOT_APPLICABLE in self.specials,
            "dont_know_name": self.specials.get(options.DONT_KNOW, ""),
            "not_applicable_name": self.specials.get(options.NOT_APPLICABLE, ""),
        }


def _scale(choices: list[tuple[str, dict]]) -> _Scale | None:
    """The rating scale a list is: the values 1..4 or 1..5, and at most one "don't know"
    (dont_know, 9, 98, 99 or a label such as "Vet ej") and one "not applicable"."""
    steps, specials = [], {}
    for name, texts in choices:
        special = _special(name, texts)
        if special and special in specials:
            return None
        if special:
            specials[special] = name
        else:
            steps.append((name, texts))
    if [name for name, _texts in steps] not in STEPS:
        return None
    worded = [name for name, texts in steps[1:-1] if any(t != name for t in texts.values() if t)]
    return _Scale(steps, specials, worded)


# Import: building the instrument from pyxform's JSON form ---------------------------------

SELECTS = {"select one", "select all that apply"}
SECTION_COLUMNS = {"type", "name", "label", "control"}
GROUPS = {"group", "repeat", "loop"}
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
    "start-geopoint",
}
_GENERATED = re.compile(
    r"^(meta|generated_table_list_label_\d+|reserved_name_for_field_list_labels_\d+)$"
)
_OR_OTHER = re.compile(r"\s(or_other|or specify other|or other)\s*$", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,39}")
_VALUE = re.compile(r"[A-Za-z0-9_-]{1,40}")
# Respondent-facing texts for what or_other adds, in the languages we have them in; any
# other language shows as a missing translation to fill in.
OTHER = {"sv": "Annat", "sv-x-easy": "Något annat", "sv-x-child": "Något annat", "en": "Other"}
SPECIFY_OTHER = {
    "sv": "Ange vad",
    "sv-x-easy": "Skriv vad du menar",
    "sv-x-child": "Skriv vad du menar",
    "en": "Please specify",
}


@dataclass
class _Pending:
    """An item read from the form, checked, before it is saved."""

    row: _Row
    kind: str
    code: str
    texts: dict
    fields: dict = field(default_factory=dict)
    choices: list[tuple[str, dict]] = field(default_factory=list)
    rows: list["_Pending"] = field(default_factory=list)


@dataclass
class _Part:
    title: dict
    items: list[_Pending] = field(default_factory=list)
    name: str = ""  # the group's name; none for questions outside any group


class _Builder:
    def __init__(self, book: _Book, audit: Audit):
        self.book = book
        self.audit = audit
        self.parts: list[_Part] = []
        self.seen: set[str] = set()
        self.refused: set = set()  # names already refused, so each is named once

    def problem(self, row: _Row | None, column: str, message: str) -> None:
        self.book.problem(row, column, message)

    def build(self) -> list[_Part]:
        loose = None
        for element in self.book.form.get("children", []):
            if self._skipped(element):
                continue
            if element["type"] == "group" and not self._is_matrix(element):
                loose = None
                self.parts.append(self._section(element))
                continue
            if loose is None:
                loose = _Part({})
                self.parts.append(loose)
            loose.items.extend(self._elements([element]))
        return self.parts

    def _skipped(self, element: dict) -> bool:
        """Metadata and what pyxform adds (meta, table-list headers, or_other texts)."""
        name = element.get("name", "")
        if element.get("type") in METADATA_TYPES:
            return True
        if name in self.book.by_name:
            return False
        if _GENERATED.match(name) or name.removesuffix("_other") in self.seen:
            return True
        self.problem(
            None, "name", _("pyxform added %s, which the platform has no place for.") % name
        )
        return True

    def _row(self, element: dict) -> _Row:
        return self.book.by_name[element["name"]]

    def _is_matrix(self, element: dict) -> bool:
        return element["type"] == "group" and "table-list" in self._appearance(element)

    def _appearance(self, element: dict) -> list[str]:
        return self._row(element).get("control", "appearance").split()

    def _check_appearance(self, element: dict, allowed: set[str]) -> None:
        row = self._row(element)
        wrong = [word for word in self._appearance(element) if word not in allowed]
        if wrong:
            message = _("The platform has no place for the appearance %s; remove it.")
            self.problem(row, row.column("control", "appearance"), message % " ".join(wrong))

    def _section(self, element: dict) -> _Part:
        """A top-level group: a section has a title and nothing else."""
        row = self._row(element)
        for meaning, (column, _value) in row.cells.items():
            if meaning[0] not in SECTION_COLUMNS and not column.startswith("$"):
                self.problem(row, column, _no_place(column))
        self._check_appearance(element, {"field-list"})
        name = self._code(row)  # the group's name, kept for the export
        return _Part(
            self.book.texts(element.get("label")), self._elements(element["children"]), name
        )

    def _elements(self, children: list[dict]) -> list[_Pending]:
        found = []
        for element in children:
            if self._skipped(element):
                continue
            if self._is_matrix(element):
                found.append(self._matrix(element))
            elif element["type"] in GROUPS:
                self._refuse_group(element)
            else:
                found.extend(self._question(element))
        return found

    def _refuse_group(self, element: dict) -> None:
        if element["type"] == "group":
            message = _(
                "A group inside a group can only be a matrix: appearance table-list, holding "
                "rating questions on one list."
            )
        else:
            message = _("Repeated groups are not supported.")
        row = self._row(element)
        self.problem(row, row.column("type"), message)

    # Questions

    def _question(self, element: dict) -> list[_Pending]:
        kind = self._kind(element)
        if kind is None:
            return []
        pending = self._pending(element, kind)
        if element["type"] in SELECTS:
            pending.fields["list_name"] = self._list_name(element)
        if kind in Item.CHOICE_KINDS:
            pending.choices = self._choices(element)
        if kind == Item.Kind.RATING:
            pending.fields.update(self._scale_fields(element))
        found = [pending]
        if _OR_OTHER.search(pending.row.get("type")):
            found.append(self._specify_other(pending))
        return found

    def _kind(self, element: dict) -> str | None:
        type_, row = element["type"], self._row(element)
        if type_ in SELECTS and element.get("list_name") and element.get("choices"):
            self._check_appearance(element, {"likert"} if type_ == "select one" else set())
            return Item.Kind.MULTIPLE if type_ != "select one" else self._single_kind(element)
        simple = {"integer": Item.Kind.NUMBER, "note": Item.Kind.NOTE, "text": Item.Kind.SHORT_TEXT}
        if type_ in simple:
            self._check_appearance(element, {"multiline"} if type_ == "text" else set())
            long = type_ == "text" and "multiline" in self._appearance(element)
            return Item.Kind.LONG_TEXT if long else simple[type_]
        if type_ == "decimal":
            message = _("The platform takes whole numbers only; use integer.")
        else:
            message = _("The question type %s is not supported.") % row.get("type")
        self.problem(row, row.column("type"), message)
        return None

    def _single_kind(self, element: dict) -> str:
        """A rating when it says so (likert); in a form from another tool, also a list that
        is a plain scale. A form exported from here (it names its instrument_kind) uses
        likert for every rating, so its single choices of numbers stay single choices."""
        choices = self._labelled(element)
        if "likert" in self._appearance(element):
            return Item.Kind.RATING
        if _OR_OTHER.search(self._row(element).get("type")):
            return Item.Kind.SINGLE
        if _is_yes_no(choices):
            return Item.Kind.YES_NO
        scale = None if self.book.from_here else _scale(choices)
        return Item.Kind.RATING if scale and not scale.worded else Item.Kind.SINGLE

    def _list_name(self, element: dict) -> str:
        """The name of the question's answer list, kept for the export."""
        name = element["list_name"]
        if not _VALUE.fullmatch(name):
            if name not in self.refused:
                row = self._row(element)
                message = _("The name %s may only hold letters, digits, - and _ (at most 40).")
                self.problem(row, row.column("type"), message % name)
            self.refused.add(name)
            return ""
        return name

    def _labelled(self, element: dict) -> list[tuple[str, dict]]:
        return [(c["name"], self.book.texts(c.get("label"))) for c in element["choices"]]

    def _pending(self, element: dict, kind: str) -> _Pending:
        row = self._row(element)
        code = self._code(row)
        texts = {key: self.book.texts(element.get(key)) for key in TEXT_COLUMNS}
        if kind != Item.Kind.MATRIX and not texts["label"].get(languages.PLAIN):
            self.problem(row, self.book.text_column("survey", "label"), _("The text is missing."))
        fields = {
            "required": self._required(row),
            "condition": self._condition(row),
            "quality_area": self._quality_area(row),
            "audit_question": self._audit_question(row),
            "bank_key": self._bank_key(row),
        }
        self.seen.add(code)
        return _Pending(row, kind, code, texts, fields)

    def _code(self, row: _Row) -> str:
        name = row.get("name")
        if not _CODE.fullmatch(name):
            self.problem(
                row,
                row.column("name"),
                _("The name %s may only hold letters, digits, - and _ (at most 40).") % name,
            )
        return name

    def _required(self, row: _Row) -> bool:
        from pyxform import aliases

        value = row.get("bind", "required")
        if value and value not in aliases.yes_no:
            self.problem(row, row.column("bind", "required"), _("Write yes or no."))
        return aliases.yes_no.get(value, False)

    def _condition(self, row: _Row) -> dict | None:
        column = row.column("bind", "relevant")
        try:
            condition = conditions.from_xpath(row.get("bind", "relevant"))
        except ValueError:
            message = _("Only one comparison of one earlier answer is supported.")
            self.problem(row, column, message)
            return None
        if condition and condition["item"] not in self.seen:
            self.problem(row, column, _("%s is not an earlier question.") % condition["item"])
            return None
        return condition

    def _quality_area(self, row: _Row) -> str:
        value = row.get("quality_area")
        if value and value not in QualityArea.values:
            self.problem(row, row.column("quality_area"), _("Unknown quality area %s.") % value)
            return ""
        return value

    def _audit_question(self, row: _Row):
        """The audit question with this number in the audit imported into, if it has one."""
        number = row.get("audit_question")
        if number and not number.isdigit():
            self.problem(
                row, row.column("audit_question"), _("Write the number of an audit question.")
            )
        if not number.isdigit():
            return None
        return self.audit.audit_questions.filter(number=int(number)).first()

    def _bank_key(self, row: _Row) -> str:
        key = row.get("bank_key")
        if key and bank.get(key) is None:
            self.problem(
                row, row.column("bank_key"), _("The question bank has no question %s.") % key
            )
            return ""
        return key

    # Answers

    def _choices(self, element: dict) -> list[tuple[str, dict]]:
        list_name, found = element["list_name"], []
        for name, texts in self._labelled(element):
            row = self.book.choice_rows.get((list_name, name))
            if row is None and name == "other":
                texts = self._fixed(OTHER)  # added by or_other
            elif not _VALUE.fullmatch(name):
                message = _("The name %s may only hold letters, digits, - and _ (at most 40).")
                self.book.problem(
                    row, row.column("name") if row else "name", message % name, "choices"
                )
            elif not texts.get(languages.PLAIN):
                column = self.book.text_column("choices", "label")
                self.book.problem(row, column, _("The answer has no text in Swedish."), "choices")
            found.append((name, texts))
        return found

    def _fixed(self, texts: dict) -> dict:
        return {code: texts[code] for code in self.book.languages if code in texts}

    def _specify_other(self, pending: _Pending) -> _Pending:
        code = f"{pending.code}_other"
        condition = {"item": pending.code, "op": "selected", "value": "other"}
        self.seen.add(code)
        texts = {"label": self._fixed(SPECIFY_OTHER)}
        return _Pending(pending.row, Item.Kind.SHORT_TEXT, code, texts, {"condition": condition})

    def _scale_fields(self, element: dict) -> dict:
        scale = _scale(self._labelled(element))
        row, list_name = self._row(element), element["list_name"]
        if scale is None:
            message = _(
                "A rating scale is a list of the values 1 to 4 or 1 to 5, with at most one "
                "“don't know” and one “not applicable”; renumber the answers, or make the "
                "question a single choice (no likert appearance, not in a table-list)."
            )
            self.problem(row, row.column("type"), message)
            return {}
        for name in scale.worded[:1]:
            message = _(
                "A rating scale has texts only on its lowest and highest steps; remove this "
                "text, or make the question a single choice (no likert appearance, not in a "
                "table-list)."
            )
            column = self.book.text_column("choices", "label")
            self.problem(self.book.choice_rows.get((list_name, name)), column, message)
        for name in scale.specials.values():
            if not _VALUE.fullmatch(name) and (list_name, name) not in self.refused:
                self.refused.add((list_name, name))
                row = self.book.choice_rows.get((list_name, name))
                message = _("The name %s may only hold letters, digits, - and _ (at most 40).")
                self.book.problem(
                    row, row.column("name") if row else "name", message % name, "choices"
                )
        return scale.fields()

    # Matrices

    def _matrix(self, element: dict) -> _Pending:
        self._check_appearance(element, {"table-list", "field-list"})
        header = next(
            (c for c in element["children"] if c["name"].startswith("generated_table_list")), {}
        )
        matrix = self._pending({**element, **header, "name": element["name"]}, Item.Kind.MATRIX)
        rows = [c for c in element["children"] if not self._skipped(c)]
        lists = {c.get("list_name") for c in rows if c["type"] == "select one"}
        if not rows or len(lists) != 1 or any(c["type"] != "select one" for c in rows):
            message = _("A matrix can only hold rating questions on one list.")
            self.problem(matrix.row, matrix.row.column("type"), message)
            return matrix
        matrix.fields.update(self._scale_fields(rows[0]), list_name=self._list_name(rows[0]))
        for child in rows:
            self._check_appearance(child, {"likert"})
            matrix.rows.append(self._pending(child, Item.Kind.RATING))
        return matrix


# Import: saving ------------------------------------------------------------------------


def _save(instrument: Instrument, parts: list[_Part]) -> None:
    for position, part in enumerate(parts):
        section = Section.objects.create(
            instrument=instrument,
            position=position,
            title=part.title or {languages.PLAIN: _("Part %(n)s") % {"n": position + 1}},
            name=part.name,
        )
        for number, pending in enumerate(part.items, 1):
            _save_item(section, pending, number)


def _save_item(section: Section, pending: _Pending, position: int, parent=None) -> None:
    texts = pending.texts
    item = Item.objects.create(
        section=section,
        parent=parent,
        position=position,
        code=pending.code,
        kind=pending.kind,
        text=texts["label"] or {languages.PLAIN: pending.code},
        help=texts.get("hint", {}),
        prompts=texts.get("prompts", {}),
        interviewer_note=texts.get("interviewer_note", {}),
        **pending.fields,
    )
    Choice.objects.bulk_create(
        Choice(item=item, position=n, value=value, label=label)
        for n, (value, label) in enumerate(pending.choices, 1)
    )
    for number, row in enumerate(pending.rows, 1):
        _save_item(section, row, number, parent=item)


def _settings(book: _Book, title: str) -> dict:
    row = book.settings()
    kind = row.get("instrument_kind") or Instrument.Kind.QUESTIONNAIRE
    respondent = row.get("respondent") or "users"
    for column, value, allowed in [
        ("instrument_kind", kind, Instrument.Kind.values),
        ("respondent", respondent, TargetGroup.Kind.values),
    ]:
        if value not in allowed:
            book.problem(row, row.column(column), _("Unknown value %s.") % value)
    return {
        "title": title or row.get("title") or _("Imported instrument"),
        "kind": kind,
        "respondent": respondent,
        "languages": [languages.PLAIN, *[c for c in book.languages if c != languages.PLAIN]],
        "intro": book.texts(
            {
                _language_key(m, book.default_key): v
                for m, (_c, v) in row.cells.items()
                if m[0] == "intro"
            }
        ),
    }


def _language_key(meaning: tuple, default: str) -> str:
    return meaning[1] if len(meaning) > 1 else default


def _order(problem: Problem) -> tuple:
    sheets = ["-", "survey", "choices", "settings"]
    return (sheets.index(problem.sheet) if problem.sheet in sheets else 0, problem.row)


def import_xlsform(data: bytes, *, audit: Audit, user, title: str = "") -> Instrument:
    """A new instrument in `audit` from an XLSForm workbook (.xlsx, .xls or .csv); all or
    nothing. Raises XLSFormRefused naming sheet, row and column of every problem found."""
    if user is not None and not can(user, Action.EDIT_INSTRUMENTS, audit):
        raise PermissionDenied(Action.EDIT_INSTRUMENTS)
    book = _Book(data)
    parts = _Builder(book, audit).build()
    fields = _settings(book, title)
    if book.problems:
        raise XLSFormRefused(sorted(book.problems, key=_order))
    with transaction.atomic():
        instrument = Instrument.objects.create(audit=audit, **fields)
        _save(instrument, parts)
    return instrument
