"""The report's documents as a reader gets them: A4 with Swedish metadata, a cover and a table
of contents, page numbers; questions and answers in words, never item codes; colour ratings
with a symbol and words; a compact PDF whose tables carry PDF/UA's scopes and ID tree; the
report in the auditors' order with the unit's answers; an easy-to-read summary written from
the release that reads more easily than the report (LIX), shown to the author."""

import io
import re
import subprocess
import zipfile
import zlib

import pytest
from django.core.management import call_command
from django.utils.translation import gettext as _
from docx import Document as WordDocument

from brukarrevision.accounts.models import User
from brukarrevision.audits.models import Audit
from brukarrevision.lib import charts, readability
from brukarrevision.releases import selectors as release_selectors
from brukarrevision.reports import document, rendering
from brukarrevision.reports.models import Assessment, Report

PAGES_BEFORE = 21  # the demo report's PDF before the compact layout


def audit(slug="demo"):
    return Audit.objects.get(slug=slug)


def render(tmp_path, fmt, slug="demo", easy=False):
    out = tmp_path / f"{slug}{'-easy' if easy else ''}.{fmt}"
    args = ["render_report", "--audit", slug, "--format", fmt, "--out", str(out)]
    call_command(*args, *(["--easy-read"] if easy else []))
    return out


def docx_text(path) -> str:
    word = WordDocument(str(path))
    cells = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    return "\n".join(p.text for p in word.paragraphs) + "\n" + cells


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def html_text(path) -> str:
    html = path.read_text()
    html = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def pdf_objects(path) -> bytes:
    """The PDF's bytes with every compressed stream (object streams too) inflated."""
    data = path.read_bytes()
    found = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            found.append(zlib.decompress(data[match.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(found)


def codes_of(slug="demo") -> list[str]:
    """The item codes of the released questionnaire that are not also Swedish words."""
    entry = release_selectors.entry_for(release_selectors.latest(audit(slug)))[1]
    return [m["code"] for m in entry["items"] if re.search(r"[_\d]", m["code"])]


# The documents ------------------------------------------------------------------------------------


def test_the_docx_is_a4_in_swedish_with_its_metadata_cover_contents_and_page_numbers(
    demo_data, tmp_path
):
    target = audit()
    path = render(tmp_path, "docx")
    word = WordDocument(str(path))
    section = word.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    properties = word.core_properties
    assert properties.title == target.title
    assert properties.author == target.performer.name
    assert target.client.name in properties.subject
    assert properties.language == "sv-SE"
    assert properties.created.year >= 2026 and "python-docx" not in properties.comments
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode()
        footers = " ".join(
            package.read(name).decode() for name in package.namelist() if "footer" in name
        )
        settings = package.read("word/settings.xml").decode()
        app = package.read("docProps/app.xml").decode()
        styles = package.read("word/styles.xml").decode()
    assert re.search(r"<w:instrText[^>]*> TOC \\o &quot;1-3&quot;", body) or 'TOC \\o "1-3"' in body
    assert "PAGE" in footers and "NUMPAGES" in footers
    assert "<w:updateFields" in settings and "sv-SE" in styles
    assert "Microsoft" not in app and target.performer.name in app
    text = docx_text(path)
    for value in (target.client.name, target.performer.name, target.performer.contact_email):
        assert value in text.split(_("Contents"))[0], value  # on the cover
    headings = [p for p in word.paragraphs if p.style.name.startswith("Heading")]
    built = document.build(target)
    assert [p.text for p in headings] == built.headings()
    entries = [p.text for p in word.paragraphs if re.fullmatch(r"toc \d", p.style.name.lower())]
    assert entries == [h.text for h in built.table_of_contents(deepest=2)] and len(entries) > 5


def test_no_item_code_or_stored_value_in_any_document_or_the_public_page(
    demo_data, tmp_path, client
):
    codes = codes_of()
    assert "plan_med" in codes and "q5" in codes
    texts = {
        "html": html_text(render(tmp_path, "html")),
        "docx": docx_text(render(tmp_path, "docx")),
        "pdf": pdf_text(render(tmp_path, "pdf")),
        "easy docx": docx_text(render(tmp_path, "docx", easy=True)),
        "re-audit": docx_text(render(tmp_path, "docx", slug="demo-2027")),
        "public page": re.sub(r"<[^>]+>", " ", client.get("/public/demo/").content.decode()),
    }
    for name, text in texts.items():
        for code in [*codes, "dont_know", "not_applicable"]:
            assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), (name, code)
    html = render(tmp_path, "html").read_text()
    assert not any(f'"chart-{code}' in html for code in codes)  # not even in ids
    released = document.Released.of(audit()).totals()
    flat = re.sub(r"\s+", " ", texts["pdf"])
    for result in released:
        if result.is_scale:
            assert result.text[:30] in flat, result.text  # the question, in words


def test_colour_ratings_have_colour_a_symbol_and_words_in_every_format(demo_data, tmp_path):
    ratings = list(Assessment.objects.filter(audit=audit()))
    marks = [document.mark(a) for a in ratings]
    assert {m.rating for m in marks} == {"works_well", "partly", "needs_improvement"}
    html = render(tmp_path, "html").read_text()
    text = {"docx": docx_text(render(tmp_path, "docx")), "pdf": pdf_text(render(tmp_path, "pdf"))}
    for mark in marks:
        assert f"background-color: {mark.colour}" in html
        assert f'aria-hidden="true">{mark.symbol}</span> {mark}' in html
        assert f"{mark.symbol} {mark}" in text["docx"]
        assert str(mark) in re.sub(r"\s+", " ", text["pdf"])
    with zipfile.ZipFile(tmp_path / "demo.docx") as package:
        body = package.read("word/document.xml").decode()
    for mark in marks:
        assert f'w:fill="{mark.colour.lstrip("#").upper()}"' in body
    assert len({m.symbol for m in marks}) == 3 and len({str(m) for m in marks}) == 3


def test_the_pdf_is_compact_and_its_tables_meet_pdf_ua(demo_data, tmp_path):
    path = render(tmp_path, "pdf")
    assert pdf_pages(path) <= 12 < PAGES_BEFORE
    objects = pdf_objects(path)
    headers = len(re.findall(rb"/S /TH\b", objects))
    assert headers > 100
    scoped = objects.count(b"/Scope /Column") + objects.count(b"/Scope /Row")
    assert scoped == headers, "every header cell has its scope"
    tree = re.search(rb"/IdTree\s*<<\s*/Names\s*\[(.*?)\]\s*>>", objects, re.S)
    assert tree, "the structure tree root has an ID tree"
    named = re.findall(rb"\(([^)]*)\)", tree.group(1))
    assert named == sorted(named)
    referenced = {
        key
        for found in re.findall(rb"/Headers \[([^\]]*)\]", objects)
        for key in re.findall(rb"\(([^)]*)\)", found)
    }
    assert referenced and referenced <= set(named)
    assert b"/A4" not in objects  # (sanity: size comes from the page box)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "A4" in info and audit().performer.name in info


def test_the_report_follows_the_auditors_order_and_ends_with_the_units_answers(demo_data):
    target = audit()
    built = document.build(target)
    top = [b.text for b in built.blocks if b.kind == "heading" and b.level == 1]
    keys = [
        "summary", "background", "results", "good_examples", "improvements", "proposals",
        "answers",
    ]  # fmt: skip
    sections = {s.key: s.heading for s in target.report.sections.all()}
    assert top == [sections.get(key, str(document.HEADINGS[key])) for key in keys]
    second = [b.text for b in built.blocks if b.kind == "heading" and b.level == 2]
    assert second[0] == sections["method"] and sections["assessment"] in second
    caption = _("The unit's answers to the proposals")
    answers = next(b for b in built.blocks if b.kind == "table" and b.caption == caption)
    for proposal in target.proposals.all():
        row = next(r for r in answers.rows if r[0] == str(proposal))
        assert row[1:] == [proposal.answer.get_decision_display(), proposal.answer.reason]
    rated = [b for b in built.blocks if b.kind == "rated"]
    assert len(rated) == Assessment.objects.filter(audit=target).count()


def test_the_comparison_shows_only_for_a_re_audit(demo_data, client):
    first, again = audit(), audit("demo-2027")
    comparison = str(document.HEADINGS["comparison"])
    assert first.previous_audit is None
    assert comparison not in document.build(first).headings()
    assert any(comparison in h or "tidigare" in h for h in document.build(again).headings())
    client.force_login(User.objects.get(email="samordnare@demo.example"))
    stored = first.report.sections.get(key="comparison").heading
    assert stored not in client.get("/audits/demo/report/").content.decode()
    assert (
        again.report.sections.get(key="comparison").heading
        in client.get("/audits/demo-2027/report/").content.decode()
    )


def test_the_client_sees_the_reports_real_status(demo_data, client):
    client.force_login(User.objects.get(email="bestallare@demo.example"))
    waiting = [_("Waiting for the coordinator."), "Väntar på samordnaren"]
    page = client.get("/audits/demo/report/").content.decode()
    assert audit().report.status == Report.Status.PUBLISHED
    assert not any(w in page for w in waiting)
    assert "/public/demo/" in page
    draft = client.get("/audits/demo-2027/report/").content.decode()
    assert not any(w in draft for w in waiting)
    assert _("The auditors are writing the report. It is sent for review when it is ready.") in (
        draft.replace("&#x27;", "'")
    )


# Charts -------------------------------------------------------------------------------------------


def test_charts_are_sized_to_their_rows_and_wrap_long_labels():
    long = "Du och personalen går regelbundet igenom hur ditt stöd fungerar"
    one = charts.bars("T", [("Ja", 60.0)], "dold", "a", width=360, label_width=60)
    three = charts.bars("T", [("Ja", 60.0), ("Nej", 30.0), ("Vet ej", 10.0)], "dold", "b")
    assert one.height < three.height and one.width == 360
    wrapped = charts.bars("T", [(long, 50.0)], "dold", "c", width=360, label_width=140)
    assert wrapped.height > one.height
    lines = charts.wrap(long, 20)
    assert 1 < len(lines) <= 3 and all(len(line) <= 20 for line in lines)
    assert " ".join(lines).replace("…", "") in long or lines[-1].endswith("…")
    assert charts.wrap("Kort", 20) == ["Kort"]
    assert charts.png(wrapped).startswith(b"\x89PNG")


# Readability --------------------------------------------------------------------------------------


def test_lix_counts_words_per_sentence_and_long_words():
    assert readability.lix("") == 0
    simple = readability.measure("Jag gillar katter. De är söta.")
    assert (simple.words, simple.sentences, simple.long_words) == (6, 2, 0)
    assert readability.lix("Jag gillar katter. De är söta.") == 3.0
    hard = readability.measure("Brukarrevisionen undersöker verksamheten.")
    assert hard.long_words == 3 and hard.lix == 3 + 100
    assert readability.measure("Rubrik utan punkt\nEn mening till.").sentences == 2
    assert readability.measure("7 av 10 håller med.").long_words == 0  # numbers are short
    assert readability.measure("e-post").words == 1
    assert readability.measure("Vi ses snart.").easy
    assert not readability.measure("Verksamhetsföreträdaren återrapporterar åtgärdsförslagen.").easy


def test_the_easy_to_read_summary_is_written_from_the_release_and_reads_more_easily(demo_data):
    target = audit()
    easy = document.build_easy(target)
    full = document.build(target)
    easy_lix, full_lix = readability.lix(easy.text()), readability.lix(full.text())
    assert easy_lix < full_lix
    assert easy_lix < readability.GOAL
    paragraphs = [b.text for b in easy.blocks if b.kind == "paragraph"]
    totals = document.Released.of(target).totals()
    shares = sorted(r.positive_share(r.total) for r in totals if r.is_scale)
    best = int(shares[-1] / 10 + 0.5)
    assert any(p.startswith(f"{best} ") and "10" in p for p in paragraphs), paragraphs
    listed = [item for b in easy.blocks if b.kind == "bullets" for item in b.items]
    for proposal in target.proposals.all():
        assert proposal.easy_text in listed and proposal.title not in listed
    taking_part = release_selectors.participation(release_selectors.latest(target))[1]
    assert any(str(taking_part) in p for p in paragraphs)


def test_a_hidden_figure_never_becomes_an_easy_to_read_sentence(demo_data, monkeypatch):
    target = audit()
    totals = document.Released.of(target).totals()
    scales = [r for r in totals if r.is_scale]
    for result in scales[1:]:
        result.total.hidden = True
    monkeypatch.setattr(document.Released, "totals", lambda self: totals)
    well, better = document.key_results(document.Released.of(target))
    sentences = well + better
    assert len(sentences) == 1
    statement = scales[0].item.text.get("sv-x-easy") or scales[0].text
    assert statement.strip() in sentences[0]


def test_a_proposal_without_easy_text_falls_back_to_its_title(demo_data):
    target = audit()
    proposal = target.proposals.first()
    proposal.easy_text = ""
    proposal.save()
    listed = [
        item for b in document.build_easy(target).blocks if b.kind == "bullets" for item in b.items
    ]
    assert proposal.title in listed


def test_the_author_sees_lix_for_the_summary_and_each_proposal(demo_data, client):
    client.force_login(User.objects.get(email="revisor@demo.example"))
    page = client.get("/audits/demo/report/").content.decode()
    found = re.findall(r"LIX (\d+)", page)
    assert len(found) >= 2 + audit().proposals.count()
    proposals = client.get("/audits/demo/report/proposals/").content.decode()
    assert len(re.findall(r"LIX \d+", proposals)) == audit().proposals.count()
    first = audit().proposals.first()
    response = client.post(
        f"/audits/demo/report/proposals/{first.pk}/",
        {
            "title": first.title,
            "text": first.text,
            "easy_text": "Vi vill att du får vara med.",
            "quality_area": first.quality_area,
            "level": first.level,
            "priority": first.priority,
            "recipient": first.recipient,
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.easy_text == "Vi vill att du får vara med."


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_easy_to_read_files_are_a4_and_swedish(demo_data, tmp_path, fmt):
    path = render(tmp_path, fmt, easy=True)
    if fmt == "docx":
        word = WordDocument(io.BytesIO(path.read_bytes()))
        assert round(word.sections[0].page_width.cm, 1) == 21.0
        assert word.core_properties.language == "sv-SE"
        assert not [p for p in word.paragraphs if p.style.name.lower().startswith("toc")]
        assert word.paragraphs[0].style.name == "Title"
    else:
        assert pdf_pages(path) <= 2
        assert b"/Lang (sv)" in pdf_objects(path)


def test_the_same_document_draws_to_the_same_pdf_from_the_cache(demo_data):
    built = document.build(audit("demo-2027"))
    rendering._DRAWN.clear()
    first = rendering.pdf(built)
    assert rendering.pdf(built) is first
