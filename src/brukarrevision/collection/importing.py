"""Batch import of typed-in paper answers from CSV or XLSX: every row or none.

Columns: `unit` and `target_group` (names as in the audit), optional `language`, `respondent`
(self, assisted, proxy), `paper_number` and `instrument` (its number; else the audit's current
questionnaire), then one column per question code holding the printed answer codes.
"""

import csv
import hashlib
import io
from dataclasses import dataclass

from django import forms
from django.db import transaction
from openpyxl import load_workbook

from brukarrevision.audits.models import Audit
from brukarrevision.instruments import languages
from brukarrevision.instruments import selectors as instrument_selectors

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
        return f"row {self.row}, column {self.column}: {self.message}"


class ImportRefused(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_rows(data: bytes, name: str) -> list[dict]:
    if name.lower().endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        header = [str(h or "").strip() for h in rows[0]] if rows else []
        return [
            {h: ("" if v is None else str(v).strip()) for h, v in zip(header, row, strict=False)}
            for row in rows[1:]
        ]
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    return [
        {k.strip(): (v or "").strip() for k, v in row.items() if k}
        for row in csv.DictReader(io.StringIO(text), dialect=dialect)
    ]


def import_responses(data: bytes, name: str, *, audit: Audit, user=None) -> int:
    """Store every row as a paper response, or none; returns how many were new."""
    rows = read_rows(data, name)
    digest = hashlib.sha256(data).hexdigest()[:16]
    problems: list[RowProblem] = []
    prepared = [_prepare(audit, number, row, problems) for number, row in enumerate(rows, 2)]
    if problems:
        raise ImportRefused(problems)
    created = 0
    with transaction.atomic():
        for number, values in enumerate(prepared, 2):
            _response, new = services.submit_response(
                channel=Channel.PAPER,
                submission_key=f"import-{digest}-{number}",
                entered_by=user,
                **values,
            )
            created += new
    return created


def _prepare(audit, number, row, problems) -> dict:
    def problem(column, message):
        problems.append(RowProblem(number, column, message))

    unit = audit.units.filter(name=row.get("unit", "")).first()
    if unit is None:
        problem("unit", f"no unit named {row.get('unit', '')!r} in the audit")
    group = audit.target_groups.filter(name=row.get("target_group", "")).first()
    if group is None:
        problem("target_group", f"no target group named {row.get('target_group', '')!r}")
    instrument = _instrument(audit, row.get("instrument", ""))
    if instrument is None:
        problem("instrument", "no such questionnaire in the audit")
        return {}
    language = row.get("language") or languages.PLAIN
    if language not in instrument.languages:
        problem("language", f"the questionnaire has no version {language!r}")
    respondent = row.get("respondent") or Response.Respondent.SELF
    if respondent not in Response.Respondent.values:
        problem("respondent", "write self, assisted or proxy")
    items = {i.code: i for i in instrument.all_items().select_related("parent")}
    answers = {}
    for column, raw in row.items():
        if column in META or not raw:
            continue
        if column not in items:
            problem(column, "no question with this code")
            continue
        try:
            value = parse_code(items[column], raw)
        except forms.ValidationError as error:
            problem(column, " ".join(error.messages))
            continue
        if value not in (None, "", []):
            answers[column] = value
    return {
        "instrument": instrument,
        "unit": unit,
        "target_group": group,
        "language": language,
        "respondent": respondent,
        "paper_number": row.get("paper_number", ""),
        "answers": answers,
    }


def _instrument(audit, number: str):
    if number:
        return audit.instruments.filter(pk=number if number.isdigit() else 0).first()
    return instrument_selectors.questionnaires(audit).first()
