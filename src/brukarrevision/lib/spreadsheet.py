"""Cells that leave the system in CSV or XLSX: a cell that a spreadsheet would read as a
formula is neutralised by a leading apostrophe (OWASP's advice for CSV injection). Numbers stay
numbers: in XLSX as numeric cells, in CSV written in the dialect's decimal sign.

CSV comes in two dialects: `plain` (comma, decimal point) for R, Python, SPSS and the like, and
`excel` (semicolon, decimal comma) as Excel with Swedish settings opens it by a double click.
Both are UTF-8 with a byte order mark, so Excel reads Swedish letters right."""

import csv
import io

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


DIALECTS = {"plain": (",", "."), "excel": (";", ",")}


def _csv_cell(value, decimal: str):
    if isinstance(value, float):
        return repr(value).replace(".", decimal) if decimal != "." else repr(value)
    return "" if value is None else safe(value)


def csv_bytes(header: list, rows: list[list], dialect: str = "plain") -> bytes:
    delimiter, decimal = DIALECTS[dialect]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe(cell) for cell in header])
    for row in rows:
        writer.writerow([_csv_cell(cell, decimal) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, tuple[list, list[list]]], about: list | None = None) -> bytes:
    """One sheet per entry: name -> (header, rows), each with a frozen header row, filters
    and fitting column widths; `about` (rows of text) becomes a first sheet explaining them."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    if about:
        _explanation(book, about)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([safe(cell) for cell in header])
        for row in rows:
            sheet.append([safe(cell) for cell in row])
        _tidy(sheet, header, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _explanation(book, about: list) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(title=str(about[0][0])[:31])
    for row in about[1:]:
        sheet.append([safe(cell) for cell in row])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
    for cell in sheet["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _tidy(sheet, header: list, rows: list[list]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, title in enumerate(header, start=1):
        longest = max([len(str(title))] + [len(str(r[index - 1] or "")) for r in rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest + 2))
