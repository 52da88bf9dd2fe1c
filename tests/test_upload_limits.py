"""Uploaded workbooks are checked before they are read: a zip bomb (a small file that
unpacks to far more than any real form) is refused at once with a clear message, never a 500
or a server out of memory."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from brukarrevision.audits.models import Audit
from brukarrevision.collection import importing
from brukarrevision.instruments.xlsform import XLSFormRefused, import_xlsform
from brukarrevision.lib import uploads


def bomb() -> bytes:
    """A real workbook with one extra part of 60 MB of zeros: about 60 KB on disk."""
    book = Workbook()
    book.active.append(["type", "name", "label"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def test_the_bomb_is_small_on_disk_and_refused_at_once():
    data = bomb()
    assert len(data) < 200 * 1024
    began = time.perf_counter()
    with pytest.raises(uploads.TooLarge):
        uploads.check(data)
    assert time.perf_counter() - began < 1


def test_an_xlsform_bomb_gets_a_message(world):
    with pytest.raises(XLSFormRefused) as refused:
        import_xlsform(bomb(), audit=world.audit, user=world.coordinator)
    assert "MB" in str(refused.value)


def test_a_paper_batch_bomb_gets_a_message(demo_data):
    with pytest.raises(importing.Unreadable) as refused:
        importing.import_responses(bomb(), "batch.xlsx", audit=Audit.objects.get(slug="demo"))
    assert "MB" in str(refused.value)


def test_the_paper_page_answers_a_bomb_with_a_message_not_an_error(demo_data, client):
    from brukarrevision.accounts.models import User

    client.force_login(User.objects.get(email="revisor@demo.example"))
    upload = io.BytesIO(bomb())
    upload.name = "batch.xlsx"
    response = client.post("/audits/demo/collection/paper/", {"import": "1", "file": upload})
    assert response.status_code == 200
    assert "MB" in response.content.decode()


# Sheets, rows and cells ---------------------------------------------------------------------


def with_sheet(xml_rows: bytes) -> bytes:
    """A real workbook whose first sheet ("survey") is replaced by the given rows."""
    book = Workbook()
    book.active.title = "survey"
    book.active.append(["type", "name", "label"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = b'<?xml version="1.0"?><worksheet xmlns="' + ns + b'"><sheetData>'
    sheet += xml_rows + b"</sheetData></worksheet>"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            target.writestr(
                entry, sheet if entry.filename == "xl/worksheets/sheet1.xml" else content
            )
    return out.getvalue()


def row(number: int) -> bytes:
    return b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (number, number)


def test_a_sheet_saved_down_to_the_last_row_is_refused_naming_the_sheet_and_row():
    data = with_sheet(row(1) + row(2) + row(1_048_576))
    began = time.perf_counter()
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.check(data)
    assert time.perf_counter() - began < 5
    assert "survey" in str(refused.value) and "1\u00a0048\u00a0576" in str(refused.value)


def test_a_sheet_with_a_million_filled_rows_is_refused_quickly_and_in_little_memory():
    import tracemalloc

    data = with_sheet(b"".join(row(n) for n in range(1, 1_048_577)))
    assert len(data) < uploads.MAX_UPLOAD
    tracemalloc.start()
    began = time.perf_counter()
    with pytest.raises(uploads.TooLarge):
        uploads.check(data)
    seconds = time.perf_counter() - began
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seconds < 5 and peak < 100 * 1024 * 1024


def test_the_row_limit_is_told_in_the_xlsform_message(demo_data):
    from brukarrevision.accounts.models import User

    data = with_sheet(row(1) + row(uploads.MAX_ROWS + 1))
    coordinator = User.objects.get(email="samordnare@demo.example")
    with pytest.raises(XLSFormRefused) as refused:
        import_xlsform(data, audit=Audit.objects.get(slug="asby-lss"), user=coordinator)
    assert "survey" in str(refused.value)


def test_the_row_limit_is_told_in_the_paper_message(demo_data):
    data = with_sheet(row(1) + row(uploads.MAX_ROWS + 1))
    with pytest.raises(importing.Unreadable) as unread:
        importing.import_responses(data, "batch.xlsx", audit=Audit.objects.get(slug="demo"))
    assert "survey" in str(unread.value)


def test_too_many_sheets_are_refused():
    book = Workbook()
    for n in range(uploads.MAX_SHEETS):
        book.create_sheet(f"blad{n}")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.check(buffer.getvalue())
    assert str(uploads.MAX_SHEETS) in str(refused.value)


def test_a_workbook_within_the_limits_is_read_whole(demo_data):
    data = with_sheet(b"".join(row(n) for n in range(1, 2001)))
    uploads.check(data)
    assert len(importing.read_rows(data, "batch.xlsx")) == 1999


def test_a_huge_codebook_is_refused_with_a_message(demo_data):
    from brukarrevision.analysis.codebook import CodebookRefused, read

    with pytest.raises(CodebookRefused) as refused:
        read(b"name\n" + b"x" * (uploads.MAX_UPLOAD + 1), "codes.csv")
    assert "MB" in str(refused.value.args[0])
