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
