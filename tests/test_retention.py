"""Retention of raw data: a date set when the report is first published, a warning thirty days
before, deletion on the date (releases and the published report stay), and the audit's record
of processing as a page and a tagged PDF."""

import datetime
import io
import re
import shutil
import subprocess
import zlib

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.analysis.models import Coding, Finding
from brukarrevision.audits import retention
from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Answer, Interview, InterviewContact, Response
from brukarrevision.organisations.models import Membership
from brukarrevision.releases.models import Release
from brukarrevision.reports import services as report_services
from brukarrevision.reports.models import Edition, Report


def person(email):
    return User.objects.get(email=email)


def audit(slug="demo"):
    return Audit.objects.get(slug=slug)


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def today():
    return timezone.localdate()


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def pdf_languages(data: bytes) -> set[bytes]:
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


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    return client


# The date -----------------------------------------------------------------------------------------


def test_publishing_sets_the_date_twelve_months_ahead_and_logs_it(demo_data):
    demo = audit()
    # The demo's report was published while the demo loaded: it has its date already.
    assert demo.retention_until == retention.months_after(today(), 12)
    Audit.objects.filter(pk=demo.pk).update(retention_until=None)
    SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RETENTION_SET).delete()
    report = Report.objects.get(audit=demo)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.REVIEW)
    report.refresh_from_db()
    coordinator = person("samordnare@demo.example")
    report_services.publish(user=coordinator, report=report, note="Ett stavfel rättat.")
    demo.refresh_from_db()
    assert demo.retention_until == retention.months_after(today(), 12)
    assert (demo.retention_until - today()).days in (365, 366)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.RETENTION_SET, audit=demo)
    assert event.user == coordinator and demo.retention_until.isoformat() in event.detail
    # A later correction does not move a date already set.
    Audit.objects.filter(pk=demo.pk).update(retention_until=today() + datetime.timedelta(days=90))
    Report.objects.filter(pk=report.pk).update(status=Report.Status.REVIEW)
    report.refresh_from_db()
    report_services.publish(user=coordinator, report=report, note="Ännu en rättelse.")
    assert audit().retention_until == today() + datetime.timedelta(days=90)


def test_months_after_keeps_the_day_or_takes_the_months_last():
    assert retention.months_after(datetime.date(2026, 3, 15), 12) == datetime.date(2027, 3, 15)
    assert retention.months_after(datetime.date(2028, 2, 29), 12) == datetime.date(2029, 2, 28)
    assert retention.months_after(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_a_coordinator_moves_the_date_with_a_reason_never_into_the_past(demo_data, login):
    client = login(person("samordnare@demo.example"))
    url = "/audits/demo/retention/"
    before = audit().retention_until
    assert client.get(url).status_code == 200
    page = client.post(
        url, {"until": (today() - datetime.timedelta(days=1)).isoformat(), "reason": "x"}
    )
    assert page.status_code == 200 and "error-summary" in page.content.decode()
    page = client.post(url, {"until": (today() + datetime.timedelta(days=60)).isoformat()})
    assert page.status_code == 200 and "error-summary" in page.content.decode()
    assert audit().retention_until == before
    later = today() + datetime.timedelta(days=60)
    page = client.post(url, {"until": later.isoformat(), "reason": "Analysen pågår."})
    assert page.status_code == 302
    assert audit().retention_until == later
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RETENTION_SET).latest("pk")
    assert event.user == person("samordnare@demo.example") and "Analysen pågår." in event.detail
    assert event.audit == audit() and later.isoformat() in event.detail
    # An auditor may not change it; the date shows on the audit page.
    auditor = login(person("revisor@demo.example"))
    assert auditor.get(url).status_code == 403
    with translation.override("sv"):
        shown = date_format(later, "DATE_FORMAT")
    assert shown in auditor.get("/audits/demo/").content.decode()


# The warning --------------------------------------------------------------------------------------


def warnings_about(title):
    return [message for message in mail.outbox if title in message.subject]


def test_the_warning_goes_once_to_the_coordinators_thirty_days_before(demo_data):
    lss = audit("asby-lss")
    Audit.objects.filter(pk=lss.pk).update(retention_until=today() + datetime.timedelta(days=31))
    assert "asby-lss" not in run()
    assert warnings_about(lss.title) == []
    Audit.objects.filter(pk=lss.pk).update(retention_until=today() + datetime.timedelta(days=30))
    assert "Would warn 1 coordinators: asby-lss" in run("--dry-run")
    assert warnings_about(lss.title) == []
    assert "Warned 1 coordinators: asby-lss" in run()
    [message] = warnings_about(lss.title)
    assert message.to == ["samordnare@demo.example"]
    assert "/audits/asby-lss/retention/" in message.body
    assert "asby-lss" not in run()
    assert len(warnings_about(lss.title)) == 1  # once
    assert audit("asby-lss").raw_data_deleted_at is None  # a warning, not a deletion
    # The other coordinators of the performing organisation are told too.
    other = User.objects.create_user("samordnare2@demo.example", "x-lösen-123456", full_name="Ny")
    Membership.objects.create(user=other, organisation=lss.performer, role="coordinator")
    Audit.objects.filter(pk=lss.pk).update(retention_warned_at=None)
    run()
    assert set(warnings_about(lss.title)[-1].to) == {"samordnare@demo.example", other.email}


# Deletion on the date -----------------------------------------------------------------------------


def test_raw_data_are_deleted_on_the_date_and_the_releases_and_report_stay(demo_data, client):
    demo = audit()
    interviews = Interview.objects.filter(audit=demo)
    assert Response.objects.filter(audit=demo).exists()
    assert InterviewContact.objects.filter(audit=demo).exists()
    assert interviews.exclude(notes={}).exists() and Coding.objects.filter(code__audit=demo)
    findings = set(Finding.objects.filter(audit=demo).values_list("text", flat=True))
    responses = Response.objects.filter(audit=demo).count()

    # Before the date nothing goes.
    Audit.objects.filter(pk=demo.pk).update(retention_until=today() + datetime.timedelta(days=1))
    run()
    assert Response.objects.filter(audit=demo).count() == responses

    Audit.objects.filter(pk=demo.pk).update(retention_until=today())
    assert f"Would delete the raw data of demo (retention date {today()}): {responses}" in run(
        "--dry-run"
    )
    assert Response.objects.filter(audit=demo).count() == responses
    output = run()
    assert f"Deleted the raw data of demo (retention date {today()}): {responses} responses" in (
        output
    )
    assert not Response.objects.filter(audit=demo).exists()
    assert not Answer.objects.filter(response__audit=demo).exists()
    assert not InterviewContact.objects.filter(audit=demo).exists()
    assert not interviews.exclude(notes={}).exists()
    assert not Coding.objects.filter(code__audit=demo).exists()
    assert not demo.distributions.filter(is_open=True).exists()
    assert set(Finding.objects.filter(audit=demo).values_list("text", flat=True)) == findings
    assert audit().raw_data_deleted_at is not None
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.RAW_DATA_DELETED, audit=demo)
    assert f"{responses} responses" in event.detail and "interview contacts" in event.detail

    # Idempotent: the next day's run finds nothing.
    assert "Nothing to warn about or delete today." in run()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RAW_DATA_DELETED).count() == 1

    # The public report and the releases are still served, figures and all.
    assert Release.objects.filter(audit=demo).exists()
    assert Edition.objects.filter(report__audit=demo).exists()
    assert client.get("/public/demo/").status_code == 200
    assert client.get("/public/demo/report.pdf").content.startswith(b"%PDF")
    client.force_login(person("bestallare@demo.example"))
    assert "%" in flat(client.get("/audits/demo/results/").content.decode())
    client.force_login(person("samordnare@demo.example"))
    release = flat(client.get("/audits/demo/results/releases/1/").content.decode())
    assert re.search(r"Boendestöd Åsby 21 ", release)
    for path in [
        "/audits/demo/",
        "/audits/demo/results/",
        "/audits/demo/analysis/",
        "/audits/demo/analysis/coding/",
        "/audits/demo/analysis/findings/",
        "/audits/demo/collection/",
        "/audits/demo/collection/interviews/",
        f"/audits/demo/collection/interviews/{interviews.filter(status='done').first().pk}/",
        "/audits/demo/analysis/codebook/",
        "/audits/demo/analysis/agreement/",
        "/audits/demo/report/preview/",
        "/audits/demo/report/",
        "/audits/demo/processing/",
    ]:
        assert client.get(path).status_code == 200, path
    page = english(client).get("/audits/demo/").content.decode()
    assert "were deleted on" in page
    with pytest.raises(ValidationError):
        retention.set_retention(
            user=person("samordnare@demo.example"), audit=demo, until=today(), reason="x"
        )


def test_the_demo_has_an_audit_near_its_date(demo_data):
    near = audit("norrtorp-psykiatri-2025")
    assert 0 < (near.retention_until - today()).days <= retention.WARN_DAYS
    assert near in retention.due_for_warning()


# The record of processing -------------------------------------------------------------------------


def test_the_client_reads_the_record_and_an_auditor_outside_the_audit_cannot(demo_data, login):
    page = login(person("bestallare@demo.example")).get("/audits/demo/processing/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Åsby kommun" in html and "Brukarkraft Väst" in html and "Anhöriga" in html
    assert "Rami Revisor" not in html  # the client does not learn who the auditors are
    assert page["Cache-Control"] == "no-store"
    outsider = login(person("revisor4@demo.example"))  # an auditor, not in this audit
    assert outsider.get("/audits/demo/processing/").status_code == 404
    assert outsider.get("/audits/demo/processing.pdf").status_code == 404
    unit = login(person("verksamhet@demo.example"))
    assert unit.get("/audits/demo/processing/").status_code == 403


def test_the_record_says_who_what_and_until_when(demo_data, login):
    Audit.objects.filter(slug="demo").update(retention_until=datetime.date(2027, 6, 30))
    client = english(login(person("samordnare@demo.example")))
    html = client.get("/audits/demo/processing/").content.decode()
    assert '<html lang="en">' in html
    for words in [
        "Controller</dt><dd>Åsby kommun",
        "Processor</dt><dd>Brukarkraft Väst",
        "Respondents in the target group Anhöriga (relatives)",
        "special categories of personal data (GDPR article 9): the audit concerns psychiatry",
        "Contact details of people willing to be interviewed",
        "Transfers to third countries",
        "30 June 2027",
        "fewer than 5 respondents",
        "4 of 4 in the team have signed",
    ]:
        assert words in html, words


def test_the_record_as_a_tagged_pdf_with_the_audit_title(demo_data, login, tmp_path):
    response = login(person("bestallare@demo.example")).get("/audits/demo/processing.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"sv" in pdf_languages(response.content)
    path = tmp_path / "record.pdf"
    path.write_bytes(response.content)
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert re.search(r"Tagged:\s+yes", info)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        assert " ".join(audit().title.split()) in " ".join(text.stdout.split())
