"""Analysis: results counted by the database, suppression on every output that leaves the
team, coding and agreement, findings, and the exports."""

import csv
import io
import statistics

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.analysis import codebook, exports, results, selectors, services
from brukarrevision.analysis.models import Code, Coding, Finding
from brukarrevision.audits.models import Audit
from brukarrevision.collection import services as collection
from brukarrevision.collection.models import Answer, Response
from brukarrevision.instruments.models import Instrument
from brukarrevision.lib import agreement, releasing, suppression


def questionnaire():
    return Instrument.objects.get(audit__slug="demo", kind="questionnaire", next_version=None)


def person(email):
    return User.objects.get(email=email)


def by_code(found):
    return {result.code: result for result in found}


# Quantitative results ---------------------------------------------------------------------------


def hand_count(code):
    """Counted the slow way, one answer at a time, to check the database's GROUP BY."""
    counts, respondents = {}, set()
    for answer in Answer.objects.filter(item__code=code, response__audit__slug="demo"):
        value = answer.special or (
            str(answer.number) if answer.number is not None else answer.choice
        )
        counts[value] = counts.get(value, 0) + 1
        respondents.add(answer.response_id)
    return counts, len(respondents)


@pytest.mark.parametrize("code", ["stod", "plan", "plan_med", "gor", "ar"])
def test_results_match_a_count_by_hand(demo_data, code):
    result = by_code(results.item_results(questionnaire()))[code]
    counts, answered = hand_count(result.code)
    assert result.total.counts == counts
    assert result.total.answered == answered
    total = Response.objects.filter(instrument__audit__slug="demo", channel__in=["web", "paper"])
    assert result.respondents == total.count()
    assert result.not_answered == total.count() - answered


def test_rating_scales_give_distribution_share_positive_and_median(demo_data):
    result = by_code(results.item_results(questionnaire()))["plan_med"]
    counts, _answered = hand_count("plan_med")
    steps = [int(v) for v, n in counts.items() if v.isdigit() for _ in range(n)]
    on_scale = len(steps)
    assert result.median(result.total) == statistics.median(steps)
    positive = sum(1 for step in steps if step >= 4)
    assert result.positive_share(result.total) == round(100 * positive / on_scale, 1)
    four = result.figure(result.total, "4")
    assert four.percent == round(100 * counts.get("4", 0) / on_scale, 1)


def test_dont_know_is_never_a_scale_value(demo_data):
    instrument = questionnaire()
    distribution = instrument.distributions.get(token="demo")
    for number in range(3):
        collection.submit_response(
            instrument=instrument,
            unit=distribution.unit,
            target_group=distribution.target_group,
            channel="web",
            language="sv",
            answers={"stod": "bada", "plan": "yes", "plan_med": "dont_know"},
            submission_key=f"dont-know-{number}",
        )
    result = by_code(results.item_results(instrument))["plan_med"]
    assert result.total.count("dont_know") >= 3
    assert result.base(result.total) == result.total.answered - result.total.count("dont_know")
    assert sum(result.figure(result.total, str(s)).percent for s in range(1, 6)) == pytest.approx(
        100, abs=0.5
    )


def test_results_break_down_by_channel_and_by_a_single_choice_item(demo_data):
    by_channel = by_code(results.item_results(questionnaire(), by="channel"))["plan"]
    assert {g.key for g in by_channel.groups} == {"web", "paper"}
    assert sum(g.answered for g in by_channel.groups) == by_channel.total.answered
    by_item = by_code(results.item_results(questionnaire(), by="item:stod"))["plan"]
    stod = by_code(results.item_results(questionnaire()))["stod"]
    sizes = {g.key: g.answered for g in by_item.groups}
    assert sizes == {value: n for value, n in stod.total.counts.items() if n}


def test_results_are_grouped_by_quality_area_and_audit_question(demo_data):
    from brukarrevision.analysis import presenting

    found = results.item_results(questionnaire())
    by_area = presenting.blocks(found, "quality_area")
    assert sum(len(b.items) for b in by_area) == len(found)
    by_question = presenting.blocks(found, "audit_question")
    assert any(b.heading.startswith("1.") for b in by_question)


# Suppression --------------------------------------------------------------------------------------


def released(by: str):
    from brukarrevision.releases import selectors as release_selectors

    latest = release_selectors.latest(questionnaire().audit)
    return release_selectors.rebuild(release_selectors.entry_for(latest)[1], by)


def test_the_small_unit_is_suppressed_with_a_complement_and_the_total_stays(demo_data):
    for result in released("unit"):
        small = next(g for g in result.groups if g.label.startswith("Träffpunkten"))
        if small.answered:
            assert small.hidden
            shown = [g for g in result.groups if not g.hidden]
            assert not shown, "one unit left shown would reveal the other by subtraction"
            assert not result.total.hidden


def test_auditors_working_view_is_not_suppressed(demo_data):
    result = by_code(results.item_results(questionnaire(), by="unit"))["stod"]
    assert not any(g.hidden for g in result.groups)


def test_the_threshold_is_configurable_but_never_below_three(settings):
    settings.SUPPRESSION_THRESHOLD = 2
    assert suppression.threshold() == 3
    settings.SUPPRESSION_THRESHOLD = 8
    assert suppression.threshold() == 8
    assert releasing.first({"a": 7, "b": 20}, suppression.threshold()).hidden == {"a", "b"}


sizes_strategy = st.dictionaries(
    st.sampled_from(list("abcdefg")), st.integers(min_value=0, max_value=30), min_size=1
)


@settings(max_examples=300, deadline=None)
@given(sizes=sizes_strategy, limit=st.integers(min_value=3, max_value=10))
def test_no_small_group_can_be_found_by_subtraction(sizes, limit):
    decision = releasing.first(sizes, limit)
    for key, n in sizes.items():
        if 0 < n < limit:
            assert key in decision.hidden, "a small group is shown"
    if not decision.published:
        return
    hidden = [k for k in decision.hidden if sizes[k]]
    # What a reader can derive: total minus every shown group = the hidden groups together.
    derived = sum(sizes.values()) - sum(sizes[k] for k in decision.shown())
    assert derived == sum(sizes[k] for k in hidden)
    if hidden:
        assert len(hidden) >= 2, "one hidden group alone is the total minus the rest"
        assert derived >= limit, "the hidden groups together are themselves a small group"
        # Each hidden group could hold one respondent more or fewer: nothing pins it down.
        first, second = hidden[0], hidden[1]
        alternative = dict(sizes)
        alternative[first] -= 1
        alternative[second] += 1
        assert sum(alternative[k] for k in hidden) == derived


@settings(max_examples=100, deadline=None)
@given(counts=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=2, max_size=6))
def test_no_answer_count_of_a_suppressed_group_is_revealed(counts):
    """Groups answer yes/no; the client sees per-group figures and the total."""
    groups = {f"g{i}": (yes, no) for i, (yes, no) in enumerate(counts)}
    decision = releasing.first({k: yes + no for k, (yes, no) in groups.items()}, 5)
    hidden = [k for k in groups if k in decision.hidden and sum(groups[k])]
    if not decision.published or not hidden:
        return
    for answer in (0, 1):
        derived = sum(v[answer] for v in groups.values()) - sum(
            groups[k][answer] for k in decision.shown()
        )
        # only the hidden groups' combined count, never one group's own
        assert derived == sum(groups[k][answer] for k in hidden)
        assert len(hidden) >= 2


def test_client_pages_and_export_results_never_show_the_small_unit(demo_data, client):
    client.force_login(person("bestallare@demo.example"))
    page = client.get(f"/audits/demo/analysis/?instrument={questionnaire().pk}&by=unit")
    assert page.status_code == 302  # clients read the release, never the working view
    page = client.get(page["Location"])
    html = page.content.decode()
    assert "skydda" in html
    assert "(n=3)" not in html
    export = client.get(f"/audits/demo/results/results.csv?instrument={questionnaire().pk}&by=unit")
    data = export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    small = [row for row in rows if row[3].startswith("Träffpunkten")]
    assert small
    for row in small:
        assert not any(cell.isdigit() for cell in row[5:8]), row


def test_export_results_command_writes_suppressed_xlsx(demo_data, tmp_path):
    out = tmp_path / "results.xlsx"
    call_command(
        "export_results", "--audit", "demo", "--format", "xlsx", "--out", str(out), "--by", "unit"
    )
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    small = [row for row in rows if str(row[3]).startswith("Träffpunkten")]
    assert small and all(not isinstance(row[5], int) for row in small)


# Exports of raw answers ---------------------------------------------------------------------------


def test_export_responses_as_sav_keeps_value_labels(demo_data, tmp_path):
    import pyreadstat

    out = tmp_path / "responses.sav"
    call_command("export_responses", "--audit", "demo", "--format", "sav", "--out", str(out))
    frame, meta = pyreadstat.read_sav(str(out))
    assert len(frame) == Response.objects.filter(instrument=questionnaire()).count()
    assert meta.variable_value_labels["plan"] == {1.0: "Ja", 2.0: "Nej"}
    assert meta.variable_value_labels["plan_med"][98.0].startswith("Vet inte")
    assert meta.column_names_to_labels["plan"]
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RAW_DATA_EXPORTED).exists()


def formula_response():
    instrument = questionnaire()
    distribution = instrument.distributions.get(token="demo")
    collection.submit_response(
        instrument=instrument,
        unit=distribution.unit,
        target_group=distribution.target_group,
        channel="web",
        language="sv",
        answers={"stod": "bada", "plan": "yes", "andra": '=HYPERLINK("x")'},
        submission_key="formula",
    )


def test_a_formula_in_an_answer_is_neutralised_in_csv_and_xlsx(demo_data):
    formula_response()
    auditor = person("revisor@demo.example")
    text = exports.export_responses(user=auditor, instrument=questionnaire(), fmt="csv")
    assert text.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert cells == ['\'=HYPERLINK("x")']
    data = exports.export_responses(user=auditor, instrument=questionnaire(), fmt="xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [c.value for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert values == ['\'=HYPERLINK("x")']
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_raw_answers_are_refused_to_clients_and_every_export_is_logged(demo_data, client):
    client.force_login(person("bestallare@demo.example"))
    url = f"/audits/demo/analysis/responses.csv?instrument={questionnaire().pk}"
    assert client.get(url).status_code == 403
    with pytest.raises(CommandError):
        call_command(
            "export_responses", "--audit", "demo", "--out", "/tmp/x.csv",
            "--user", "bestallare@demo.example",
        )  # fmt: skip
    client.force_login(person("revisor@demo.example"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    logged = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RAW_DATA_EXPORTED)
    assert logged.filter(identifier="revisor@demo.example").count() == 1


# Coding and agreement -----------------------------------------------------------------------------


def test_cohens_kappa_matches_a_hand_computation():
    # 10 passages. Coder A applies the code to 1–6, coder B to 1–5 and 7.
    first = [True] * 6 + [False] * 4
    second = [True] * 5 + [False, True] + [False] * 3
    result = agreement.cohen(first, second)
    # agree on 8 of 10; chance = 0.6*0.6 + 0.4*0.4 = 0.52; kappa = (0.8-0.52)/(1-0.52)
    assert result.observed == pytest.approx(0.8)
    assert result.expected == pytest.approx(0.52)
    assert result.kappa == pytest.approx(0.28 / 0.48)


def test_two_auditors_code_ten_passages_and_their_agreement_is_shown(demo_data, client):
    audit = Audit.objects.get(slug="demo")
    Coding.objects.all().delete()
    first, second = person("revisor@demo.example"), person("revisor2@demo.example")
    code = Code.objects.get(audit=audit, name="Lyssnar och respekterar")
    material = list(services.material(audit)[:10])
    assert len(material) == 10
    for index, answer in enumerate(material):
        if index < 6:
            services.code_passage(user=first, answer=answer, code=code)
        if index < 5 or index == 6:
            services.code_passage(user=second, answer=answer, code=code)
    comparison = selectors.compare(audit, first, second)
    # Only the passages either coded count: 7 of them; A says yes to 6, B to 6, agree on 5.
    # observed 5/7; chance = (6/7)(6/7) + (1/7)(1/7) = 37/49; kappa = (5/7 - 37/49) / (12/49)
    expected = (5 / 7 - 37 / 49) / (12 / 49)
    assert comparison.units == 7
    assert comparison.pooled.kappa == pytest.approx(expected)
    row = comparison.codes[0]
    assert [a.pk for a in row.only_first] == [material[5].pk]
    assert [a.pk for a in row.only_second] == [material[6].pk]
    client.force_login(first)
    page = client.get(f"/audits/demo/analysis/agreement/?first={first.pk}&second={second.pk}")
    assert f"{expected:.2f}".replace(".", ",") in page.content.decode()


def test_a_passage_is_found_by_its_words_or_refused(demo_data):
    audit = Audit.objects.get(slug="demo")
    auditor = person("revisor@demo.example")
    code = Code.objects.filter(audit=audit).first()
    answer = services.material(audit).first()
    words = answer.text.split()[1]
    coding = services.code_passage(user=auditor, answer=answer, code=code, passage=words)
    assert answer.text[coding.start : coding.end] == words == coding.passage
    whole = services.code_passage(user=auditor, answer=answer, code=code)
    assert whole.passage == answer.text
    with pytest.raises(services.ValidationError):
        services.code_passage(user=auditor, answer=answer, code=code, passage="finns inte här")
    with pytest.raises(services.PermissionDenied):
        services.code_passage(user=person("bestallare@demo.example"), answer=answer, code=code)


def test_an_auditor_codes_a_passage_and_marks_a_quote_in_the_browser_without_js(demo_data, client):
    audit = Audit.objects.get(slug="demo")
    auditor = person("revisor3@demo.example")
    client.force_login(auditor)
    answer = services.material(audit).first()
    code = Code.objects.filter(audit=audit).first()
    words = " ".join(answer.text.split()[:3])
    response = client.post(
        f"/audits/demo/analysis/coding/?item={answer.item.code}",
        {
            "answer_form": answer.pk,
            f"a{answer.pk}-answer": answer.pk,
            f"a{answer.pk}-code": code.pk,
            f"a{answer.pk}-passage": words,
            f"a{answer.pk}-is_quote": "on",
        },
    )
    assert response.status_code == 302
    coding = Coding.objects.get(coder=auditor)
    assert coding.passage == words and coding.is_quote
    page = client.get(f"/audits/demo/analysis/coding/?item={answer.item.code}").content.decode()
    assert words in page
    wrong = client.post(
        f"/audits/demo/analysis/coding/?item={answer.item.code}",
        {"answer_form": answer.pk, f"a{answer.pk}-answer": answer.pk, f"a{answer.pk}-code": code.pk,
         f"a{answer.pk}-passage": "ord som inte finns"},
    )  # fmt: skip
    assert wrong.status_code == 200
    assert "error-summary" in wrong.content.decode()
    assert "ord som inte finns" in wrong.content.decode()


# The codebook -------------------------------------------------------------------------------------


def test_a_codebook_travels_as_csv_and_qdc_to_another_audit(demo_data):
    source = Audit.objects.get(slug="demo")
    target = Audit.objects.get(slug="norrtorp-psykiatri-2025")
    coordinator = target.members.get(role="coordinator").user
    for fmt, data in [("csv", codebook.export_csv(source)), ("qdc", codebook.export_qdc(source))]:
        Code.objects.filter(audit=target).delete()
        added = codebook.import_codebook(
            user=coordinator, audit=target, data=data, filename=f"kodbok.{fmt}"
        )
        assert added == Code.objects.filter(audit=source).count()
        copied = {(c.name, c.description, c.theme.name) for c in Code.objects.filter(audit=target)}
        original = {
            (c.name, c.description, c.theme.name) for c in Code.objects.filter(audit=source)
        }
        assert copied == original


QUALCODER_QDC = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder 3.5">
  <Codes>
    <Code guid="7d2f7a8e-0c8e-4b5e-9a51-2f0b2a8f3c11"
      name="Bemotande" isCodable="false" color="#F781F3">
      <Description>Hur personalen moter brukarna</Description>
      <Code guid="1a2b3c4d-0000-4000-8000-000000000001"
        name="Respekt" isCodable="true" color="#81F7D8">
        <Description>Blir tagen pa allvar</Description>
      </Code>
      <Code guid="1a2b3c4d-0000-4000-8000-000000000002" name="Stress" isCodable="true"/>
    </Code>
    <Code guid="1a2b3c4d-0000-4000-8000-000000000003" name="Vantetider" isCodable="true"/>
  </Codes>
  <Sets/>
</CodeBook>"""


def test_a_codebook_written_by_another_tool_imports_and_a_broken_one_changes_nothing(demo_data):
    audit = Audit.objects.get(slug="norrtorp-psykiatri-2025")
    coordinator = audit.members.get(role="coordinator").user
    added = codebook.import_codebook(
        user=coordinator, audit=audit, data=QUALCODER_QDC, filename="qualcoder.qdc"
    )
    assert added == 3
    respekt = Code.objects.get(audit=audit, name="Respekt")
    assert respekt.theme.name == "Bemotande" and respekt.description == "Blir tagen pa allvar"
    before = Code.objects.count()
    broken = b"name,description\nGott,bra\n,utan namn\n"
    with pytest.raises(codebook.CodebookRefused) as refused:
        codebook.import_codebook(user=coordinator, audit=audit, data=broken, filename="x.csv")
    assert "3" in refused.value.problems[0]
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(codebook.CodebookRefused):
        codebook.import_codebook(user=coordinator, audit=audit, data=bomb, filename="x.qdc")
    assert Code.objects.count() == before


# Findings -----------------------------------------------------------------------------------------


def test_a_finding_needs_quality_areas_and_keeps_its_evidence(demo_data, client):
    audit = Audit.objects.get(slug="demo")
    auditor = person("revisor@demo.example")
    client.force_login(auditor)
    quote = Coding.objects.filter(code__audit=audit, is_quote=True).first()
    item = questionnaire().all_items().get(code="plan")
    data = {"kind": "improvement", "title": "Mer delaktighet", "text": "Brukarna vill vara med."}
    refused = client.post("/audits/demo/analysis/findings/", data)
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    assert "Mer delaktighet" in refused.content.decode()
    data.update({"quality_areas": ["goals"], "items": [item.pk], "codings": [quote.pk]})
    assert client.post("/audits/demo/analysis/findings/", data).status_code == 302
    finding = Finding.objects.get(title="Mer delaktighet")
    assert list(finding.items.all()) == [item] and list(finding.codings.all()) == [quote]
    assert finding.quality_areas == ["goals"]


def test_the_demo_has_a_codebook_two_coders_quotes_and_findings(demo_data):
    audit = Audit.objects.get(slug="demo")
    assert Code.objects.filter(audit=audit).count() >= 5
    assert selectors.coders(audit).count() == 2
    first, second = selectors.coders(audit)
    comparison = selectors.compare(audit, first, second)
    assert 0.4 < comparison.pooled.kappa < 1
    assert Coding.objects.filter(code__audit=audit, is_quote=True).exists()
    assert {f.kind for f in Finding.objects.filter(audit=audit)} == {"good_example", "improvement"}


# Charts -------------------------------------------------------------------------------------------


def test_charts_have_a_text_alternative_and_a_png_twin(demo_data):
    from xml.etree import ElementTree

    from brukarrevision.analysis import presenting
    from brukarrevision.lib import charts

    found = by_code(released("unit"))
    chart = presenting.chart(found["plan_med"])
    root = ElementTree.fromstring(chart.svg)
    assert root.get("role") == "img"
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{namespace}title").text == found["plan_med"].text
    described = root.find(f"{namespace}desc").text
    assert described == chart.text and "Dold för att skydda" in described
    assert "Alla:" in described
    png = charts.png(chart)
    assert png.startswith(b"\x89PNG")
