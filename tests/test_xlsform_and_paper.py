"""XLSForm import and export, the headless commands, and the paper PDF."""

import io
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from brukarrevision.audits.models import Audit
from brukarrevision.instruments import paper, xlsform
from brukarrevision.instruments.models import Instrument, Item

from .test_instruments import make_questionnaire


def structure(instrument: Instrument) -> list[tuple]:
    """What must survive a round trip: items, kinds, texts, choices, conditions, scales."""
    rows = []
    for item in instrument.all_items().select_related("parent"):
        rows.append(
            (
                item.code,
                item.kind,
                item.parent.code if item.parent else None,
                item.text,
                item.help,
                item.required,
                item.condition,
                item.quality_area,
                item.scale_steps if not item.parent else None,
                item.scale_low,
                item.scale_high,
                item.dont_know,
                item.not_applicable,
                [(c.value, c.label) for c in item.choices.all()],
            )
        )
    return rows


def test_export_and_import_into_another_audit_gives_the_same_instrument(world):
    original = make_questionnaire(world)
    data = xlsform.export_xlsform(original)
    copy = xlsform.import_xlsform(data, audit=world.other_audit, user=world.other_coordinator)
    assert copy.audit == world.other_audit
    assert copy.languages == original.languages
    assert structure(copy) == structure(original)
    assert [s.title for s in copy.sections.all()] == [s.title for s in original.sections.all()]


def test_the_exported_file_is_a_real_xlsform(world):
    book = load_workbook(io.BytesIO(xlsform.export_xlsform(make_questionnaire(world))))
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in book["survey"][1]]
    assert {"type", "name", "label::Svenska (sv)", "label::English (en)", "relevant"} <= set(header)
    types = [row[0] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert "select_one yes_no" in types and "integer" in types and "note" in types
    assert any(t.startswith("select_multiple ") for t in types)
    assert "begin_group" in types and "end_group" in types


def kobo_form() -> bytes:
    """A form as KoboToolbox writes it: metadata rows, spaced group types, $kuid columns,
    a plain `label` column beside an English one, and yes/no and rating lists."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            "label",
            "label::English (en)",
            "hint",
            "required",
            "relevant",
            "appearance",
            "$kuid",
        ]
    )
    survey.append(["start", "start", None, None, None, None, None, None, "k1"])
    survey.append(["end", "end", None, None, None, None, None, None, "k2"])
    survey.append(
        ["begin group", "om_dig", "Om dig", "About you", None, None, None, "field-list", "k3"]
    )
    survey.append(
        [
            "select_one yesno",
            "stod",
            "Får du stöd?",
            "Do you get support?",
            None,
            "true",
            None,
            None,
            "k4",
        ]
    )
    survey.append(
        [
            "select_one nojd",
            "nojd",
            "Hur nöjd är du?",
            "How satisfied are you?",
            "Välj en siffra",
            "false",
            "${stod} = 'yes'",
            "likert",
            "k5",
        ]
    )
    survey.append(
        [
            "select_multiple vad",
            "vad",
            "Vad får du hjälp med?",
            "What do you get help with?",
            None,
            None,
            "selected(${stod}, 'yes')",
            None,
            "k6",
        ]
    )
    survey.append(
        ["integer", "timmar", "Timmar i veckan", "Hours a week", None, None, None, None, "k7"]
    )
    survey.append(
        ["text", "ovrigt", "Övrigt", "Anything else", None, None, None, "multiline", "k8"]
    )
    survey.append(["note", "tack", "Tack!", "Thank you!", None, None, None, None, "k9"])
    survey.append(["end group", None, None, None, None, None, None, None, "k10"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label", "label::English (en)", "$kuid"])
    for row in [
        ("yesno", "yes", "Ja", "Yes"),
        ("yesno", "no", "Nej", "No"),
        ("nojd", "1", "Inte alls", "Not at all"),
        ("nojd", "2", "2", "2"),
        ("nojd", "3", "3", "3"),
        ("nojd", "4", "Mycket", "Very"),
        ("vad", "mat", "Mat", "Food"),
        ("vad", "stad", "Städning", "Cleaning"),
    ]:
        choices.append([*row, "c"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["Stödenkät", "stodenkat", "2026110101"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsform_written_by_another_tool_imports(world):
    instrument = xlsform.import_xlsform(kobo_form(), audit=world.audit, user=world.auditor)
    assert instrument.title == "Stödenkät"
    assert instrument.languages == ["sv", "en"]
    items = {i.code: i for i in instrument.all_items()}
    assert [code for code in items] == ["stod", "nojd", "vad", "timmar", "ovrigt", "tack"]
    assert items["stod"].kind == Item.Kind.YES_NO and items["stod"].required
    assert items["nojd"].kind == Item.Kind.RATING
    assert (items["nojd"].scale_steps, items["nojd"].scale_low["en"]) == (4, "Not at all")
    assert items["nojd"].condition == {"item": "stod", "op": "=", "value": "yes"}
    assert items["vad"].condition == {"item": "stod", "op": "selected", "value": "yes"}
    assert items["timmar"].kind == Item.Kind.NUMBER
    assert items["ovrigt"].kind == Item.Kind.LONG_TEXT
    assert items["tack"].kind == Item.Kind.NOTE
    assert instrument.sections.get().title == {"sv": "Om dig", "en": "About you"}


def clear(cell):
    cell.value = None


def broken(change) -> bytes:
    book = load_workbook(io.BytesIO(kobo_form()))
    change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "change, sheet, row, column",
    [
        (lambda b: b["survey"].cell(5, 1, "geopoint"), "survey", 5, "type"),
        (lambda b: b["survey"].cell(6, 1, "select_one saknas"), "survey", 6, "type"),
        (lambda b: b["survey"].cell(5, 7, "${timmar} > 3"), "survey", 5, "relevant"),
        (lambda b: b["survey"].cell(6, 7, "${timmar} = 3"), "survey", 6, "relevant"),
        (lambda b: b["survey"].cell(5, 6, "kanske"), "survey", 5, "required"),
        (lambda b: b["survey"].cell(8, 2, "stod"), "survey", 8, "name"),
        (lambda b: clear(b["choices"].cell(4, 2)), "choices", 4, "name"),
        # pyxform names the begin_group row whose end_group is missing.
        (lambda b: clear(b["survey"].cell(11, 1)), "survey", 4, "type"),
    ],
)
def test_a_bad_xlsform_is_refused_naming_sheet_row_and_column(world, change, sheet, row, column):
    before = (Instrument.objects.count(), Item.objects.count())
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        xlsform.import_xlsform(broken(change), audit=world.audit, user=world.auditor)
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, column)
    assert f"{sheet}" in str(problem) and str(row) in str(problem)
    assert (Instrument.objects.count(), Item.objects.count()) == before


def test_a_file_that_is_not_a_workbook_is_refused(world):
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        xlsform.import_xlsform(b"not a workbook", audit=world.audit, user=world.auditor)
    assert "xlsx" in str(refused.value)


def test_importing_in_the_browser_lists_the_problems_and_saves_nothing(world, client):
    client.force_login(world.auditor)
    upload = io.BytesIO(broken(lambda b: b["survey"].cell(5, 1, "geopoint")))
    upload.name = "form.xlsx"
    response = client.post("/audits/own/instruments/", {"section": "import", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "survey" in html and "geopoint" in html
    assert not Instrument.objects.filter(audit=world.audit).exists()


def test_the_headless_commands_export_and_import(world, tmp_path):
    make_questionnaire(world)
    out = tmp_path / "form.xlsx"
    call_command("export_xlsform", audit="own", out=str(out))
    call_command("import_xlsform", str(out), audit="other")
    copy = Instrument.objects.get(audit__slug="other")
    assert structure(copy) == structure(Instrument.objects.get(audit__slug="own"))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(broken(lambda b: b["survey"].cell(5, 1, "geopoint")))
    with pytest.raises(CommandError, match="survey.*5.*type"):
        call_command("import_xlsform", str(bad), audit="other")
    assert Instrument.objects.filter(audit__slug="other").count() == 1


def test_the_paper_form_shows_every_item_with_its_codes(world, tmp_path):
    instrument = make_questionnaire(world)
    html = paper.render_html(instrument, "sv")
    for item in instrument.all_items():
        assert f'<span class="code">{item.code}</span>' in html
    assert "[dont_know]" in html and "[eget]" in html and "[not_applicable]" in html
    # Nothing hides a question on paper, so the form says when to answer it.
    assert "Svara bara om ditt svar på fråga plan är ”Ja”." in html
    pdf = paper.render_pdf(instrument, "sv")
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    for item in instrument.all_items():
        assert item.code in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info


def test_the_paper_form_in_arabic_is_right_to_left(world):
    instrument = make_questionnaire(world, langs=("sv", "ar"))
    assert 'dir="rtl"' in paper.render_html(instrument, "ar")
    assert Audit.objects.get(slug="own")


def test_the_demo_questionnaire_on_paper_shows_every_item_with_its_codes(demo_data, tmp_path):
    instrument = Instrument.objects.get(audit__slug="demo", kind="questionnaire")
    assert instrument.languages == ["sv", "sv-x-easy", "en"]
    for lang in instrument.languages:
        path = tmp_path / f"{lang}.pdf"
        path.write_bytes(paper.render_pdf(instrument, lang))
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        words = text.stdout.replace("\n", " ")
        for item in instrument.all_items():
            assert item.code in words, (lang, item.code)
        assert "[dont_know]" in words


def test_the_demo_audit_exports_its_questionnaire_headlessly(demo_data, tmp_path):
    out = tmp_path / "demo.xlsx"
    call_command("export_xlsform", audit="demo", out=str(out))
    call_command("import_xlsform", str(out), audit="asby-lss")
    copy = Instrument.objects.get(audit__slug="asby-lss")
    original = Instrument.objects.get(audit__slug="demo", kind="questionnaire")
    assert [i.code for i in copy.all_items()] == [i.code for i in original.all_items()]
    assert copy.languages == original.languages


def test_the_demo_has_a_complete_questionnaire_and_an_interview_guide(demo_data):
    from brukarrevision.instruments import selectors

    audit = Audit.objects.get(slug="demo")
    kinds = {i.kind: i for i in selectors.current(audit)}
    assert set(kinds) == {"questionnaire", "interview_guide"}
    assert selectors.missing_translations(kinds["questionnaire"]) == []
    assert audit.audit_questions.count() == 3
    guide_items = kinds["interview_guide"].all_items()
    assert any(i.prompts.get("sv") for i in guide_items)
    assert {i.kind for i in kinds["questionnaire"].all_items()} >= {
        "single",
        "multiple",
        "rating",
        "yes_no",
        "number",
        "short_text",
        "long_text",
        "matrix",
    }
