"""Codebook import and export: CSV (name, description) and the REFI-QDA codebook exchange
format (QDC), which NVivo, MAXQDA, ATLAS.ti, QualCoder and Taguette read and write.

In QDC a theme is a code that holds codes (not itself codable). Quality areas are ours alone
and stay in Brukarrevision."""

import csv
import io
import uuid
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeTree
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from brukarrevision.audits.models import Audit

from . import services
from .models import Code

NAMESPACE = "urn:QDA-XML:codebook:1.0"


class CodebookRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def export_csv(audit: Audit) -> bytes:
    from brukarrevision.lib import spreadsheet

    rows = [
        [code.name, code.description, code.theme.name if code.theme else ""]
        for code in Code.objects.filter(audit=audit).select_related("theme")
    ]
    return spreadsheet.csv_bytes(["name", "description", "theme"], rows)


def export_qdc(audit: Audit) -> bytes:
    ElementTree.register_namespace("", NAMESPACE)
    root = ElementTree.Element(f"{{{NAMESPACE}}}CodeBook", origin="Brukarrevision")
    codes = ElementTree.SubElement(root, f"{{{NAMESPACE}}}Codes")
    parents = {}
    for code in Code.objects.filter(audit=audit).select_related("theme"):
        parent = codes
        if code.theme:
            if code.theme.pk not in parents:
                parents[code.theme.pk] = _code_element(
                    codes, code.theme.name, code.theme.description, False
                )
            parent = parents[code.theme.pk]
        _code_element(parent, code.name, code.description, True)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _code_element(parent, name: str, description: str, codable: bool):
    element = ElementTree.SubElement(
        parent,
        f"{{{NAMESPACE}}}Code",
        guid=str(uuid.uuid4()),
        name=name,
        isCodable="true" if codable else "false",
    )
    if description:
        ElementTree.SubElement(element, f"{{{NAMESPACE}}}Description").text = description
    return element


def read(data: bytes, filename: str) -> list[dict]:
    """Entries {name, description, theme} from a CSV or QDC file, or CodebookRefused."""
    if filename.lower().endswith((".qdc", ".xml")):
        return _read_qdc(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookRefused([_("The file is not UTF-8 text.")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "name" not in header:
        raise CodebookRefused([_("Row 1: the column “name” is missing.")])
    reader.fieldnames = header
    entries, problems = [], []
    for number, row in enumerate(reader, start=2):
        name = (row.get("name") or "").strip()
        if not name:
            problems.append(_("Row %(row)s: the name is empty.") % {"row": number})
            continue
        entries.append(
            {
                "name": name,
                "description": (row.get("description") or "").strip(),
                "theme": (row.get("theme") or "").strip(),
            }
        )
    if problems:
        raise CodebookRefused(problems)
    return entries


def _read_qdc(data: bytes) -> list[dict]:
    try:
        root = SafeTree.fromstring(data)
    except Exception as error:  # defusedxml raises several kinds for unsafe or broken XML
        raise CodebookRefused(
            [_("The file is not a readable codebook: %(e)s") % {"e": error}]
        ) from None
    codes = root.find(f"{{{NAMESPACE}}}Codes")
    if root.tag != f"{{{NAMESPACE}}}CodeBook" or codes is None:
        raise CodebookRefused([_("The file is not a REFI-QDA codebook (CodeBook with Codes).")])
    entries = []
    for element in codes.findall(f"{{{NAMESPACE}}}Code"):
        children = element.findall(f"{{{NAMESPACE}}}Code")
        if children:  # a code that holds codes is a theme
            for child in children:
                entries += _flatten(child, theme=element.get("name", ""))
        else:
            entries.append(_entry(element, ""))
    return entries


def _flatten(element, theme: str) -> list[dict]:
    found = [_entry(element, theme)] if element.get("isCodable", "true") != "false" else []
    for child in element.findall(f"{{{NAMESPACE}}}Code"):
        found += _flatten(child, theme)
    return found


def _entry(element, theme: str) -> dict:
    description = element.find(f"{{{NAMESPACE}}}Description")
    return {
        "name": (element.get("name") or "").strip(),
        "description": (description.text or "").strip() if description is not None else "",
        "theme": theme.strip(),
    }


@transaction.atomic
def import_codebook(*, user, audit: Audit, data: bytes, filename: str) -> int:
    """Add the file's codes to the audit's codebook; codes already there keep theirs.
    Everything or nothing. Returns how many codes were added."""
    entries = read(data, filename)
    existing = {
        name.lower() for name in Code.objects.filter(audit=audit).values_list("name", flat=True)
    }
    added = 0
    for entry in entries:
        if not entry["name"] or entry["name"].lower() in existing:
            continue
        try:
            services.save_code(user=user, audit=audit, **entry)
        except ValidationError as error:
            raise CodebookRefused([f"{entry['name']}: {'; '.join(error.messages)}"]) from None
        existing.add(entry["name"].lower())
        added += 1
    return added
