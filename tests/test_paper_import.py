"""Importing typed-in paper forms: one batch stores once whatever the file format, paper
numbers decide what is a duplicate or a conflict, rows are checked as the web survey checks
answers, and every row is reported."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from brukarrevision.accounts.models import User
from brukarrevision.audits.models import Audit
from brukarrevision.collection import importing
from brukarrevision.collection.importing import Outcome
from brukarrevision.collection.models import Answer, Response

HEADER = ["paper_number", "unit", "target_group", "stod", "ar", "plan", "plan_med", "andra"]
BATCH = [
    ["101", "Boendestöd Åsby", "Brukare", "bada", "3", "yes", "4", "Bra stöd"],
    ["102", "Träffpunkten Åsby", "Brukare", "traffpunkt", "", "no", "", "Mer fika"],
    ["103", "Boendestöd Åsby", "Brukare", "boendestod", "12", "", "", ""],
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def audit():
    return Audit.objects.get(slug="demo")


def paper_count():
    return Response.objects.filter(audit__slug="demo", channel="paper").count()


def csv_bytes(rows, newline="\n", header=HEADER):
    return newline.join(";".join(row) for row in [header, *rows]).encode()


def xlsx_bytes(rows, header=HEADER):
    """As a spreadsheet program re-saves it: numbers as numbers, empty cells left out,
    stray spaces."""
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([_as_excel(value) for value in row])
    sheet.append([])  # a trailing empty row, as spreadsheets often keep
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _as_excel(value):
    if value == "":
        return None
    if value.isdigit():
        return float(value) if len(value) > 1 else int(value)
    return value + "  "


def run(data, name="paper.csv"):
    return importing.import_responses(data, name, audit=audit())


def by_row(report):
    return {row.row: row for row in report}


# One batch, three files -----------------------------------------------------------------


def test_one_batch_imported_as_csv_lf_csv_crlf_and_xlsx_is_stored_once(demo_data):
    before = paper_count()
    first = run(csv_bytes(BATCH))
    assert [row.outcome for row in first] == [Outcome.IMPORTED] * 3
    assert paper_count() == before + 3
    again = run(csv_bytes(BATCH, newline="\r\n"))
    assert [row.outcome for row in again] == [Outcome.SKIPPED] * 3
    resaved = run(xlsx_bytes(BATCH), "paper.xlsx")
    assert [row.outcome for row in resaved] == [Outcome.SKIPPED] * 3
    assert paper_count() == before + 3
    assert "already stored with these answers" in " ".join(resaved[0].reasons)


def test_a_file_without_the_paper_number_column_stores_once_when_the_batch_comes_again(
    demo_data,
):
    header, rows = HEADER[1:], [row[1:] for row in BATCH]
    before = paper_count()
    report = run(csv_bytes(rows, header=header))
    assert paper_count() == before + 3
    assert all("no paper number" in " ".join(row.reasons) for row in report)
    run(csv_bytes(rows, newline="\r\n", header=header))
    run(xlsx_bytes(rows, header=header), "paper.xlsx")
    assert paper_count() == before + 3


def test_identical_rows_without_paper_numbers_are_different_people(demo_data):
    """Two people may tick the same boxes: without a number nothing merges them."""
    header, row = HEADER[1:], BATCH[2][1:]
    before = paper_count()
    report = run(csv_bytes([row, row], header=header))
    assert paper_count() == before + 2
    assert "same answers as row 2" in " ".join(report[1].reasons)
    run(csv_bytes([row], header=header))  # another batch with the same answers
    assert paper_count() == before + 3


def test_a_paper_number_already_stored_with_other_answers_is_a_conflict(demo_data):
    run(csv_bytes(BATCH))
    before = paper_count()
    changed = [["102", "Träffpunkten Åsby", "Brukare", "traffpunkt", "", "yes", "", ""]]
    new = [["104", "Boendestöd Åsby", "Brukare", "bada", "", "", "", ""]]
    with pytest.raises(importing.ImportRefused) as refused:
        run(csv_bytes([*changed, *new]))
    assert paper_count() == before  # all or nothing: 104 waits too
    problem = refused.value.problems[0]
    assert (problem.row, problem.column) == (2, "paper_number")
    assert "paper form 102 is already stored with other answers" in str(problem)
    rows = by_row(refused.value.report)
    assert rows[2].outcome == Outcome.REFUSED and rows[3].outcome == Outcome.HELD


def test_a_form_typed_in_on_the_keyboard_is_recognised_by_its_number(demo_data):
    typed = Response.objects.get(audit__slug="demo", channel="paper", paper_number="1")
    with pytest.raises(importing.ImportRefused) as refused:
        run(csv_bytes([["001", typed.unit.name, "Brukare", "bada", "", "", "", "Annat"]]))
    assert "paper form 1 is already stored" in str(refused.value)


def test_the_same_number_twice_in_one_file_with_other_answers_is_refused(demo_data):
    before = paper_count()
    twice = [BATCH[0], [*BATCH[0][:3], "boendestod", *BATCH[0][4:]], BATCH[0]]
    with pytest.raises(importing.ImportRefused) as refused:
        run(csv_bytes(twice))
    assert paper_count() == before
    rows = by_row(refused.value.report)
    assert rows[3].outcome == Outcome.REFUSED
    assert "also on row 2 with other answers" in " ".join(rows[3].reasons)
    assert rows[4].outcome == Outcome.SKIPPED


# Checked like the web survey -------------------------------------------------------------


def test_a_missing_required_answer_is_refused_naming_row_and_column(demo_data):
    before = paper_count()
    rows = [BATCH[0], ["105", "Boendestöd Åsby", "Brukare", "", "2", "yes", "", "Bra"]]
    with pytest.raises(importing.ImportRefused) as refused:
        run(csv_bytes(rows))
    assert paper_count() == before
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "stod")]
    assert "row 3, column stod" in str(refused.value)


def test_a_question_hidden_by_its_condition_is_not_required_and_its_answer_is_dropped(
    demo_data,
):
    # gor is asked only when stod is not boendestod; plan_med only when plan is yes.
    header = ["paper_number", "unit", "target_group", "stod", "plan", "plan_med", "gor"]
    rows = [["106", "Boendestöd Åsby", "Brukare", "boendestod", "no", "5", "fika"]]
    report = run(csv_bytes(rows, header=header))
    assert report[0].outcome == Outcome.IMPORTED
    reasons = " ".join(report[0].reasons)
    assert "column plan_med: answer not stored" in reasons and "plan is yes" in reasons
    assert "column gor: answer not stored" in reasons
    stored = Response.objects.get(audit__slug="demo", paper_number="106")
    codes = set(Answer.objects.filter(response=stored).values_list("item__code", flat=True))
    assert codes == {"stod", "plan"}
    # The same form again is the same form: the dropped answers do not make it another.
    assert run(csv_bytes(rows, header=header))[0].outcome == Outcome.SKIPPED


def test_a_code_not_printed_on_the_form_is_refused(demo_data):
    rows = [["107", "Boendestöd Åsby", "Brukare", "bada", "", "kanske", "", ""]]
    with pytest.raises(importing.ImportRefused) as refused:
        run(csv_bytes(rows))
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "plan")]


# The report ----------------------------------------------------------------------------


def test_the_report_lists_every_row_with_its_outcome(demo_data):
    run(csv_bytes(BATCH[:1]))
    empty = [""] * len(HEADER)
    unnumbered = ["", "Boendestöd Åsby", "Brukare", "bada", "", "", "", ""]
    report = run(csv_bytes([BATCH[0], BATCH[1], empty, unnumbered]))
    assert [(row.row, row.outcome) for row in report] == [
        (2, Outcome.SKIPPED),
        (3, Outcome.IMPORTED),
        (5, Outcome.IMPORTED),  # row 4 is empty and ignored; rows keep the file's numbers
    ]
    assert [row.paper_number for row in report] == ["101", "102", ""]
    assert "no paper number" in " ".join(report[2].reasons)
    summary = importing.summarise(report)
    assert (summary.imported, summary.skipped, summary.unnumbered) == (2, 1, 1)


def test_the_command_prints_the_report(demo_data, tmp_path, capsys):
    path = tmp_path / "paper.csv"
    path.write_bytes(csv_bytes(BATCH))
    call_command("import_responses", str(path), audit="demo")
    call_command("import_responses", str(path), audit="demo")
    out = capsys.readouterr().out
    assert "row 2, paper form 101: imported" in out
    assert "row 4, paper form 103: skipped (duplicate)" in out
    assert "Imported 0 new responses into demo; 3 skipped." in out
    path.write_bytes(csv_bytes([["108", "Ingenstans", "Brukare", "bada", "", "", "", ""]]))
    with pytest.raises(CommandError, match="row 2, column unit"):
        call_command("import_responses", str(path), audit="demo")


def test_a_file_that_is_not_csv_or_xlsx_is_refused_plainly(demo_data):
    with pytest.raises(importing.Unreadable):
        run(b"\xff\xfe not text", "paper.csv")
    with pytest.raises(importing.Unreadable):
        run(b"not a workbook", "paper.xlsx")


# The page ------------------------------------------------------------------------------


def upload(data, name):
    file = io.BytesIO(data)
    file.name = name
    return file


def post_file(client, data, name="paper.xlsx"):
    client.force_login(User.objects.get(email="revisor@demo.example"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    return client.post(
        "/audits/demo/collection/paper/", {"import": "1", "file": upload(data, name)}
    )


def test_the_import_page_shows_the_report(demo_data, client):
    before = paper_count()
    response = post_file(client, xlsx_bytes(BATCH))
    html = response.content.decode()
    assert response.status_code == 200
    assert paper_count() == before + 3
    assert "<caption" in html and '<th scope="col">Outcome</th>' in html
    assert '<th scope="row">2</th><td>101</td><td>imported</td>' in html
    again = post_file(client, csv_bytes(BATCH, newline="\r\n"), "paper.csv").content.decode()
    assert '<th scope="row">4</th><td>103</td><td>skipped (duplicate)</td>' in again
    assert "3 rows were skipped as duplicates." in again
    assert paper_count() == before + 3


def test_the_import_page_shows_refused_rows_and_saves_nothing(demo_data, client):
    before = paper_count()
    rows = [BATCH[0], ["109", "Boendestöd Åsby", "Brukare", "", "", "", "", ""]]
    html = post_file(client, csv_bytes(rows), "paper.csv").content.decode()
    assert paper_count() == before
    assert "There is a problem" in html  # the page is in English, as the person chose
    assert "Some rows were refused, so nothing was imported." in html
    assert '<th scope="row">3</th><td>109</td><td>refused</td>' in html
    assert "column stod: a required question is not answered" in html
    assert "not imported because other rows were refused" in html


def test_the_import_page_takes_only_a_readable_csv_or_xlsx(demo_data, client):
    html = post_file(client, b"%PDF-1.7", "paper.pdf").content.decode()
    assert "Choose a CSV or XLSX file." in html
    html = post_file(client, b"not a workbook", "paper.xlsx").content.decode()
    assert "cannot be read as CSV (UTF-8) or XLSX" in html


def test_typing_in_a_paper_number_already_stored_with_other_answers_is_refused(demo_data):
    from django.core.exceptions import ValidationError

    from brukarrevision.collection import services

    typed = Response.objects.get(audit__slug="demo", channel="paper", paper_number="1")
    before = paper_count()
    with pytest.raises(ValidationError) as refused:
        services.enter_paper_response(
            user=User.objects.get(email="revisor@demo.example"),
            instrument=typed.instrument,
            unit=typed.unit,
            target_group=typed.target_group,
            language="sv",
            answers={"stod": "bada", "andra": "Något annat"},
            respondent="self",
            paper_number="1",
            key="typed-again-1",
        )
    assert "paper_number" in refused.value.message_dict
    assert paper_count() == before
