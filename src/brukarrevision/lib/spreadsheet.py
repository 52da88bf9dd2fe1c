"""Cells that leave the system in CSV or XLSX: a cell that a spreadsheet would read as a
formula is neutralised by a leading apostrophe (OWASP's advice for CSV injection)."""

import csv
import io

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def csv_bytes(header: list, rows: list[list]) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens Swedish letters right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe(cell) for cell in header])
    for row in rows:
        writer.writerow([safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, tuple[list, list[list]]]) -> bytes:
    """One sheet per entry: name -> (header, rows)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([safe(cell) for cell in header])
        for row in rows:
            sheet.append([safe(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
