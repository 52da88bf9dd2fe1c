"""Unpublished reports: the client's and the unit's contacts see a report only when it is
shared with them for review (only that version) or published (security issue 12, item 6)."""

import pytest
from django.test import Client

from brukarrevision.accounts.models import User
from brukarrevision.reports import services
from brukarrevision.reports.models import Rendering, Report

pytestmark = pytest.mark.django_db

READERS = ["bestallare@demo.example", "verksamhet@demo.example"]
SECRET = "Utkast som ingen utanför teamet ska läsa"


def person(email):
    return User.objects.get(email=email)


def signed_in(email) -> Client:
    client = Client()
    client.force_login(person(email))
    return client


def draft_report() -> Report:
    """The demo's published report, taken back to draft and changed by the auditors."""
    report = Report.objects.get(audit__slug="demo")
    coordinator, auditor = person("samordnare@demo.example"), person("revisor@demo.example")
    services.back_to_draft(user=coordinator, report=report, note="Mer om boendestödet.")
    summary = report.sections.get(key="summary")
    services.save_section(user=auditor, section=summary, heading=summary.heading, text=SECRET)
    return report


def url(path=""):
    return f"/audits/demo/report/{path}"


@pytest.mark.parametrize("email", READERS)
def test_a_draft_is_not_shown_to_the_client_or_the_unit(demo_data, email):
    report = draft_report()
    newest = report.versions.first().number
    client = signed_in(email)
    home = client.get(url())
    assert home.status_code == 200
    assert SECRET not in home.content.decode()
    assert f"versions/{newest}/" not in home.content.decode()
    assert client.get(url(f"versions/{newest}/")).status_code == 403
    assert client.get(url("preview/")).status_code == 403
    assert client.post(url("render/"), {"format": "html"}).status_code == 403


@pytest.mark.parametrize("email", READERS)
def test_the_published_versions_stay_readable_while_a_correction_is_drafted(demo_data, email):
    draft_report()
    page = signed_in(email).get(url()).content.decode()
    assert "Version 2" in page or "Version 2" in page.replace("\xa0", " ")


@pytest.mark.parametrize("email", READERS)
def test_in_review_only_the_version_sent_for_review_is_shared(demo_data, email):
    report = draft_report()
    earlier = report.versions.first().number
    services.submit_for_review(user=person("revisor@demo.example"), report=report)
    report.refresh_from_db()
    shared = report.review_version
    assert shared == earlier
    # The auditors go on writing during the review: that is not shared.
    summary = report.sections.get(key="summary")
    services.save_section(
        user=person("revisor@demo.example"),
        section=summary,
        heading=summary.heading,
        text="Ännu inte delad text",
    )
    client = signed_in(email)
    shown = client.get(url(f"versions/{shared}/"))
    assert shown.status_code == 200 and SECRET in shown.content.decode()
    later = report.versions.first().number
    assert client.get(url(f"versions/{later}/")).status_code == 403
    assert client.get(url(f"versions/{shared - 1}/")).status_code == 403
    home = client.get(url()).content.decode()
    assert f"versions/{shared}/" in home and "Ännu inte delad text" not in home


def test_a_draft_rendering_is_not_downloadable_by_the_client(demo_data):
    report = draft_report()
    made = Rendering.objects.create(
        report=report, format="html", status=Rendering.Status.DONE, content=SECRET.encode()
    )
    for email in READERS:
        client = signed_in(email)
        assert client.get(url(f"renderings/{made.pk}/file")).status_code == 403
        assert client.get(url(f"renderings/{made.pk}/")).status_code == 403
    team = signed_in("revisor@demo.example")
    assert team.get(url(f"renderings/{made.pk}/file")).status_code == 200


def test_the_team_still_reads_every_version(demo_data):
    report = draft_report()
    team = signed_in("revisor@demo.example")
    for version in report.versions.all()[:3]:
        assert team.get(url(f"versions/{version.number}/")).status_code == 200
    assert SECRET in team.get(url()).content.decode()


def test_proposals_of_a_report_never_published_are_not_shown_to_the_unit(demo_data):
    report = draft_report()
    report.editions.all().delete()  # as if it had never been published
    proposal = report.audit.proposals.first()
    for email in READERS:
        client = signed_in(email)
        assert client.get("/audits/demo/feedback/").status_code == 403
        assert client.get(f"/audits/demo/feedback/proposals/{proposal.pk}/").status_code == 403
    coordinator = signed_in("samordnare@demo.example")
    assert coordinator.get(f"/audits/demo/feedback/proposals/{proposal.pk}/").status_code == 200


def test_published_proposals_are_answered_by_the_unit(demo_data):
    proposal = Report.objects.get(audit__slug="demo").audit.proposals.first()
    unit = signed_in("verksamhet@demo.example")
    assert unit.get(f"/audits/demo/feedback/proposals/{proposal.pk}/").status_code == 200
