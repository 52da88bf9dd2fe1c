"""Report, feedback and follow-up: one report model drawn as DOCX, PDF and HTML with every
figure suppressed, review and publication, the unit's answers and actions, followers,
reminders, the public pages and the re-audit comparison."""

import io
import re
import subprocess
import zlib

import pytest
from django.core import mail
from django.core.management import call_command
from docx import Document as WordDocument

from brukarrevision.accounts.models import User
from brukarrevision.analysis import presenting
from brukarrevision.analysis.models import Code, Coding
from brukarrevision.analysis.services import material
from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Response
from brukarrevision.followup import services as followup
from brukarrevision.followup.models import Action, ActionUpdate, Follower, ProposalAnswer
from brukarrevision.reports import document, services
from brukarrevision.reports.models import Rendering, Report


def person(email):
    return User.objects.get(email=email)


def audit(slug="demo"):
    return Audit.objects.get(slug=slug)


def render(tmp_path, fmt, slug="demo", easy=False):
    out = tmp_path / f"report.{fmt}"
    args = ["render_report", "--audit", slug, "--format", fmt, "--out", str(out)]
    call_command(*args, *(["--easy-read"] if easy else []))
    return out


def docx_text(path) -> tuple[list[tuple[str, str]], str, list]:
    word = WordDocument(str(path))
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    cells = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    text = "\n".join(p.text for p in word.paragraphs) + "\n" + cells
    return headings, text, word.tables


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def pdf_languages(path) -> set[bytes]:
    data = path.read_bytes()
    found = set(re.findall(rb"/Lang\s*\(([^)]*)\)", data))
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            found |= set(
                re.findall(rb"/Lang\s*\(([^)]*)\)", zlib.decompress(data[match.end() : end]))
            )
        except zlib.error:
            continue
    return found


# The documents ------------------------------------------------------------------------------------


def test_the_docx_has_the_reports_headings_tables_and_proposals(demo_data, tmp_path):
    built = document.build(audit())
    headings, text, tables = docx_text(render(tmp_path, "docx"))
    assert [h for _style, h in headings if h] == built.headings()
    assert {style for style, _h in headings} == {"Heading 1", "Heading 2"}
    assert len(tables) == sum(1 for b in built.blocks if b.kind == "table") + sum(
        1 for b in built.blocks if b.kind == "figure" and b.table
    )
    for proposal in audit().proposals.all():
        assert proposal.title in text
    assert "Samverkansgruppen" not in text or "Region Norrtorp" in text
    word = WordDocument(str(tmp_path / "report.docx"))
    assert word.core_properties.language == "sv-SE"
    pictures = word.inline_shapes
    assert len(pictures) > 0
    described = [s._inline.docPr.get("descr") for s in pictures]
    assert all(described)


def test_the_pdf_is_tagged_has_its_language_and_readable_pages(demo_data, tmp_path):
    out = render(tmp_path, "pdf")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 3
    assert b"sv" in pdf_languages(out)
    text = pdf_text(out)
    for heading in document.build(audit()).headings()[:4]:
        assert heading.split()[0] in text


def test_the_html_report_says_the_same_as_the_docx(demo_data, tmp_path):
    html = render(tmp_path, "html").read_text()
    assert '<html lang="sv">' in html
    for heading in document.build(audit()).headings():
        assert f">{heading}<" in html.replace("&#x27;", "'")
    assert html.count("<svg") > 5 and html.count('role="img"') == html.count("<svg")


def test_the_easy_to_read_summary_in_every_format(demo_data, tmp_path):
    html = render(tmp_path, "html", easy=True).read_text()
    assert "Det här fungerar bra" in html or "This works well" in html
    _headings, text, _tables = docx_text(render(tmp_path, "docx", easy=True))
    assert audit().proposals.first().easy_text in text  # the proposal in easy words
    assert "sv" in {lang.decode() for lang in pdf_languages(render(tmp_path, "pdf", easy=True))}


# Suppression --------------------------------------------------------------------------------------


def test_no_figure_for_the_small_unit_appears_in_any_format(demo_data, tmp_path):
    small = audit().units.get(name__startswith="Träffpunkten")
    assert Response.objects.filter(unit=small, audit=audit()).count() < 5
    code = Code.objects.filter(audit=audit()).first()
    answer = material(audit()).filter(response__unit=small).first()
    secret = "Bara Träffpunkten säger så här om kaffet"
    answer.text = secret
    answer.save()
    Coding.objects.create(
        code=code, answer=answer, coder=person("revisor@demo.example"), start=0,
        end=len(secret), passage=secret, is_quote=True,
    )  # fmt: skip
    texts = {
        "html": render(tmp_path, "html").read_text(),
        "docx": docx_text(render(tmp_path, "docx"))[1],
        "pdf": pdf_text(render(tmp_path, "pdf")),
    }
    for fmt, text in texts.items():
        assert secret not in text, f"a quote from the small unit in {fmt}"
        flat = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
        assert flat.count("Träffpunkten Åsby") >= 1, fmt
        # wherever the unit is named in a table, what follows is never a number
        assert not re.search(r"Träffpunkten Åsby[ |:]*\d", flat), fmt
        assert "Träffpunkten Åsby " + presenting.withheld_text() in flat, fmt


def test_the_respondent_tables_suppress_the_small_unit_and_its_complement(demo_data):
    built = document.build(audit())
    table = next(b for b in built.blocks if b.kind == "table" and "unit" in b.caption.lower()
                 or b.kind == "table" and "verksamhet" in b.caption.lower())  # fmt: skip
    numbers = {row[0]: row[1] for row in table.rows}
    assert not any(value.isdigit() for name, value in numbers.items() if name != table.rows[-1][0])
    assert table.rows[-1][1].isdigit()


# Writing, review and publication ----------------------------------------------------------------


def test_sections_are_edited_with_versions_and_published_after_review(demo_data, client):
    target = audit("demo-2027")
    report = target.report
    auditor = person("revisor@demo.example")
    client.force_login(auditor)
    before = report.versions.count()
    response = client.post(
        f"/audits/{target.slug}/report/sections/summary/",
        {"heading": "Sammanfattning", "text": "Nytt stycke.\n\nOch ett till."},
    )
    assert response.status_code == 302
    assert report.versions.count() == before + 1
    assert report.versions.first().sections[0]["text"] == "Nytt stycke.\n\nOch ett till."
    client.post(f"/audits/{target.slug}/report/review/", {"step": "submit"})
    client.post(f"/audits/{target.slug}/report/review/", {"step": "publish"})
    report.refresh_from_db()
    assert report.status == Report.Status.REVIEW, "an auditor cannot publish"
    client.force_login(person("samordnare@demo.example"))
    client.post(f"/audits/{target.slug}/report/review/", {"step": "publish"})
    report.refresh_from_db()
    assert report.status == Report.Status.PUBLISHED and report.published_at
    html = document.build(target)
    assert "Nytt stycke." in [b.text for b in html.blocks if b.kind == "paragraph"]


def test_a_rendering_runs_in_the_background_and_shows_its_progress(
    demo_data, client, django_capture_on_commit_callbacks
):
    client.force_login(person("samordnare@demo.example"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audits/demo/report/render/", {"format": "docx"})
    assert response.status_code == 302
    made = Rendering.objects.get()
    assert made.status == Rendering.Status.DONE and made.progress == 100
    page = client.get(response["Location"]).content.decode()
    assert 'value="100"' in page and "report/renderings" in page
    download = client.get(f"/audits/demo/report/renderings/{made.pk}/file")
    assert download["Content-Disposition"].endswith('.docx"')
    WordDocument(io.BytesIO(download.content))


# Feedback and follow-up ---------------------------------------------------------------------------


def test_a_unit_contact_answers_every_proposal_and_updates_an_action(
    demo_data, client, django_capture_on_commit_callbacks
):
    target = audit()
    ProposalAnswer.objects.filter(proposal__audit=target).delete()
    mail.outbox.clear()
    contact = person("verksamhet@demo.example")
    client.force_login(contact)
    for proposal in target.proposals.all():
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/audits/demo/feedback/proposals/{proposal.pk}/",
                {"answer": "1", "decision": "partly", "reason": "Vi gör det vi kan i år."},
            )
        assert response.status_code == 302
    assert ProposalAnswer.objects.filter(proposal__audit=target).count() == target.proposals.count()
    action = Action.objects.filter(proposal__audit=target).first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/audits/demo/feedback/actions/{action.pk}/",
            {"status": "done", "progress": "80", "note": "Klart sedan förra veckan."},
        )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.progress == 100
    public = client.get("/public/demo/").content.decode()
    assert "Klart sedan förra veckan." in public
    assert "Vi gör det vi kan i år." in public
    follower = Follower.objects.get(audit=target)
    told = [m for m in mail.outbox if follower.email in m.to]
    assert len(told) == target.proposals.count() + 1
    assert any(str(action.get_status_display()) in m.subject for m in told)


def test_only_the_audits_people_answer_proposals(demo_data, client):
    proposal = audit().proposals.first()
    client.force_login(person("region@demo.example"))  # another tenant's client
    response = client.post(
        f"/audits/demo/feedback/proposals/{proposal.pk}/",
        {"answer": "1", "decision": "accepted", "reason": "x"},
    )
    assert response.status_code == 404
    with pytest.raises(followup.PermissionDenied):
        followup.answer_proposal(
            user=person("revisor@demo.example"), proposal=proposal, decision="accepted", reason="x"
        )


def test_following_needs_a_confirmed_address_and_can_be_stopped(
    demo_data, client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/public/demo/", {"email": "ny@example.org"})
    follower = Follower.objects.get(email="ny@example.org")
    assert follower.confirmed_at is None
    assert f"/follow/{follower.token}/confirm/" in mail.outbox[-1].body
    client.get(f"/follow/{follower.token}/confirm/")
    follower.refresh_from_db()
    assert follower.confirmed_at
    action = Action.objects.filter(proposal__audit__slug="demo").first()
    with django_capture_on_commit_callbacks(execute=True):
        followup.update_action(
            user=person("verksamhet@demo.example"), action=action, status="stopped",
            progress=10, note="Pausat.",
        )  # fmt: skip
    assert any("ny@example.org" in m.to for m in mail.outbox)
    client.post(f"/follow/{follower.token}/stop/")
    assert not Follower.objects.filter(email="ny@example.org").exists()


def test_reminders_go_out_before_due_dates_and_when_updates_are_missing(demo_data):
    import datetime

    from django.utils import timezone

    mail.outbox.clear()
    action = Action.objects.filter(proposal__audit__slug="demo", status="in_progress").first()
    action.due_on = timezone.localdate() + datetime.timedelta(days=3)
    action.save()
    quiet = Action.objects.filter(proposal__audit__slug="demo", status="not_started").first()
    quiet.starts_on = timezone.localdate() - datetime.timedelta(days=60)
    quiet.save()
    ActionUpdate.objects.filter(action=quiet).delete()
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "verksamhet@demo.example" in message.to and "samordnare@demo.example" in message.to
    assert action.description[:40] in message.body and quiet.description[:40] in message.body
    call_command("send_reminders")
    assert len(mail.outbox) == 1, "one reminder a day"


def test_the_public_list_shows_only_published_audits(demo_data, client):
    page = client.get("/public/").content.decode()
    assert audit().title in page
    assert audit("demo-2027").title not in page
    assert client.get("/public/demo-2027/").status_code == 404
    assert client.get("/public/demo/report.pdf").content.startswith(b"%PDF")


# Re-audit ---------------------------------------------------------------------------------------


def test_a_re_audit_report_compares_with_the_earlier_audit(demo_data, tmp_path):
    target = audit("demo-2027")
    assert target.previous_audit == audit()
    built = document.build(target)
    tables = [b for b in built.blocks if b.kind == "table"]
    compared = next(t for t in tables if any(target.title in h for h in t.header))
    assert len(compared.rows) >= 5
    assert all(row[3].startswith(("+", "-")) or row[3] == "" for row in compared.rows)
    earlier = next(t for t in tables if t.rows and t.rows[0][0].startswith("1."))
    first = audit().proposals.get(number=1)
    assert earlier.rows[0][1] == str(first.answer.get_decision_display())
    _headings, text, _tables = docx_text(render(tmp_path, "docx", slug="demo-2027"))
    assert compared.rows[0][0] in text


def test_services_refuse_a_proposal_for_another_level_without_recipient(demo_data):
    with pytest.raises(services.ValidationError):
        services.save_proposal(
            user=person("revisor@demo.example"),
            audit=audit(),
            title="Nationellt förslag",
            text="",
            quality_area="information",
            level="national",
            priority="low",
            recipient="",
        )
