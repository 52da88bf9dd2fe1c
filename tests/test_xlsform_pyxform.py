"""XLSForm through pyxform: every export is a form pyxform turns into an XForm, every import
is read by pyxform, nothing is dropped without a word, and names survive the round trip."""

import csv
import io
import shutil
import time

import pytest
import xlwt
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from pyxform.xls2xform import convert

from brukarrevision.audits.models import Audit
from brukarrevision.instruments import bank, options, services, xlsform
from brukarrevision.instruments.models import Instrument, Item

from .test_instruments import make_questionnaire
from .test_xlsform_and_paper import structure

LAST_ROW = 1_048_576

SURVEY = [
    ["type", "name", "label::Svenska (sv)", "label::English (en)", "hint::Svenska (sv)",
     "hint::English (en)", "required", "relevant", "appearance"],
    ["start", "start"],
    ["begin_group", "om_dig", "Om dig", "About you", "", "", "", "", "field-list"],
    ["select_one boende or_other", "boende", "Hur bor du?", "How do you live?", "", "", "yes"],
    ["select_one nojd_skala", "nojd", "Hur nöjd är du?", "How satisfied are you?",
     "Välj en siffra", "Choose a number", "", "", "likert"],
    ["select_multiple hjalp", "hjalp", "Vad får du hjälp med?", "What do you get help with?"],
    ["select_one jn", "stod", "Får du stöd?", "Do you get support?"],
    ["integer", "alder", "Din ålder", "Your age", "", "", "", "${stod} = 'yes'"],
    ["end_group"],
    ["begin_group", "personalen", "Personalen", "The staff", "", "", "", "", "field-list"],
    ["begin_group", "bemotande", "Hur är personalen?", "How are the staff?", "", "", "", "",
     "table-list"],
    ["select_one skala", "lyssnar", "De lyssnar", "They listen", "", "", "", "", "likert"],
    ["select_one skala", "tid", "De har tid", "They have time", "", "", "", "", "likert"],
    ["end_group"],
    ["text", "ovrigt", "Något mer?", "Anything else?", "", "", "", "", "multiline"],
    ["end_group"],
]  # fmt: skip
ROW = {r[1]: n for n, r in enumerate(SURVEY[1:], 2) if len(r) > 1}  # name -> row on the sheet
CHOICES = [
    ["list_name", "name", "label::Svenska (sv)", "label::English (en)"],
    ["boende", "eget", "Eget boende", "Own home"],
    ["boende", "grupp", "Gruppbostad", "Group home"],
    ["nojd_skala", "1", "Inte alls", "Not at all"],
    ["nojd_skala", "2", "2", "2"],
    ["nojd_skala", "3", "3", "3"],
    ["nojd_skala", "4", "4", "4"],
    ["nojd_skala", "5", "Mycket", "Very"],
    ["nojd_skala", "9", "Vet ej", "Don't know"],
    ["hjalp", "mat", "Mat", "Food"],
    ["hjalp", "stad", "Städning", "Cleaning"],
    ["jn", "yes", "Ja", "Yes"],
    ["jn", "no", "Nej", "No"],
    ["skala", "1", "Aldrig", "Never"],
    ["skala", "2", "2", "2"],
    ["skala", "3", "3", "3"],
    ["skala", "4", "Alltid", "Always"],
    ["skala", "98", "Ej aktuellt", "Not applicable"],
    ["skala", "99", "Vet ej", "Don't know"],
]
SETTINGS = [["form_title", "form_id", "default_language"], ["Stödenkät", "stod", "Svenska (sv)"]]


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English; Swedish is the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


def sheets(survey=None, choices=None, settings=None) -> dict:
    found = {"survey": survey or SURVEY, "choices": choices or CHOICES}
    found["settings"] = settings or SETTINGS
    return {name: [list(row) for row in rows] for name, rows in found.items() if rows}


def xlsx(book: dict, libreoffice: bool = False) -> bytes:
    """The sheets as an .xlsx; `libreoffice` adds what LibreOffice leaves: a formatted, empty
    cell in the last row, so every sheet's used range is 1,048,576 rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in book.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if libreoffice:
            sheet.cell(LAST_ROW, 1).font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls(book: dict) -> bytes:
    workbook = xlwt.Workbook()
    for name, rows in book.items():
        sheet = workbook.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsform_csv(book: dict) -> bytes:
    """pyxform's CSV form of a workbook: the sheet name, then its rows one column in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for name, rows in book.items():
        writer.writerow([name])
        for row in rows:
            writer.writerow(["", *row])
    return buffer.getvalue().encode()


def with_cell(book: dict, sheet: str, row: int, column: str, value: str) -> dict:
    """The workbook with `value` in `column` (added when missing) of `row` of `sheet`."""
    rows = book[sheet]
    if column not in rows[0]:
        rows[0].append(column)
    index = rows[0].index(column)
    cells = rows[row - 1]
    cells.extend([""] * (index + 1 - len(cells)))
    cells[index] = value
    return book


def to_xform(data: bytes) -> str:
    """pyxform's XForm of an XLSForm, checked by ODK Validate where Java is installed."""
    return convert(xlsform=data, validate=shutil.which("java") is not None).xform


def load(world, data: bytes, audit=None) -> Instrument:
    """Imported by the auditor into the own audit, or headlessly (no user) into another."""
    user = world.auditor if audit is None else None
    return xlsform.import_xlsform(data, audit=audit or world.audit, user=user)


def names(data: bytes) -> dict:
    """The names an XLSForm gives its questions, groups, lists and answers."""
    book = load_workbook(io.BytesIO(data))
    survey = list(book["survey"].iter_rows(values_only=True))
    choices = list(book["choices"].iter_rows(values_only=True))
    column = {sheet: rows[0].index for sheet, rows in [("survey", survey), ("choices", choices)]}
    return {
        "survey": [(r[column["survey"]("type")], r[column["survey"]("name")]) for r in survey[1:]],
        "choices": [
            (r[column["choices"]("list_name")], r[column["choices"]("name")]) for r in choices[1:]
        ],
    }


# Import ---------------------------------------------------------------------------------


def check_the_form(instrument: Instrument) -> None:
    """What the test form must become, whatever file it came in."""
    assert instrument.title == "Stödenkät"
    assert instrument.languages == ["sv", "en"]
    items = {i.code: i for i in instrument.all_items()}
    assert list(items) == [
        "boende", "boende_other", "nojd", "hjalp", "stod", "alder",
        "bemotande", "lyssnar", "tid", "ovrigt",
    ]  # fmt: skip
    assert [s.title for s in instrument.sections.all()] == [
        {"sv": "Om dig", "en": "About you"},
        {"sv": "Personalen", "en": "The staff"},
    ]
    boende = items["boende"]
    assert (boende.kind, boende.required) == (Item.Kind.SINGLE, True)
    assert [c.value for c in boende.choices.all()] == ["eget", "grupp", "other"]
    assert boende.choices.get(value="other").label == {"sv": "Annat", "en": "Other"}
    other = items["boende_other"]
    assert other.kind == Item.Kind.SHORT_TEXT
    assert other.condition == {"item": "boende", "op": "selected", "value": "other"}
    nojd = items["nojd"]
    assert (nojd.kind, nojd.scale_steps, nojd.dont_know, nojd.not_applicable) == (
        Item.Kind.RATING, 5, True, False
    )  # fmt: skip
    assert nojd.scale_low == {"sv": "Inte alls", "en": "Not at all"}
    assert nojd.help == {"sv": "Välj en siffra", "en": "Choose a number"}
    assert items["hjalp"].kind == Item.Kind.MULTIPLE
    assert items["stod"].kind == Item.Kind.YES_NO
    assert items["alder"].condition == {"item": "stod", "op": "=", "value": "yes"}
    matrix = items["bemotande"]
    assert (matrix.kind, matrix.scale_steps, matrix.dont_know, matrix.not_applicable) == (
        Item.Kind.MATRIX, 4, True, True
    )  # fmt: skip
    assert matrix.text == {"sv": "Hur är personalen?", "en": "How are the staff?"}
    assert [r.code for r in matrix.rows.all()] == ["lyssnar", "tid"]
    assert items["ovrigt"].kind == Item.Kind.LONG_TEXT


def test_a_form_with_or_other_groups_a_matrix_and_two_languages_imports(world):
    check_the_form(load(world, xlsx(sheets())))


@pytest.mark.parametrize("write", [xls, xlsform_csv], ids=["xls", "csv"])
def test_xls_and_csv_workbooks_import_like_xlsx(world, write):
    check_the_form(load(world, write(sheets())))


def test_a_sheet_saved_by_libreoffice_imports_in_well_under_five_seconds(world):
    data = xlsx(sheets(), libreoffice=True)
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book["survey"].max_row == book["choices"].max_row == LAST_ROW
    started = time.perf_counter()
    instrument = load(world, data)
    assert time.perf_counter() - started < 5
    check_the_form(instrument)


def test_a_libreoffice_sheet_with_choice_filter_and_constraint_is_refused_at_once(world):
    book = with_cell(sheets(), "survey", row_of("alder"), "constraint", ". > 0")
    book = with_cell(book, "survey", row_of("hjalp"), "choice_filter", "name != 'mat'")
    started = time.perf_counter()
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        load(world, xlsx(book, libreoffice=True))
    assert time.perf_counter() - started < 5
    found = [(p.sheet, p.row, p.column) for p in refused.value.problems]
    assert found == [
        ("survey", row_of("hjalp"), "choice_filter"),
        ("survey", row_of("alder"), "constraint"),
    ]
    assert not Instrument.objects.exists()


@pytest.mark.parametrize(
    "answer, label, special",
    [
        ("9", "Vet ej", options.DONT_KNOW),
        ("9", "Kan inte säga", options.DONT_KNOW),
        ("99", "Vet inte / vill inte svara", options.DONT_KNOW),
        ("98", "Ej aktuellt", options.NOT_APPLICABLE),
        ("6", "vet ej", options.DONT_KNOW),
        ("0", "Don't know", options.DONT_KNOW),
        ("x", "Ej aktuellt", options.NOT_APPLICABLE),
        ("not_applicable", "Gäller inte", options.NOT_APPLICABLE),
    ],
)
def test_dont_know_and_not_applicable_are_never_a_step_on_the_scale(world, answer, label, special):
    choices = [r for r in CHOICES if r[0] != "nojd_skala" or r[1] != "9"]
    choices.append(["nojd_skala", answer, label, label])
    instrument = load(world, xlsx(sheets(choices=choices)))
    nojd = instrument.all_items().get(code="nojd")
    assert nojd.scale_steps == 5
    assert (nojd.dont_know, nojd.not_applicable) == (
        special == options.DONT_KNOW,
        special == options.NOT_APPLICABLE,
    )
    found = options.options(nojd, "sv")
    assert [o.value for o in found if o.counts] == ["1", "2", "3", "4", "5"]
    assert [o.value for o in found if not o.counts] == [special]


def test_a_plain_scale_from_another_tool_is_a_rating_even_without_likert(world):
    survey = [list(r) for r in SURVEY]
    survey[row_of("nojd") - 1][8] = ""
    nojd = load(world, xlsx(sheets(survey=survey))).all_items().get(code="nojd")
    assert (nojd.kind, nojd.scale_steps, nojd.dont_know) == (Item.Kind.RATING, 5, True)
    assert not nojd.choices.exists()


def test_a_single_choice_of_numbers_from_here_stays_a_single_choice(world):
    instrument = make_questionnaire(world)
    boende = instrument.all_items().get(code="boende")
    numbers = [{"value": str(n), "label": {"sv": str(n)}} for n in range(1, 6)]
    numbers.append({"value": "9", "label": {"sv": "Vet ej"}})
    services.update_item(user=world.auditor, item=boende, fields={}, choices=numbers)
    copy = load(world, xlsform.export_xlsform(instrument), audit=world.other_audit)
    boende = copy.all_items().get(code="boende")
    assert boende.kind == Item.Kind.SINGLE
    assert [c.value for c in boende.choices.all()] == ["1", "2", "3", "4", "5", "9"]


def test_a_group_needs_no_choices_sheet(world):
    survey = [
        ["type", "name", "label"],
        ["begin_group", "del", "Om dig"],
        ["text", "namn", "Vad gör du?"],
        ["end_group"],
    ]
    data = xlsx({"survey": survey})
    instrument = load(world, data)
    assert [i.code for i in instrument.all_items()] == ["namn"]
    assert instrument.sections.get().title == {"sv": "Om dig"}


def row_of(name: str) -> int:
    return ROW[name]


CHOICE_ROW = 4  # nojd_skala 1 on the choices sheet


@pytest.mark.parametrize(
    "sheet, row, column, value",
    [
        ("survey", row_of("alder"), "constraint", ". > 0"),
        ("survey", row_of("alder"), "constraint_message::Svenska (sv)", "För gammal"),
        ("survey", row_of("hjalp"), "choice_filter", "name != 'mat'"),
        ("survey", row_of("alder"), "default", "30"),
        ("survey", row_of("ovrigt"), "required_message", "Svara"),
        ("survey", row_of("nojd"), "image", "skala.png"),
        ("survey", row_of("ovrigt"), "read_only", "yes"),
        ("survey", row_of("ovrigt"), "guidance_hint", "Fråga lugnt"),
        ("survey", row_of("boende"), "appearance", "minimal"),
        ("survey", row_of("om_dig"), "relevant", "${stod} = 'yes'"),
        ("choices", CHOICE_ROW, "kommun", "asby"),
        ("choices", CHOICE_ROW, "image::Svenska (sv)", "ett.png"),
        ("settings", 2, "style", "pages"),
    ],
)
def test_what_the_platform_has_no_place_for_is_refused_naming_row_and_column(
    world, sheet, row, column, value
):
    book = with_cell(sheets(), sheet, row, column, value)
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        load(world, xlsx(book))
    found = [(p.sheet, p.row, p.column) for p in refused.value.problems]
    assert (sheet, row, column) in found
    assert column in str(refused.value)
    assert not Instrument.objects.exists()


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("alder", "decimal", "whole numbers"),
        ("alder", "geopoint", "geopoint"),
        ("alder", "calculate", "calculate"),
        ("bemotande", "begin_group", "matrix"),
    ],
)
def test_a_question_type_the_platform_cannot_keep_is_refused(world, name, value, message):
    book = sheets()
    book["survey"][row_of(name) - 1][0] = value
    if value == "calculate":
        with_cell(book, "survey", row_of(name), "calculation", "1 + 1")
    if value == "begin_group":
        book["survey"][row_of(name) - 1][8] = "field-list"
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        load(world, xlsx(book))
    problem = next(p for p in refused.value.problems if p.column == "type")
    assert (problem.sheet, problem.row) == ("survey", row_of(name))
    assert message in problem.message


def test_a_scale_with_words_on_its_middle_steps_is_a_rating_only_without_them(world):
    choices = [
        r if r[:2] != ["nojd_skala", "3"] else [*r[:2], "Varken eller", "Neither"] for r in CHOICES
    ]
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        load(world, xlsx(sheets(choices=choices)))
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("choices", 6, "label::Svenska (sv)")
    survey = [list(r) for r in SURVEY]
    survey[row_of("nojd") - 1][8] = ""
    instrument = load(world, xlsx(sheets(survey=survey, choices=choices)))
    nojd = instrument.all_items().get(code="nojd")
    assert nojd.kind == Item.Kind.SINGLE
    assert nojd.choices.get(value="3").label == {"sv": "Varken eller", "en": "Neither"}


def test_yes_and_no_with_other_words_stay_a_single_choice(world):
    choices = [
        r if r[:2] != ["jn", "yes"] else ["jn", "yes", "Ja, alltid", "Yes, always"] for r in CHOICES
    ]
    stod = load(world, xlsx(sheets(choices=choices))).all_items().get(code="stod")
    assert stod.kind == Item.Kind.SINGLE
    assert stod.choices.get(value="yes").label == {"sv": "Ja, alltid", "en": "Yes, always"}


def test_pyxforms_own_refusal_names_row_and_column(world):
    book = with_cell(sheets(), "survey", row_of("alder"), "relevant", "${finns_inte} = 1")
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        load(world, xlsx(book))
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("survey", row_of("alder"), "relevant")
    assert "finns_inte" in problem.message


def test_a_name_used_twice_in_different_groups_is_refused(world):
    book = sheets()
    book["survey"][row_of("ovrigt") - 1][1] = "alder"
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        load(world, xlsx(book))
    problem = refused.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("survey", row_of("ovrigt"), "name")


# Export and the round trip ---------------------------------------------------------------


def test_import_export_import_keeps_every_name_and_both_languages(world):
    first = load(world, xlsx(sheets()))
    exported = xlsform.export_xlsform(first)
    xform = to_xform(exported)
    assert 'lang="English (en)"' in xform and 'lang="Svenska (sv)"' in xform
    second = load(world, exported, audit=world.other_audit)
    assert structure(second) == structure(first)
    assert second.languages == first.languages == ["sv", "en"]
    assert [s.title for s in second.sections.all()] == [s.title for s in first.sections.all()]
    check_the_form(second)


def test_names_of_groups_and_lists_are_the_same_after_every_round_trip(world):
    """Group, list and answer names are kept from the file, so the export gives back the
    file's names (or_other's answer `other` now written in its list), and every later round
    trip the same."""
    once = xlsform.export_xlsform(load(world, xlsx(sheets())))
    twice = xlsform.export_xlsform(load(world, once, audit=world.other_audit))
    assert names(twice) == names(once)
    survey = {name: type_ for type_, name in names(once)["survey"] if name}
    assert set(ROW) - {"start"} < set(survey)
    assert survey["om_dig"] == survey["personalen"] == "begin_group"
    assert survey["boende"] == "select_one boende"
    assert survey["nojd"] == "select_one nojd_skala"
    assert survey["stod"] == "select_one jn"
    assert survey["lyssnar"] == survey["tid"] == "select_one skala"
    assert ("boende", "other") in names(once)["choices"]
    original = {tuple(row[:2]) for row in CHOICES[1:]}
    assert set(names(once)["choices"]) == original | {("boende", "other")}


def test_a_form_named_the_platforms_way_keeps_every_name(world):
    original = xlsform.export_xlsform(make_questionnaire(world))
    again = xlsform.export_xlsform(load(world, original, audit=world.other_audit))
    assert names(again) == names(original)


def test_a_text_that_looks_like_a_formula_is_exported_as_text(world):
    instrument = make_questionnaire(world)
    item = instrument.all_items().get(code="ord")
    item.text = {**item.text, "sv": "=1+1 är?"}
    item.save()
    data = xlsform.export_xlsform(instrument)
    sheet = load_workbook(io.BytesIO(data))["survey"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=1+1 är?")
    assert cell.data_type == "s"
    copy = load(world, data, audit=world.other_audit)
    assert copy.all_items().get(code="ord").text["sv"] == "=1+1 är?"


def test_every_field_of_an_item_survives_the_round_trip(world):
    instrument = make_questionnaire(world)
    instrument.intro = {"sv": "Välkommen", "en": "Welcome"}
    instrument.save()
    key = bank.items()[0]["key"]
    items = {i.code: i for i in instrument.all_items()}
    items["personal"].help = {"sv": "Tänk på förra veckan", "en": "Think of last week"}
    items["personal"].prompts = {"sv": "Fråga om exempel"}
    items["personal"].interviewer_note = {"sv": "Läs långsamt"}
    items["personal"].condition = {"item": "plan", "op": "=", "value": "yes"}
    items["personal"].quality_area = "treatment"
    items["ord"].bank_key = key
    for item in items.values():
        item.save()
    data = xlsform.export_xlsform(instrument)
    to_xform(data)
    copy = load(world, data, audit=world.other_audit)
    assert structure(copy) == structure(instrument)
    assert copy.intro == instrument.intro
    kept = ["prompts", "interviewer_note", "bank_key"]
    assert [[getattr(i, f) for f in kept] for i in copy.all_items()] == [
        [getattr(i, f) for f in kept] for i in instrument.all_items()
    ]


def test_a_form_without_groups_imports_into_one_section(world):
    survey = [
        ["type", "name", "label"],
        ["select_multiple vad or_other", "vad", "Vad gör du?"],
        ["note", "tack", "Tack!"],
    ]
    choices = [["list_name", "name", "label"], ["vad", "fika", "Fikar"], ["vad", "prata", "Pratar"]]
    instrument = load(world, xlsx({"survey": survey, "choices": choices}))
    assert [i.code for i in instrument.all_items()] == ["vad", "vad_other", "tack"]
    assert instrument.sections.count() == 1
    vad = instrument.all_items().get(code="vad")
    assert vad.kind == Item.Kind.MULTIPLE
    assert [c.value for c in vad.choices.all()] == ["fika", "prata", "other"]


# Names kept from the file ----------------------------------------------------------------

NAMED_SURVEY = [
    ["type", "name", "label::Svenska (sv)", "label::English (en)", "appearance"],
    ["begin_group", "bakgrund", "Bakgrund", "Background", "field-list"],
    ["select_one stod_typ", "stod_nu", "Vilket stöd har du?", "What support do you have?"],
    ["select_multiple stod_typ", "stod_onskat", "Vilket stöd vill du ha?", "What do you want?"],
    ["select_one ja_nej", "har_plan", "Har du en plan?", "Do you have a plan?"],
    ["select_one ja_nej", "vet_om_plan", "Vet du vad den säger?", "Do you know what it says?"],
    ["end_group"],
    ["begin_group", "om_stodet", "Om stödet", "About the support", "field-list"],
    ["select_one skala5", "nojd_stod", "Hur nöjd är du?", "How satisfied are you?", "likert"],
    ["select_one skala5", "nojd_info", "Hur bra är informationen?", "How good is it?", "likert"],
    ["begin_group", "personal", "Personalen", "The staff", "table-list"],
    ["select_one skala5", "lyssnar", "De lyssnar", "They listen", "likert"],
    ["select_one skala5", "tid", "De har tid", "They have time", "likert"],
    ["end_group"],
    ["select_one skala4", "trygg", "Känner du dig trygg?", "Do you feel safe?", "likert"],
    ["end_group"],
]  # fmt: skip
NAMED_CHOICES = [
    ["list_name", "name", "label::Svenska (sv)", "label::English (en)"],
    ["stod_typ", "boende", "Boendestöd", "Housing support"],
    ["stod_typ", "daglig", "Daglig verksamhet", "Daily activity"],
    ["ja_nej", "yes", "Ja", "Yes"],
    ["ja_nej", "no", "Nej", "No"],
    ["skala5", "1", "Inte alls", "Not at all"],
    ["skala5", "2", "2", "2"],
    ["skala5", "3", "3", "3"],
    ["skala5", "4", "4", "4"],
    ["skala5", "5", "Helt", "Completely"],
    ["skala5", "9", "Vet ej", "Don't know"],
    ["skala4", "1", "Aldrig", "Never"],
    ["skala4", "2", "2", "2"],
    ["skala4", "3", "3", "3"],
    ["skala4", "4", "Alltid", "Always"],
    ["skala4", "98", "Ej aktuellt", "Not applicable"],
]
KEPT = {
    "sections": ["bakgrund", "om_stodet"],
    "lists": {
        "stod_nu": "stod_typ",
        "stod_onskat": "stod_typ",
        "har_plan": "ja_nej",
        "vet_om_plan": "ja_nej",
        "nojd_stod": "skala5",
        "nojd_info": "skala5",
        "personal": "skala5",
        "trygg": "skala4",
    },
    "specials": {"nojd_stod": "9", "nojd_info": "9", "personal": "9", "trygg": "98"},
}


def named_form() -> bytes:
    return xlsx(sheets(survey=NAMED_SURVEY, choices=NAMED_CHOICES))


def kept_names(instrument: Instrument) -> dict:
    """Every name an instrument keeps for the export: sections, lists, items, answers."""
    items = list(instrument.all_items())
    return {
        "sections": [s.name for s in instrument.sections.all()],
        "lists": {i.code: i.list_name for i in items if i.list_name},
        "specials": {
            i.code: i.dont_know_name or i.not_applicable_name
            for i in items
            if i.dont_know_name or i.not_applicable_name
        },
        "items": [i.code for i in items],
        "choices": {i.code: [c.value for c in i.choices.all()] for i in items if i.choices.all()},
    }


def test_a_form_keeps_every_group_list_item_and_answer_name_through_the_round_trip(world):
    first = load(world, named_form())
    found = kept_names(first)
    assert {key: found[key] for key in KEPT} == KEPT
    assert set(found["items"]) == set(KEPT["lists"]) | {"lyssnar", "tid"}  # and matrix rows
    assert found["choices"] == {
        "stod_nu": ["boende", "daglig"],
        "stod_onskat": ["boende", "daglig"],
    }
    trygg = first.all_items().get(code="trygg")
    assert trygg.not_applicable and (trygg.not_applicable_name, trygg.dont_know_name) == ("98", "")

    exported = xlsform.export_xlsform(first)
    # The same names in the same places; a list shared in the file is written once.
    assert names(exported) == names(named_form())
    xform = to_xform(exported)
    assert "bakgrund" in xform and "om_stodet" in xform
    second = load(world, exported, audit=world.other_audit)
    assert kept_names(second) == found
    assert structure(second) == structure(first)
    assert names(xlsform.export_xlsform(second)) == names(named_form())


def test_a_new_version_and_a_copy_keep_the_names_from_the_file(world):
    first = load(world, named_form())
    services.freeze(user=world.auditor, instrument=first)
    second = services.new_version(user=world.auditor, instrument=first)
    again = services.copy_instrument(second, audit=world.other_audit)
    for copy in (second, again):
        assert kept_names(copy) == kept_names(first)
        exported = xlsform.export_xlsform(copy)
        to_xform(exported)
        assert names(exported) == names(named_form())


def test_an_instrument_made_here_exports_with_derived_names(world):
    instrument = make_questionnaire(world)
    assert [s.name for s in instrument.sections.all()] == [""]
    assert not any(i.list_name or i.dont_know_name for i in instrument.all_items())
    exported = xlsform.export_xlsform(instrument)
    to_xform(exported)
    found = names(exported)
    survey = {name: type_ for type_, name in found["survey"] if name}
    assert survey["section_1"] == "begin_group"
    assert survey["boende"] == "select_one list_boende"
    assert survey["gor"] == "select_multiple list_gor"
    assert survey["bemote"] == "select_one scale_bemote"
    assert survey["plan"] == "select_one yes_no"
    assert ("scale_bemote", options.DONT_KNOW) in found["choices"]


def test_items_that_shared_a_list_and_now_differ_get_lists_of_their_own(world):
    first = load(world, named_form())
    services.freeze(user=world.auditor, instrument=first)
    second = services.new_version(user=world.auditor, instrument=first)
    onskat = second.all_items().get(code="stod_onskat")
    choices = [{"value": c.value, "label": c.label} for c in onskat.choices.all()]
    choices.append({"value": "fritid", "label": {"sv": "Fritid", "en": "Leisure"}})
    services.update_item(user=world.auditor, item=onskat, fields={}, choices=choices)
    nojd = second.all_items().get(code="nojd_info")
    services.update_item(user=world.auditor, item=nojd, fields={"scale_steps": 4})
    exported = xlsform.export_xlsform(second)
    to_xform(exported)
    found = names(exported)
    survey = {name: type_ for type_, name in found["survey"] if name}
    assert survey["stod_nu"] == "select_one stod_typ"
    assert survey["stod_onskat"] == "select_multiple list_stod_onskat"
    assert survey["nojd_stod"] == survey["lyssnar"] == survey["tid"] == "select_one skala5"
    assert survey["nojd_info"] == "select_one scale_nojd_info"
    lists = [list_name for list_name, _name in found["choices"]]
    assert lists.count("stod_typ") == 2 and lists.count("list_stod_onskat") == 3
    assert ("scale_nojd_info", "9") in found["choices"]
    copy = load(world, exported, audit=world.other_audit)
    assert structure(copy) == structure(second)


def test_a_kept_name_that_would_break_the_form_gives_way_to_a_derived_one(world):
    choices = [r if r[:2] != ["skala4", "98"] else ["skala4", "5", *r[2:]] for r in NAMED_CHOICES]
    first = load(world, xlsx(sheets(survey=NAMED_SURVEY, choices=choices)))
    assert first.all_items().get(code="trygg").not_applicable_name == "5"
    services.freeze(user=world.auditor, instrument=first)
    second = services.new_version(user=world.auditor, instrument=first)
    items = {i.code: i for i in second.all_items()}
    services.update_item(user=world.auditor, item=items["trygg"], fields={"scale_steps": 5})
    services.update_item(user=world.auditor, item=items["stod_nu"], fields={"code": "bakgrund"})
    exported = xlsform.export_xlsform(second)
    to_xform(exported)
    found = names(exported)
    groups = [name for type_, name in found["survey"] if type_ == "begin_group"]
    assert groups == ["section_1", "om_stodet", "personal"]
    assert [n for list_, n in found["choices"] if list_ == "skala4"] == [
        "1", "2", "3", "4", "5", options.NOT_APPLICABLE
    ]  # fmt: skip


@pytest.mark.parametrize(
    "row, column, value, problem_column",
    [
        (2, "name", "om_stödet", "name"),
        (2, "name", "g" * 41, "name"),
        (3, "type", "select_one stöd.typ", "type"),
    ],
)
def test_a_group_or_list_name_the_platform_cannot_keep_is_refused(
    world, row, column, value, problem_column
):
    survey = [list(r) for r in NAMED_SURVEY]
    survey[row - 1][NAMED_SURVEY[0].index(column)] = value
    choices = [list(r) for r in NAMED_CHOICES]
    if value.startswith("select_one"):
        choices += [["stöd.typ", *r[1:]] for r in NAMED_CHOICES if r[0] == "stod_typ"]
    with pytest.raises(xlsform.XLSFormRefused) as refused:
        load(world, xlsx(sheets(survey=survey, choices=choices)))
    found = [(p.sheet, p.row, p.column) for p in refused.value.problems]
    assert found == [("survey", row, problem_column)]
    assert f"The name {value.split()[-1]} may only" in str(refused.value)
    assert not Instrument.objects.exists()


# The demo is loaded once for the rest of this module, so its tests come last.


def test_every_export_of_the_demo_is_a_valid_xform(demo_data):
    for instrument in Instrument.objects.filter(audit__slug="demo"):
        xform = to_xform(xlsform.export_xlsform(instrument))
        for item in instrument.all_items():
            assert f'/{item.code}"' in xform, item.code


def test_the_demo_questionnaire_comes_back_whole(demo_data):
    original = Instrument.objects.get(audit__slug="demo", kind="questionnaire")
    data = xlsform.export_xlsform(original)
    to_xform(data)
    other = Audit.objects.get(slug="asby-lss")
    copy = xlsform.import_xlsform(data, audit=other, user=None)
    assert structure(copy) == structure(original)
    assert (copy.intro, copy.languages) == (original.intro, original.languages)
    assert [s.title for s in copy.sections.all()] == [s.title for s in original.sections.all()]
