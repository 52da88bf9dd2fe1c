"""Councils and patient forums: members and representativity, meetings, issues raised
from raising to reporting back, reminders for overdue answers, lists, exports, rights."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.councils import services
from brukarrevision.councils.models import Body, Issue, Level, Member
from brukarrevision.organisations.models import Unit
from brukarrevision.reports.models import Proposal

from .conftest import make_user

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def council(world):
    """A user council of the whole municipality, run by its client contact."""
    body = services.create_body(
        by=world.client_contact,
        organisation=world.client,
        kind=Body.Kind.USER_COUNCIL,
        name="Brukarrådet",
    )
    return body


@pytest.fixture
def forum(world):
    """A weekly patient forum at the unit, run by the unit's contact."""
    return services.create_body(
        by=world.unit_contact,
        organisation=world.client,
        unit=world.unit,
        kind=Body.Kind.PATIENT_FORUM,
        name="Patientforum",
    )


def _member(body, by, name, represents, units=(), user=None, organisation_name=""):
    return services.add_member(
        by=by,
        body=body,
        name=name,
        represents=represents,
        organisation_name=organisation_name,
        units=list(units),
        term_from=days(-100),
        term_to=days(300),
        user=user,
    )


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_patient_forums_minutes_raise_three_issues_and_the_overdue_one_is_reminded_once(
    world, forum, login
):
    meeting = services.plan_meeting(
        by=world.unit_contact, body=forum, held_on=days(-14), agenda="Runda\nNya frågor"
    )
    services.write_minutes(
        by=world.unit_contact,
        meeting=meeting,
        agenda=meeting.agenda,
        minutes="Tre frågor togs upp.",
        easy_summary="Vi pratade om tre saker.",
    )
    owner = world.unit_contact
    for title, due in [("Balkongen", days(-3)), ("Tv:n", days(5)), ("Permission", days(10))]:
        services.raise_issue(
            by=world.unit_contact,
            body=forum,
            meeting=meeting,
            title=title,
            text="",
            quality_area="support",
            level=Level.SERVICE,
            unit=world.unit,
            source=Issue.Source.MEETING,
            owner=owner,
            due_on=due,
        )
    client = login(world.unit_contact)
    page = client.get(f"/councils/{forum.pk}/meetings/{meeting.pk}/").content.decode()
    for title in ("Balkongen", "Tv:n", "Permission"):
        assert title in page
    assert "Vi pratade om tre saker." in page

    call_command("send_council_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "Balkongen" in mail.outbox[0].body
    assert "Tv:n" not in mail.outbox[0].body

    call_command("send_council_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # once per overdue period

    balcony = Issue.objects.get(title="Balkongen")
    services.update_issue(by=world.unit_contact, issue=balcony, owner=owner, due_on=days(-1))
    call_command("send_council_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # a new due date, overdue again: a new period


def test_the_council_page_lists_the_groups_represented_and_those_missing(world, council, login):
    other_unit = Unit.objects.create(
        client=world.client, name="Träffpunkten", service_type="psychiatry", municipality="Åsby"
    )
    by = world.client_contact
    _member(council, by, "Anna Berg", Member.Represents.USERS, [world.unit])
    _member(council, by, "Olle Ek", Member.Represents.ORGANISATION, organisation_name="RSMH")
    services.add_member(
        by=by,
        body=council,
        name="Former Relative",
        represents=Member.Represents.RELATIVES,
        units=[other_unit],
        term_from=days(-800),
        term_to=days(-30),
    )
    page = english(login(by)).get(f"/councils/{council.pk}/").content.decode()
    assert "No member represents: relatives." in page
    assert "No member covers: Träffpunkten." in page
    represented = page.split('id="representativity-title"')[1].split("</section>")[0]
    assert "Represented</span> Users" in represented
    assert "Represented</span> An organisation" in represented
    assert "Missing</span> Relatives" in represented
    assert "Covered</span> Boendestöd" in represented


def _answered_issue(world, forum):
    meeting = services.plan_meeting(by=world.unit_contact, body=forum, held_on=days(-7))
    issue = services.raise_issue(
        by=world.unit_contact,
        body=forum,
        meeting=meeting,
        title="Balkongen",
        text="",
        source=Issue.Source.MEETING,
    )
    return issue


def test_closing_needs_an_answer_and_the_meeting_where_it_was_reported_back(world, forum):
    issue = _answered_issue(world, forum)
    later = services.plan_meeting(by=world.unit_contact, body=forum, held_on=days(0))
    with pytest.raises(ValidationError):
        services.close_issue(by=world.unit_contact, issue=issue, meeting=later)
    services.answer_issue(by=world.unit_contact, issue=issue, answer="Balkongen är öppen.")
    with pytest.raises(ValidationError):
        services.close_issue(by=world.unit_contact, issue=issue, meeting=None)
    earlier = issue.meeting  # held before the answer was given
    with pytest.raises(ValidationError):
        services.close_issue(by=world.unit_contact, issue=issue, meeting=earlier)
    services.close_issue(by=world.unit_contact, issue=issue, meeting=later)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.CLOSED
    assert issue.fed_back_on == later.held_on
    assert issue.feedback_meeting == later


def test_the_meeting_page_lists_answers_to_report_back_and_closes_them(world, forum, login):
    issue = _answered_issue(world, forum)
    services.answer_issue(by=world.unit_contact, issue=issue, answer="Öppen varje kväll.")
    meeting = services.plan_meeting(by=world.unit_contact, body=forum, held_on=days(0))
    client = login(world.unit_contact)
    url = f"/councils/{forum.pk}/meetings/{meeting.pk}/"
    page = client.get(url).content.decode()
    report_back = page.split('id="report-back-title"')[1].split("</section>")[0]
    assert "Balkongen" in report_back and "Öppen varje kväll." in report_back
    client.post(url, {"close": issue.pk})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.CLOSED and issue.fed_back_on == TODAY


def test_every_status_move_is_kept_with_who_when_and_why(world, forum, login):
    issue = _answered_issue(world, forum)
    services.start_work(by=world.unit_contact, issue=issue, note="Chefen tittar på schemat.")
    services.answer_issue(by=world.unit_contact, issue=issue, answer="Öppen.")
    moves = list(issue.changes.values_list("from_status", "to_status", "by__email", "note"))
    assert [(m[0], m[1]) for m in moves] == [
        ("", "raised"),
        ("raised", "in_progress"),
        ("in_progress", "answered"),
    ]
    assert moves[1][2] == world.unit_contact.email
    assert moves[1][3] == "Chefen tittar på schemat."
    page = login(world.unit_contact).get(f"/councils/issues/{issue.pk}/").content.decode()
    assert "Chefen tittar på schemat." in page


def _three_issues(world, council):
    second = Unit.objects.create(
        client=world.client, name="Träffpunkten", service_type="psychiatry", municipality="Åsby"
    )
    by = world.client_contact
    services.raise_issue(
        by=by,
        body=council,
        title="Sen information",
        text="",
        quality_area="information",
        level=Level.SYSTEM,
        unit=world.unit,
        source=Issue.Source.MEETING,
    )
    late = services.raise_issue(
        by=by,
        body=council,
        title="=Kön i luckan",
        text="",
        quality_area="treatment",
        level=Level.INDIVIDUAL,
        unit=second,
        source=Issue.Source.MEETING,
    )
    Issue.objects.filter(pk=late.pk).update(due_on=days(-2))
    services.raise_issue(
        by=by,
        body=council,
        title="Fler aktiviteter",
        text="",
        quality_area="support",
        level=Level.SERVICE,
        unit=second,
        source=Issue.Source.MEETING,
    )
    return second


def test_the_issue_lists_filter_by_status_area_level_unit_and_overdue(world, council, login):
    second = _three_issues(world, council)
    client = login(world.client_contact)
    base = f"/councils/{council.pk}/issues/"

    def titles(query):
        page = client.get(base + query).content.decode()
        return {t for t in ("Sen information", "Kön i luckan", "Fler aktiviteter") if t in page}

    assert titles("") == {"Sen information", "Kön i luckan", "Fler aktiviteter"}
    assert titles("?quality_area=information") == {"Sen information"}
    assert titles("?level=individual") == {"Kön i luckan"}
    assert titles(f"?unit={second.pk}") == {"Kön i luckan", "Fler aktiviteter"}
    assert titles("?overdue=on") == {"Kön i luckan"}
    assert titles("?status=closed") == set()
    organisation_page = client.get(
        f"/councils/organisations/{world.client.pk}/issues/?overdue=on"
    ).content.decode()
    assert "Kön i luckan" in organisation_page and "Fler aktiviteter" not in organisation_page


def test_the_export_is_neutralised_against_formulas_and_logged(world, council, login):
    _three_issues(world, council)
    client = login(world.client_contact)
    response = client.get(f"/councils/{council.pk}/issues/?level=individual&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert "'=Kön i luckan" in values
    assert sheet.max_row == 2  # the filter holds in the export
    csv = client.get(f"/councils/{council.pk}/issues/?export=csv").content.decode("utf-8-sig")
    assert "Sen information" in csv and "Fler aktiviteter" in csv
    events = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.PERSONAL_DATA_EXPORTED, user=world.client_contact
    )
    assert events.count() == 2
    assert "council issues exported" in events.first().detail


def test_who_may_run_read_and_answer(world, council, forum, login):
    member_user = make_user("member@test.example")
    _member(council, world.client_contact, "Medlem", Member.Represents.USERS, user=member_user)
    issue = services.raise_issue(
        by=world.client_contact,
        body=council,
        title="Om enheten",
        text="",
        unit=world.unit,
        source=Issue.Source.MEETING,
    )
    url = f"/councils/{council.pk}/members/"
    assert login(world.client_contact).get(url).status_code == 200
    # A member reads the council but does not run it.
    assert login(member_user).get(f"/councils/{council.pk}/").status_code == 200
    assert login(member_user).get(url).status_code == 403
    # Another tenant does not even learn the council exists.
    assert login(world.other_client_contact).get(f"/councils/{council.pk}/").status_code == 404
    assert login(world.outsider).get(f"/councils/issues/{issue.pk}/").status_code == 404
    # The unit's contact answers issues about the unit, not others.
    client = login(world.unit_contact)
    client.post(f"/councils/issues/{issue.pk}/", {"answer": "1", "answer-answer": "Vi ordnar det."})
    issue.refresh_from_db()
    assert issue.status == Issue.Status.ANSWERED
    other = services.raise_issue(
        by=world.client_contact, body=council, title="Allmänt", text="", source="meeting"
    )
    with pytest.raises(PermissionDenied):
        services.answer_issue(by=world.unit_contact, issue=other, answer="Nej")
    # The unit contact runs the unit's forum but not the municipality's council.
    assert login(world.unit_contact).get(f"/councils/{forum.pk}/members/").status_code == 200
    assert login(world.unit_contact).get(url).status_code == 404
    # Exports are refused to those who may not list the organisation's issues.
    organisation_url = f"/councils/organisations/{world.client.pk}/issues/?export=csv"
    assert login(world.unit_contact).get(organisation_url).status_code == 403
    assert login(world.outsider).get("/councils/new/").status_code == 403
    assert login(world.client_contact).get("/councils/").status_code == 200


def test_an_audits_proposal_is_sent_to_a_council_by_the_coordinator(world, council, login):
    proposal = Proposal.objects.create(
        audit=world.audit, number=1, title="Skriftlig information", quality_area="information"
    )
    url = f"/audits/{world.audit.slug}/feedback/proposals/{proposal.pk}/council/"
    assert login(world.client_contact).get(url).status_code == 403
    client = english(login(world.coordinator))
    page = client.get(f"/audits/{world.audit.slug}/feedback/proposals/{proposal.pk}/")
    assert "Send to a council" in page.content.decode()
    client.post(url, {"body": council.pk, "level": "system"})
    issue = Issue.objects.get(proposal=proposal)
    assert issue.body == council and issue.source == Issue.Source.PROPOSAL
    assert issue.title == "Skriftlig information" and issue.unit == world.unit
    other_council = services.create_body(
        by=world.other_client_contact,
        organisation=world.other_client,
        kind=Body.Kind.USER_COUNCIL,
        name="Annat råd",
    )
    with pytest.raises(ValidationError):
        services.raise_issue(
            by=world.coordinator,
            body=other_council,
            title="x",
            text="",
            source=Issue.Source.PROPOSAL,
            proposal=proposal,
        )


def test_the_units_page_shows_its_latest_audit_and_council_issues(world, council, login):
    services.raise_issue(
        by=world.client_contact,
        body=council,
        title="Trappan är hal",
        text="",
        unit=world.unit,
        source=Issue.Source.MEETING,
    )
    page = login(world.unit_contact).get(f"/units/{world.unit.pk}/").content.decode()
    assert "Own audit" in page and "Trappan är hal" in page
    assert login(world.other_unit_contact).get(f"/units/{world.unit.pk}/").status_code == 403


def test_a_meeting_fee_is_reported_for_a_pool_member_present(world, council):
    pool = pytest.importorskip("brukarrevision.pool.models")
    pay_models = pytest.importorskip("brukarrevision.pay.models")
    pay_services = pytest.importorskip("brukarrevision.pay.services")
    if not hasattr(pay_services, "add_time_report"):
        pytest.skip("the pay app has no add_time_report")
    council.run_by = world.performer
    council.save()
    pay_models.FeeRate.objects.create(
        organisation=world.performer,
        kind=pay_models.FeeKind.MEETING,
        amount=500,
        valid_from=days(-365),
    )
    person = pool.PoolMember.objects.create(
        organisation=world.performer, user=world.pool_auditor, full_name="Pia Pool"
    )
    member = _member(
        council, world.client_contact, "Pia Pool", Member.Represents.USERS, user=person.user
    )
    meeting = services.plan_meeting(by=world.client_contact, body=council, held_on=days(-1))
    services.record_attendance(by=world.client_contact, meeting=meeting, members=[member], staff=[])
    services.record_attendance(by=world.client_contact, meeting=meeting, members=[], staff=[])
    services.record_attendance(by=world.client_contact, meeting=meeting, members=[member], staff=[])
    reports = pay_models.TimeReport.objects.filter(member=person, fee_kind="meeting")
    assert reports.count() == 1
    assert reports.get().date == meeting.held_on
