"""Batch import of typed-in paper answers from CSV or XLSX, with a report on every row.

Columns: `unit` and `target_group` (names as in the audit), optional `language`, `respondent`
(self, assisted, proxy), `paper_number` (the number printed or written on each paper form)
and `instrument` (its number; else the audit's current questionnaire), then one column per
question code holding the printed answer codes.

**Each row is checked as the web survey checks a respondent** (`respondent.ResponseForm`,
the same code): the codes must be ones printed on the form, a required question must be
answered unless its show-if condition hides it, and an answer to a question that its
condition hides is *dropped*, as the web survey drops it, so results count only those the
question applied to. The paper form shows every question, so a respondent may answer one
that did not apply to them; that is not a typing error, so the row is still imported and
the report names each dropped answer and the condition.

**The same form, whatever the file.** Cells read the same from CSV with LF or CRLF and from
XLSX: numbers as text (17.0 is "17"), spaces trimmed, line breaks as LF, an empty cell the
same as a missing column, fully empty rows ignored; paper numbers of digits only lose
leading zeros. A row's fingerprint is its questionnaire, unit, target group, language, who
answered and its answers normalised as `services.submit_response` stores them (the content
hash). Its submission key is made from the audit, the paper number and that fingerprint,
never from the file's bytes.

- **A row with a paper number** is one paper form. If the audit already holds a paper
  response with that number (typed in or imported) and the same fingerprint, the row is
  skipped as already stored; with another fingerprint it is a conflict and refused. The same
  number twice in one file is treated the same way.
- **A row without a paper number** cannot be told from another person's identical answers,
  so it is never merged by content, neither with stored responses nor with an identical row
  in the same file (both are stored). It is recognised only when the whole batch comes again:
  its key is made from the fingerprint of all rows of the file (in any order and format) and
  its place among identical rows, so the same batch imported again stores nothing, while the
  same answers in another file are stored again. The report says so and recommends numbers.

All or nothing: if any row is refused (a problem or a conflict), nothing is stored and the
report marks the other rows as not imported. Rows skipped as already stored never block the
others. Checks against stored responses and the writes run in one transaction that locks
the audit, so two imports at once cannot store the same paper number twice.
"""

import csv
import hashlib
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from brukarrevision.audits.models import Audit
from brukarrevision.instruments import conditions, languages, respondent
from brukarrevision.instruments import selectors as instrument_selectors
from brukarrevision.instruments.models import Instrument
from brukarrevision.lib import uploads
from brukarrevision.permissions import Action, can

from . import services
from .forms import parse_code
from .models import Channel, Response

META = {"unit", "target_group", "language", "respondent", "paper_number", "instrument"}


@dataclass
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class Outcome(models.TextChoices):
    IMPORTED = "imported", gettext_lazy("imported")
    SKIPPED = "skipped", gettext_lazy("skipped (duplicate)")
    REFUSED = "refused", gettext_lazy("refused")
    HELD = "held", gettext_lazy("not imported")


@dataclass
class RowReport:
    """What became of one row of the file: its row number as the spreadsheet shows it."""

    row: int
    paper_number: str
    outcome: Outcome
    reasons: list[str] = field(default_factory=list)


@dataclass
class Summary:
    imported: int
    skipped: int
    refused: int
    unnumbered: int


def summarise(report: list[RowReport]) -> Summary:
    counts = Counter(row.outcome for row in report)
    return Summary(
        imported=counts[Outcome.IMPORTED],
        skipped=counts[Outcome.SKIPPED],
        refused=counts[Outcome.REFUSED],
        unnumbered=sum(1 for row in report if not row.paper_number),
    )


def unnumbered_note(count: int) -> str:
    """What the report says about rows without a paper number."""
    return ngettext(
        "%(count)s row has no paper number, so it cannot be checked for duplicates if it is "
        "imported again in another file. Write a number on each paper form and in the "
        "paper_number column.",
        "%(count)s rows have no paper number, so they cannot be checked for duplicates if "
        "they are imported again in another file. Write a number on each paper form and in "
        "the paper_number column.",
        count,
    ) % {"count": count}


class ImportRefused(Exception):
    """Nothing was stored; `problems` name row and column, `report` tells every row."""

    def __init__(self, problems, report=None):
        self.problems = problems
        self.report = report or []
        super().__init__("\n".join(str(p) for p in problems))


class Unreadable(ValueError):
    """The file is neither a CSV in UTF-8 nor an XLSX workbook."""


# Reading ------------------------------------------------------------------------------


def cell(value) -> str:
    """A cell as text, the same from CSV and XLSX."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def numbered_rows(data: bytes, name: str) -> list[tuple[int, dict]]:
    """(row number as the spreadsheet shows it, column → text) for every row not empty."""
    try:
        used = uploads.check(data)
    except uploads.TooLarge as error:
        raise Unreadable(str(error)) from None
    try:
        found = list(_xlsx_rows(data, used) if name.lower().endswith(".xlsx") else _csv_rows(data))
    except (
        csv.Error,
        UnicodeDecodeError,
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        TypeError,
    ):
        raise Unreadable(_("The file cannot be read as CSV (UTF-8) or XLSX.")) from None
    return [(number, row) for number, row in found if any(row.values())]


def read_rows(data: bytes, name: str) -> list[dict]:
    return [row for _number, row in numbered_rows(data, name)]


def _xlsx_rows(data: bytes, used: dict[str, int]):
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    # One row at a time and only the used range: a row formatted far below is not read.
    rows = sheet.iter_rows(values_only=True, max_row=used.get(sheet.title) or None)
    header = [cell(h) for h in next(rows, ())]
    for number, values in enumerate(rows, 2):
        if any(v is not None for v in values):
            yield number, {h: cell(v) for h, v in zip(header, values, strict=False) if h}


def _csv_rows(data: bytes):
    text = data.decode("utf-8-sig")
    first = text.splitlines()[0] if text else ","
    dialect = csv.Sniffer().sniff(first if first.strip() else ",", delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    for row in reader:
        yield reader.line_num, {cell(k): cell(v) for k, v in row.items() if k and cell(k)}


def paper_number(raw: str) -> str:
    """'017', '17' and 17.0 are the same form."""
    raw = " ".join(raw.split())
    return str(int(raw)) if raw.isascii() and raw.isdigit() else raw


# Checking one row -----------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    paper_number: str
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # what submit_response takes
    fingerprint: str = ""
    key: str = ""
    outcome: Outcome = Outcome.IMPORTED

    def problem(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, column, message))

    def report(self) -> RowReport:
        reasons = [
            _("column %(column)s: %(message)s") % {"column": p.column, "message": p.message}
            for p in self.problems
        ]
        return RowReport(self.number, self.paper_number, self.outcome, reasons + self.notes)


def _check(audit: Audit, number: int, raw: dict, instruments: dict) -> _Row:
    row = _Row(number, paper_number(raw.get("paper_number", "")))
    longest = Response._meta.get_field("paper_number").max_length
    if len(row.paper_number) > longest:
        message = _("a paper number has at most %(count)s characters")
        row.problem("paper_number", message % {"count": longest})
    unit, group = _audience(row, audit, raw)
    instrument = _instrument(audit, raw.get("instrument", ""), instruments)
    if instrument is None:
        row.problem("instrument", _("no such questionnaire in the audit"))
        return row
    language = raw.get("language") or languages.PLAIN
    if language not in instrument.languages:
        message = _("the questionnaire has no version “%(lang)s”")
        row.problem("language", message % {"lang": language})
    who = raw.get("respondent") or Response.Respondent.SELF
    if who not in Response.Respondent.values:
        row.problem("respondent", _("write self, assisted or proxy"))
    answers = _as_survey_checks(row, instrument, language, _parse(row, instrument, raw))
    row.values = {
        "instrument": instrument,
        "unit": unit,
        "target_group": group,
        "language": language,
        "respondent": who,
        "paper_number": row.paper_number,
        "answers": answers,
    }
    header = [instrument.pk, getattr(unit, "pk", None), getattr(group, "pk", None)]
    row.fingerprint = _fingerprint(header + [language, who], _content(answers))
    return row


def _audience(row: _Row, audit: Audit, raw: dict) -> tuple:
    unit = audit.units.filter(name=raw.get("unit", "")).first()
    if unit is None:
        message = _("no unit named “%(name)s” in the audit")
        row.problem("unit", message % {"name": raw.get("unit", "")})
    group = audit.target_groups.filter(name=raw.get("target_group", "")).first()
    if group is None:
        message = _("no target group named “%(name)s” in the audit")
        row.problem("target_group", message % {"name": raw.get("target_group", "")})
    return unit, group


def _parse(row: _Row, instrument, raw: dict) -> dict:
    """The printed codes of the row as values, every unknown code a problem."""
    items = _answerable(instrument)
    answers = {}
    for column, text in raw.items():
        if column in META or not text:
            continue
        if column not in items:
            row.problem(column, _("no question with this code"))
            continue
        try:
            value = parse_code(items[column], text)
        except forms.ValidationError as error:
            row.problem(column, " ".join(error.messages))
            continue
        if value not in (None, "", []):
            answers[column] = value
    return answers


def _answerable(instrument) -> dict:
    return {i.code: i for i in respondent.answerable_items(instrument) if i.answers_anything()}


def _as_survey_checks(row: _Row, instrument, language: str, answers: dict) -> dict:
    """The answers the web survey would keep: required questions answered unless hidden,
    answers to hidden questions dropped (and named in the report)."""
    lang = language if language in instrument.languages else languages.PLAIN
    form = respondent.ResponseForm(answers, instrument=instrument, lang=lang)
    form.is_valid()
    for code, errors in form.errors.items():
        if answers.get(code) in (None, "", []):
            row.problem(code, _("a required question is not answered"))
        else:
            row.problem(code, " ".join(errors))
    items = {item.code: item for item in form.items}
    for code in answers:
        if code in form.fields and code not in form.cleaned_data and code not in form.errors:
            row.notes.append(_dropped(items[code], code))
    return {code: value for code, value in answers.items() if code in form.cleaned_data}


def _dropped(item, code: str) -> str:
    condition = item.condition or (item.parent.condition if item.parent_id else None)
    return _(
        "column %(column)s: answer not stored, the question applies only when %(condition)s"
    ) % {"column": code, "condition": conditions.describe(condition)}


def _instrument(audit, number: str, found: dict):
    if number not in found:
        if number:
            chosen = audit.instruments.filter(pk=number if number.isdigit() else 0)
            found[number] = chosen.filter(kind=Instrument.Kind.QUESTIONNAIRE).first()
        else:
            found[number] = instrument_selectors.questionnaires(audit).first()
    return found[number]


def _fingerprint(*parts) -> str:
    text = json.dumps(parts, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# Against the file and the stored responses ---------------------------------------------


def _give_keys(audit: Audit, rows: list[_Row]) -> None:
    """Numbered rows: audit, number and fingerprint. Unnumbered: the batch, the fingerprint
    and the place among identical unnumbered rows of the batch."""
    batch = _fingerprint(sorted((r.paper_number, r.fingerprint) for r in rows))
    seen: Counter = Counter()
    for row in rows:
        if row.paper_number:
            made = _fingerprint(audit.pk, "number", row.paper_number, row.fingerprint)
        else:
            seen[row.fingerprint] += 1
            made = _fingerprint(audit.pk, "batch", batch, row.fingerprint, seen[row.fingerprint])
        row.key = f"paper-{made[:56]}"


def _stored_by_number(audit: Audit, rows: list[_Row]) -> dict[str, list[Response]]:
    wanted = {row.paper_number for row in rows if row.paper_number}
    found: dict[str, list[Response]] = {}
    stored = Response.objects.filter(audit=audit, channel=Channel.PAPER).exclude(paper_number="")
    for response in stored:
        number = paper_number(response.paper_number)
        if number in wanted:
            found.setdefault(number, []).append(response)
    return found


def _stored_fingerprint(response: Response) -> str:
    header = [response.instrument_id, response.unit_id, response.target_group_id]
    return _fingerprint(header + [response.language, response.respondent], response.content_hash)


def _compare_numbered(row: _Row, stored: dict, earlier: dict) -> None:
    number = {"number": row.paper_number}
    first = earlier.setdefault(row.paper_number, row)
    if first is not row:
        if first.fingerprint == row.fingerprint:
            row.outcome = Outcome.SKIPPED
            row.notes.append(_("the same paper form as row %(row)s") % {"row": first.number})
        else:
            message = _("paper form %(number)s is also on row %(row)s with other answers")
            row.problem("paper_number", message % {**number, "row": first.number})
        return
    responses = stored.get(row.paper_number, [])
    if any(_stored_fingerprint(r) == row.fingerprint for r in responses):
        row.outcome = Outcome.SKIPPED
        row.notes.append(_("paper form %(number)s is already stored with these answers") % number)
    elif any(r.content_hash == _content(row.values["answers"]) for r in responses):
        message = _(
            "paper form %(number)s is already stored for another unit, target group, "
            "language or respondent"
        )
        row.problem("paper_number", message % number)
    elif responses:
        message = _("paper form %(number)s is already stored with other answers")
        row.problem("paper_number", message % number)


def _content(answers: dict) -> str:
    """The content hash submit_response stores for these answers."""
    return services.content_hash(services._normalise(answers))


def _compare_unnumbered(row: _Row, stored_keys: set, earlier: dict) -> None:
    if row.key in stored_keys:
        row.outcome = Outcome.SKIPPED
        row.notes.append(_("this batch was imported before; the row is already stored"))
        return
    row.notes.append(_("no paper number: the row cannot be checked against forms stored before"))
    if row.fingerprint in earlier:
        message = _(
            "the same answers as row %(row)s; both are stored, as two people may answer alike"
        )
        row.notes.append(message % {"row": earlier[row.fingerprint].number})
    earlier.setdefault(row.fingerprint, row)


def _compare(audit: Audit, rows: list[_Row]) -> None:
    stored = _stored_by_number(audit, rows)
    keys = {row.key for row in rows}
    found = Response.objects.filter(submission_key__in=keys)
    stored_keys = set(found.values_list("submission_key", flat=True))
    numbered: dict[str, _Row] = {}
    unnumbered: dict[str, _Row] = {}
    for row in rows:
        if row.problems:
            continue
        if row.paper_number:
            _compare_numbered(row, stored, numbered)
        else:
            _compare_unnumbered(row, stored_keys, unnumbered)


# The import ----------------------------------------------------------------------------


def import_responses(data: bytes, name: str, *, audit: Audit, user=None) -> list[RowReport]:
    """Store every row that is not stored already, or none if any row is refused; returns
    what became of each row. Raises ImportRefused (with the report) or Unreadable."""
    if user is not None and not can(user, Action.ENTER_RESPONSES, audit):
        raise PermissionDenied(Action.ENTER_RESPONSES)
    instruments: dict = {}
    rows = [_check(audit, number, raw, instruments) for number, raw in numbered_rows(data, name)]
    _give_keys(audit, rows)
    with transaction.atomic():
        list(Audit.objects.select_for_update().filter(pk=audit.pk).values_list("pk"))
        _compare(audit, rows)
        problems = [problem for row in rows for problem in row.problems]
        if problems:
            raise ImportRefused(problems, _refused_report(rows))
        for row in rows:
            if row.outcome == Outcome.IMPORTED:
                _store(row, user)
    return [row.report() for row in rows]


def _store(row: _Row, user) -> None:
    _response, created = services.submit_response(
        channel=Channel.PAPER, submission_key=row.key, entered_by=user, **row.values
    )
    if not created:  # another import stored the same form a moment ago
        row.outcome = Outcome.SKIPPED


def _refused_report(rows: list[_Row]) -> list[RowReport]:
    held = _("not imported because other rows were refused; correct them and import again")
    for row in rows:
        if row.problems:
            row.outcome = Outcome.REFUSED
        elif row.outcome == Outcome.IMPORTED:
            row.outcome = Outcome.HELD
            row.notes.insert(0, held)
    return [row.report() for row in rows]
