"""Numbers recomputed by hand from the raw answers match every output (results page, client
export, report), and the files open right in the tools people use: SPSS/PSPP (.sav with typed
codes, user-missing values, measure levels), Excel with Swedish settings (CSV dialect) and
XLSX with numbers as numbers."""

import csv
import io
import shutil
import subprocess

import pytest
from django.core.management import call_command

from brukarrevision.accounts.models import User
from brukarrevision.analysis import results
from brukarrevision.audits.models import Audit
from brukarrevision.instruments.models import Instrument, Item
from brukarrevision.releases import selectors as release_selectors
from brukarrevision.reports import document

SCALE = {"1", "2", "3", "4", "5"}


def questionnaire():
    return Instrument.objects.get(audit__slug="demo", kind="questionnaire", next_version=None)


def raw_answers(tmp_path) -> dict[str, list[str]]:
    """Every response's answer code per item, from the team's raw CSV export."""
    out = tmp_path / "raw.csv"
    call_command(
        "export_responses", "--audit", "demo", "--format", "csv", "--out", str(out),
        "--values", "codes",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    return {name: [row[name] for row in rows] for name in rows[0]}


def by_hand(values: list[str], steps: int) -> dict:
    on_scale = [int(v) for v in values if v in SCALE and int(v) <= steps]
    top = [v for v in on_scale if v >= steps - 1]
    return {
        "base": len(on_scale),
        "share": round(100 * len(top) / len(on_scale), 1),
        "mean": round(sum(on_scale) / len(on_scale), 2),
    }


def table_of(tables, result):
    """The report's data table for a question, found by the question's text."""
    return next(t for t in tables if result.text in t.caption)


def released_total():
    release = release_selectors.latest(Audit.objects.get(slug="demo"))
    found = release_selectors.rebuild(release_selectors.entry_for(release)[1], "")
    return {r.code: r for r in found}


def test_share_positive_mean_and_base_match_a_hand_count_everywhere(demo_data, client, tmp_path):
    raw = raw_answers(tmp_path)
    released = released_total()
    client.force_login(User.objects.get(email="bestallare@demo.example"))
    export = client.get("/audits/demo/results/results.csv").content.decode("utf-8-sig")
    exported = {row[0]: row for row in csv.reader(io.StringIO(export)) if row[3] in ("Alla", "All")}
    report = document.build(Audit.objects.get(slug="demo"))
    tables = [b.table for b in report.blocks if b.kind == "figure"]
    checked = 0
    for code, result in released.items():
        if not result.is_scale:
            continue
        expected = by_hand(raw[code], len(result.values))
        total = result.total
        assert result.base(total) == expected["base"], code
        assert result.positive_share(total) == expected["share"], code
        assert result.mean(total) == expected["mean"], code
        row = exported[code]
        assert (int(row[8]), float(row[9]), float(row[11])) == (
            expected["base"], expected["mean"], expected["share"]
        ), code  # fmt: skip
        cells = {r[0]: r for r in table_of(tables, result).rows}
        assert cells["Andel positiva"][2] == f"{expected['share']:.1f}".replace(".", ",")
        assert cells["Medelvärde"][1] == f"{expected['mean']:.2f}".replace(".", ",")
        checked += 1
    assert checked >= 10


def test_share_positive_is_the_top_two_steps_of_the_scale(demo_data):
    scales = [r for r in results.item_results(questionnaire()) if r.is_scale]
    for result in scales:
        counts = {value: 2 for value, _label in result.values}
        group = results.Group("x", "x", answered=2 * len(counts), counts=counts)
        if len(result.values) == 5:
            assert result.positive_share(group) == 40.0  # 4 and 5, not 3
        else:
            assert result.positive_share(group) == 50.0  # 3 and 4 of 4 steps


def test_the_results_page_states_bases_and_definitions(demo_data, client):
    client.force_login(User.objects.get(email="bestallare@demo.example"))
    html = client.get("/audits/demo/results/").content.decode()
    assert "Bas för procenten" in html
    assert "de två högsta stegen" in html
    assert "summerar till mer än 100" in html
    assert "Alla som deltog" in html and "intervju" in html


# SPSS and PSPP ------------------------------------------------------------------------------


def sav_file(tmp_path):
    out = tmp_path / "responses.sav"
    call_command("export_responses", "--audit", "demo", "--format", "sav", "--out", str(out))
    return out


def test_the_sav_file_has_typed_codes_missing_values_and_measure_levels(demo_data, tmp_path):
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(sav_file(tmp_path)), user_missing=True)
    ratings = [r.code for r in results.item_results(questionnaire()) if r.is_scale]
    for code in ratings:
        assert frame[code].notna().any(), f"{code} came out empty"
        assert meta.variable_measure[code] == "ordinal"
        assert {v for v in frame[code].dropna()} <= set(meta.variable_value_labels[code])
    assert any(98.0 in [r["lo"] for r in meta.missing_ranges[c]] for c in ratings)
    assert meta.variable_measure["ar"] == "scale"
    assert meta.variable_measure["stod"] == "nominal"
    row = next(r for r in results.item_results(questionnaire()) if r.item.is_row)
    assert " – " in meta.column_names_to_labels[row.code]  # the matrix's question too


@pytest.mark.skipif(not shutil.which("pspp"), reason="GNU PSPP is not installed (apt install pspp)")
def test_pspp_descriptives_give_the_means_of_the_results_page(demo_data, tmp_path):
    path = sav_file(tmp_path)
    found = [r for r in results.item_results(questionnaire()) if r.is_scale]
    syntax = tmp_path / "means.sps"
    syntax.write_text(
        f"GET FILE='{path}'.\n"
        f"DESCRIPTIVES VARIABLES={' '.join(r.code for r in found)} /STATISTICS=MEAN.\n"
    )
    out = tmp_path / "means.csv"
    subprocess.run(["pspp", str(syntax), "-o", str(out)], check=True, capture_output=True)
    rows = list(csv.reader(io.StringIO(out.read_text())))
    means = [row for row in rows if len(row) == 3 and row[2] and row[1].isdigit()]
    assert len(means) == len(found)
    for result, (_label, n, mean) in zip(found, means, strict=True):
        assert int(n) == result.base(result.total), result.code
        assert float(mean) == pytest.approx(result.mean(result.total), abs=0.005), result.code


# Spreadsheets -------------------------------------------------------------------------------


def test_csv_for_swedish_excel_uses_semicolons_and_decimal_commas(demo_data, client):
    client.force_login(User.objects.get(email="bestallare@demo.example"))
    response = client.get("/audits/demo/results/results.csv?dialect=excel")
    assert response["Content-Disposition"].endswith('-excel.csv"')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows[0]) == 13
    percents = [row[6] for row in rows[1:] if row[6]]
    assert any("," in p for p in percents) and not any("." in p for p in percents)
    plain = client.get("/audits/demo/results/results.csv").content.decode("utf-8-sig")
    assert any("." in row[6] for row in csv.reader(io.StringIO(plain)) if row[6][:1].isdigit())


def test_xlsx_holds_numbers_as_numbers_and_explains_itself(demo_data, client):
    from openpyxl import load_workbook

    client.force_login(User.objects.get(email="bestallare@demo.example"))
    data = client.get("/audits/demo/results/results.xlsx?by=unit").content
    book = load_workbook(io.BytesIO(data))
    about, sheet = book.worksheets
    assert "andel positiva" in " ".join(str(c.value) for c in about["B"]).lower()
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    for row in rows:
        for cell in row[5:12]:
            assert cell is None or isinstance(cell, int | float), row
    hidden = [row for row in rows if str(row[3]).startswith("Träffpunkten")]
    assert hidden and all(row[5] is None and row[12] for row in hidden)
    assert all(not str(c).startswith("'") for row in rows for c in row[5:12] if c is not None)


def test_multiple_choice_tables_say_the_shares_add_up_to_more_than_100(demo_data):
    report = document.build(Audit.objects.get(slug="demo"))
    multiple = [r for r in released_total().values() if r.kind == Item.Kind.MULTIPLE]
    assert multiple
    for block in report.blocks:
        if block.kind == "figure" and multiple[0].text in block.table.caption:
            assert any("100 %" in note for note in block.table.notes)
            break
    else:
        pytest.fail("the multiple-choice question has no table in the report")


def choice_by_hand(raw: dict, result) -> dict[str, float]:
    """Percent per answer of a choice question, counted from the raw codes: of those who
    answered, "don't know" and "not applicable" apart; multiple choice of those who chose
    anything."""
    specials = {value for value, _label in result.specials}
    if result.is_multiple:
        columns = {value: raw[f"{result.code}_{value}"] for value, _label in result.values}
        answered = sum(
            any(columns[v][i] == "1" for v in columns) for i in range(len(raw["response"]))
        )
        return {v: round(100 * col.count("1") / answered, 1) for v, col in columns.items()}
    given = [v for v in raw[result.code] if v and v not in specials]
    return {v: round(100 * given.count(v) / len(given), 1) for v, _label in result.values}


def test_choice_percentages_match_a_hand_count_in_the_export_and_the_report(
    demo_data, client, tmp_path
):
    raw = raw_answers(tmp_path)
    client.force_login(User.objects.get(email="bestallare@demo.example"))
    export = client.get("/audits/demo/results/results.csv").content.decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(export)) if row[3] in ("Alla", "All")]
    report = document.build(Audit.objects.get(slug="demo"))
    tables = [b.table for b in report.blocks if b.kind == "figure"]
    checked = 0
    for code, result in released_total().items():
        if result.kind not in (Item.Kind.SINGLE, Item.Kind.MULTIPLE, Item.Kind.YES_NO):
            continue
        expected = choice_by_hand(raw, result)
        labels = dict(result.values)
        for value, percent in expected.items():
            assert result.figure(result.total, value).percent == percent, (code, value)
            row = next(r for r in rows if r[0] == code and r[4] == labels[value])
            assert float(row[6]) == percent, (code, value)
            cells = {r[0]: r for r in table_of(tables, result).rows}
            assert cells[labels[value]][2] == f"{percent:.1f}".replace(".", ","), (code, value)
        checked += 1
    assert checked >= 3
