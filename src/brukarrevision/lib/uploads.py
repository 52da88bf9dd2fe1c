"""Limits on uploaded workbooks before anything parses them. An XLSX (or any zip) may not
unpack to more than MAX_UNPACKED bytes or hold more than MAX_ENTRIES files, so a small zip
bomb is refused in milliseconds instead of filling the server's memory; a workbook may hold
at most MAX_SHEETS sheets, and no sheet rows beyond MAX_ROWS or more than MAX_CELLS cells.
The sheets are counted by streaming their XML, so a sheet saved down to row 1,048,576 is
refused in well under a second, naming the sheet and the row."""

import io
import posixpath
import zipfile

from django.utils.translation import gettext as _
from lxml import etree

MAX_UPLOAD = 10 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_SHEETS = 50
MAX_ROWS = 100_000
MAX_CELLS = 1_000_000

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class TooLarge(ValueError):
    """The upload is larger than the platform reads; the message says the limit."""


def check(data: bytes) -> dict[str, int]:
    """Refuses (TooLarge) what is over a limit; for a workbook, returns the last row that
    holds a value in each sheet, so readers read only the used range."""
    if len(data) > MAX_UPLOAD:
        raise TooLarge(_("The file is too large: at most %(mb)s MB.") % {"mb": MAX_UPLOAD >> 20})
    if not data.startswith(b"PK"):
        return {}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        return {}  # the reader that follows says the file cannot be read
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED:
        raise TooLarge(
            _("The workbook unpacks to more than %(mb)s MB, more than the platform reads.")
            % {"mb": MAX_UNPACKED >> 20}
        )
    return _check_sheets(archive)


def _check_sheets(archive: zipfile.ZipFile) -> dict[str, int]:
    sheets = _sheets(archive)
    if len(sheets) > MAX_SHEETS:
        raise TooLarge(
            _("The workbook has %(n)s sheets; the platform reads at most %(max)s.")
            % {"n": len(sheets), "max": MAX_SHEETS}
        )
    used = {}
    for name, path in sheets:
        try:
            used[name] = _check_sheet(archive, name, path)
        except TooLarge:
            raise
        except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, ValueError, OSError):
            continue  # damaged: the reader that follows refuses it with its own message
    return used


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name as Excel shows it, path inside the zip) of every worksheet, in order."""
    try:
        book = _xml(archive.read("xl/workbook.xml"))
        rels = _xml(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError):
        return []
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{RELS}Relationship")}
    found = []
    for sheet in book.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(f"{DOC_RELS}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        found.append((sheet.get("name", ""), posixpath.normpath(path)))
    return found


def _xml(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def _check_sheet(archive: zipfile.ZipFile, name: str, path: str) -> int:
    """The last row holding a value. Rows with only formatting (LibreOffice leaves one in
    row 1,048,576) do not count."""
    cells = last = 0
    with archive.open(path) as stream:
        rows = etree.iterparse(stream, events=("end",), tag=f"{MAIN}row", resolve_entities=False)
        for number, (_event, row) in enumerate(rows, 1):
            at = int(row.get("r") or number)
            filled = sum(1 for cell in row if len(cell))
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            if not filled:
                continue
            last = at
            if at > MAX_ROWS:
                raise TooLarge(
                    _(
                        "Sheet “%(sheet)s” has a value in row %(row)s; the platform reads at "
                        "most %(max)s rows. Delete the rows below your data and save again."
                    )
                    % {"sheet": name, "row": _spaced(at), "max": _spaced(MAX_ROWS)}
                )
            cells += filled
            if cells > MAX_CELLS:
                raise TooLarge(
                    _("Sheet “%(sheet)s” holds more than %(max)s cells, too many to read.")
                    % {"sheet": name, "max": _spaced(MAX_CELLS)}
                )
    return last


def _spaced(number: int) -> str:
    """1048576 as Swedish writes it, 1 048 576 (with no-break spaces)."""
    return f"{number:,}".replace(",", "\u00a0")
