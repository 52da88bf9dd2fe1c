"""Certification of user influence: the steps in order, the versioned checklist, the action
plan, lapse, renewal, the certificate and its verification page, the public register,
reminders and who may do what."""

import datetime
import re
import shutil
import subprocess
import zlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.certification import certificate, selectors, services
from brukarrevision.certification.models import (
    Assessment,
    Certification,
    Checklist,
    Participant,
)

from .conftest import make_user


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages raised by the services are read in English here; pages stay Swedish (the
    language of each request)."""
    with translation.override("en"):
        yield


TODAY = timezone.localdate()
BOTH = ["staff", "users"]


def offered(world, unit=None):
    return services.offer_certification(
        user=world.coordinator, performer=world.performer, unit=unit or world.unit
    )


def started(world, unit=None):
    certification = offered(world, unit)
    contact = world.unit_contact if unit is None else world.coordinator
    services.answer_offer(user=contact, certification=certification, accept=True)
    services.record_meeting(
        user=world.coordinator,
        certification=certification,
        held_on=TODAY,
        staff=6,
        union=1,
        managers=1,
        users=4,
        notes="Alla fick information.",
    )
    return certification


def assess_all(certification, user, not_met=2):
    criteria = selectors.sorted_criteria(certification.checklist)
    for index, criterion in enumerate(criteria):
        services.assess(
            user=user,
            certification=certification,
            criterion=criterion,
            result="not_met" if index < not_met else "met",
            taking_part=BOTH,
        )
    return criteria


def certified(world, unit=None, valid_days=730):
    certification = started(world, unit)
    assess_all(certification, world.coordinator)
    services.record_check_in(
        user=world.coordinator, certification=certification, held_on=TODAY, notes="Bra fart."
    )
    services.make_action_plan(user=world.coordinator, certification=certification)
    return services.decide(
        user=world.coordinator,
        certification=certification,
        presented_on=TODAY,
        decision="certified",
        reasoning="Kriterierna är uppfyllda.",
        valid_until=TODAY + datetime.timedelta(days=valid_days),
    )


# The steps ----------------------------------------------------------------------------------


def test_the_default_checklist_covers_the_ten_areas_and_three_levels(db):
    default = Checklist.objects.get(organisation__isnull=True)
    criteria = list(default.criteria.all())
    assert 45 <= len(criteria) <= 60
    assert len({c.quality_area for c in criteria}) == 10
    assert {c.level for c in criteria} == {"individual", "service", "system"}
    assert all(c.guidance and c.easy_text for c in criteria)


def test_the_steps_go_in_order(world):
    certification = offered(world)
    criterion = certification.checklist.criteria.first()
    with pytest.raises(ValidationError):  # not accepted yet
        services.record_meeting(
            user=world.coordinator, certification=certification, held_on=TODAY, staff=1
        )
    services.answer_offer(user=world.unit_contact, certification=certification, accept=True)
    with pytest.raises(ValidationError, match="information meeting"):
        services.assess(
            user=world.unit_contact,
            certification=certification,
            criterion=criterion,
            result="met",
            taking_part=BOTH,
        )
    services.record_meeting(
        user=world.coordinator, certification=certification, held_on=TODAY, staff=3, users=2
    )
    with pytest.raises(ValidationError) as refused:
        services.decide(
            user=world.coordinator,
            certification=certification,
            presented_on=TODAY,
            decision="certified",
            reasoning="x",
            valid_until=TODAY + datetime.timedelta(days=365),
        )
    assert any("not assessed" in message for message in refused.value.messages)
    assert any("check-in" in message for message in refused.value.messages)
    steps = selectors.steps(certification)
    assert [s.key for s in steps if s.done] == ["offer", "meeting"]
    assert next(s for s in steps if s.current).key == "checklist"


def test_a_criterion_is_assessed_by_staff_and_users_together(world):
    certification = started(world)
    with pytest.raises(ValidationError, match="staff and users"):
        services.assess(
            user=world.unit_contact,
            certification=certification,
            criterion=certification.checklist.criteria.first(),
            result="met",
            taking_part=["staff", "managers"],
        )


def test_a_unit_goes_from_offer_to_certificate(world):
    certification = certified(world)
    assert certification.status == Certification.Status.CERTIFIED
    assert certification.standing() == "valid"
    assert all(
        step.done
        for step in selectors.steps(certification)
        if step.key != "ladder" and step.key != "follow_ups"
    )
    # Follow-ups every six months while the certificate is valid (two years less a day).
    dues = [f.due_on for f in certification.follow_ups.all()]
    assert len(dues) == 3 and dues[0] == services._add_months(TODAY, 6)
    assert all(due <= certification.valid_until for due in dues)
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.CERTIFICATION_DECIDED, detail__startswith="certificate issued"
    ).exists()


def test_the_action_plan_comes_from_the_criteria_not_met(world):
    certification = started(world)
    criteria = assess_all(certification, world.unit_contact, not_met=3)
    services.assess(
        user=world.unit_contact,
        certification=certification,
        criterion=criteria[5],
        result="partly",
        taking_part=BOTH,
    )
    made = services.make_action_plan(user=world.coordinator, certification=certification)
    assert {a.criterion_id for a in made} == {c.pk for c in criteria[:3]} | {criteria[5].pk}
    assert services.make_action_plan(user=world.coordinator, certification=certification) == []
    action = made[0]
    with pytest.raises(ValidationError, match="shows"):
        services.save_action(
            user=world.unit_contact,
            certification=certification,
            action=action,
            text=action.text,
            status="done",
        )
    services.save_action(
        user=world.unit_contact,
        certification=certification,
        action=action,
        text=action.text,
        status="done",
        done_evidence="Foto på förslagslådan.",
    )
    action.refresh_from_db()
    assert action.done_on == TODAY


# The checklist editor --------------------------------------------------------------------


def test_editing_a_checklist_in_use_makes_a_new_version(world):
    first = certified(world)
    old = first.checklist
    assert old.is_frozen and old.organisation_id is None
    criterion = selectors.sorted_criteria(old)[0]
    services.save_criterion(
        user=world.coordinator,
        organisation=world.performer,
        criterion=criterion,
        quality_area=criterion.quality_area,
        level=criterion.level,
        text="Ny formulering av kriteriet.",
    )
    own = selectors.current_checklist(world.performer)
    assert own.pk != old.pk and own.organisation == world.performer and not own.is_frozen
    assert own.criteria.filter(text="Ny formulering av kriteriet.").exists()
    old.refresh_from_db()
    assert not old.criteria.filter(text="Ny formulering av kriteriet.").exists()
    # A second change goes into the same unfrozen version.
    services.save_criterion(
        user=world.coordinator,
        organisation=world.performer,
        quality_area="training",
        level="system",
        text="Ett nytt kriterium.",
    )
    assert selectors.current_checklist(world.performer).pk == own.pk
    # A new certification starts on (and freezes) the new version; the first keeps its own.
    second = offered(world, world.other_unit)
    assert second.checklist_id == own.pk
    first.refresh_from_db()
    assert first.checklist_id == old.pk
    own.refresh_from_db()
    assert own.is_frozen
    services.save_criterion(
        user=world.coordinator,
        organisation=world.performer,
        quality_area="training",
        level="system",
        text="Tredje versionen.",
    )
    assert selectors.current_checklist(world.performer).version == own.version + 1


def test_only_the_user_organisations_coordinator_edits_the_checklist(world, login):
    with pytest.raises(PermissionDenied):
        services.editable_checklist(user=world.client_contact, organisation=world.performer)
    assert (
        login(world.unit_contact)
        .get(f"/certification/checklists/{world.performer.pk}/")
        .status_code
        == 403
    )
    page = login(world.coordinator).get(f"/certification/checklists/{world.performer.pk}/")
    assert page.status_code == 200


# Evidence ------------------------------------------------------------------------------------


def test_evidence_files_are_checked_by_their_first_bytes(world, login):
    certification = started(world)
    criterion = certification.checklist.criteria.first()
    client = login(world.unit_contact)
    url = f"/certification/{certification.pk}/checklist/{criterion.pk}/"
    fake = SimpleUploadedFile("bild.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    page = client.post(url, {"add_evidence": "1", "upload": fake})
    assert page.status_code == 200
    assert "JPEG" in page.content.decode()  # the message names what is allowed
    photo = SimpleUploadedFile("lada.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50)
    assert client.post(url, {"add_evidence": "1", "upload": photo}).status_code == 302
    evidence = certification.evidence.get()
    assert evidence.content_type == "image/png"
    download = client.get(f"/certification/{certification.pk}/evidence/{evidence.pk}/")
    assert download["Content-Type"] == "image/png"
    assert (
        login(world.outsider)
        .get(f"/certification/{certification.pk}/evidence/{evidence.pk}/")
        .status_code
        == 404
    )


def test_findings_of_other_units_cannot_be_linked(world):
    from brukarrevision.analysis.models import Finding

    certification = started(world)
    other = Finding.objects.create(
        audit=world.other_audit, kind="improvement", title="Annan", text="x"
    )
    with pytest.raises(ValidationError):
        services.add_evidence(
            user=world.coordinator,
            certification=certification,
            criterion=certification.checklist.criteria.first(),
            finding=other,
        )


# Lapse, expiry, renewal -------------------------------------------------------------------


def finish_actions(certification, user):
    for action in certification.actions.all():
        services.save_action(
            user=user,
            certification=certification,
            action=action,
            text=action.text,
            status="done",
            done_evidence="Klart.",
        )


def test_a_missed_follow_up_makes_the_certificate_lapse(world):
    certification = certified(world)
    finish_actions(certification, world.unit_contact)
    follow_up = certification.follow_ups.first()
    assert services.apply_lapses(follow_up.due_on + datetime.timedelta(days=10)) == []
    later = follow_up.due_on + datetime.timedelta(days=31)
    assert services.apply_lapses(later) == [certification]
    certification.refresh_from_db()
    assert certification.status == Certification.Status.LAPSED
    assert "follow-up" in certification.lapse_reason
    assert certification.standing() == "lapsed"


def test_a_stalled_action_plan_makes_the_certificate_lapse(world):
    certification = certified(world)
    action = certification.actions.first()
    action.due_on = TODAY - datetime.timedelta(days=40)
    action.save()
    services.apply_lapses(TODAY)
    certification.refresh_from_db()
    assert certification.status == Certification.Status.LAPSED
    assert "stalled" in certification.lapse_reason


def test_a_done_follow_up_keeps_the_certificate_valid(world):
    certification = certified(world)
    follow_up = certification.follow_ups.first()
    services.record_follow_up(
        user=world.coordinator, follow_up=follow_up, done_on=TODAY, notes="Allt följs."
    )
    finish_actions(certification, world.coordinator)
    services.apply_lapses(follow_up.due_on + datetime.timedelta(days=60))
    certification.refresh_from_db()
    assert certification.status == Certification.Status.CERTIFIED


def test_renewal_starts_a_new_round_from_a_lapsed_certificate(world):
    certification = certified(world)
    with pytest.raises(ValidationError):  # valid for two more years: too early
        services.renew(user=world.coordinator, certification=certification)
    services.apply_lapses(certification.follow_ups.first().due_on + datetime.timedelta(days=40))
    certification.refresh_from_db()
    renewal = services.renew(user=world.coordinator, certification=certification)
    assert renewal.round == 2 and renewal.renewal_of == certification
    assert renewal.status == Certification.Status.OFFERED
    assert renewal.actions.count() == certification.actions.exclude(status="done").count()
    with pytest.raises(ValidationError):
        services.renew(user=world.coordinator, certification=certification)


def test_an_expiring_certificate_is_replaced_by_its_renewal(world):
    certification = certified(world, valid_days=60)
    renewal = services.renew(user=world.coordinator, certification=certification)
    services.answer_offer(user=world.unit_contact, certification=renewal, accept=True)
    services.record_meeting(
        user=world.coordinator, certification=renewal, held_on=TODAY, staff=2, users=2
    )
    assess_all(renewal, world.coordinator, not_met=0)
    services.record_check_in(
        user=world.coordinator, certification=renewal, held_on=TODAY, notes="Förnyelse."
    )
    services.decide(
        user=world.coordinator,
        certification=renewal,
        presented_on=TODAY,
        decision="certified",
        reasoning="Fortsatt bra.",
        valid_until=TODAY + datetime.timedelta(days=730),
    )
    certification.refresh_from_db()
    assert certification.status == Certification.Status.RENEWED
    assert list(selectors.register()) == [renewal]


# The verification page and the register ----------------------------------------------


def test_the_verification_page_says_valid_lapsed_or_expired(world, client):
    certification = certified(world)
    url = certification.verification_path()
    page = client.get(url).content.decode()
    assert "Certifikatet är giltigt" in page or "certificate is valid" in page
    assert world.unit.name in page
    Certification.objects.filter(pk=certification.pk).update(
        valid_until=TODAY - datetime.timedelta(days=1)
    )
    page = client.get(url).content.decode()
    assert "Certifikatet har gått ut" in page or "has expired" in page
    Certification.objects.filter(pk=certification.pk).update(
        status="lapsed", lapsed_on=TODAY, lapse_reason="Uppföljningen gjordes inte."
    )
    page = client.get(url).content.decode()
    assert "Certifikatet har upphört" in page or "has lapsed" in page
    assert client.get("/certification/verify/gissat-123/").status_code == 404
    unissued = offered(world, world.other_unit)
    assert client.get(unissued.verification_path()).status_code == 404


def test_the_register_lists_only_valid_certificates(world, client):
    valid = certified(world)
    lapsed = certified(world, world.other_unit)
    Certification.objects.filter(pk=lapsed.pk).update(status="lapsed", lapsed_on=TODAY)
    page = client.get("/certification/register/").content.decode()
    valid_table = page.split("<table>")[1].split("</table>")[0]
    assert world.unit.name in valid_table
    assert world.other_unit.name not in valid_table
    assert valid.valid_until.year == TODAY.year + 2
    assert list(selectors.register()) == [valid]


def inflated(data: bytes) -> bytes:
    """The PDF's bytes with every compressed stream (object streams too) inflated."""
    found = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            found.append(zlib.decompress(data[match.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(found)


# The certificate ------------------------------------------------------------------------


def test_the_certificate_is_a_tagged_swedish_pdf_with_the_verification_link(world):
    certification = certified(world)
    url = "https://brukarrevision.example" + certification.verification_path()
    data = certificate.pdf(certification, url)
    assert data.startswith(b"%PDF")
    objects = inflated(data)
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects
    assert re.search(rb"/Lang\s*\(sv", objects)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert world.unit.name in text
    assert url in text.replace("\n", "")


def test_the_certificate_downloads_for_those_who_may_see_it(world, login):
    certification = certified(world)
    path = f"/certification/{certification.pk}/certificate.pdf"
    response = login(world.client_contact).get(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert login(world.other_client_contact).get(path).status_code == 404


# Reminders --------------------------------------------------------------------------------


def test_reminders_go_to_the_unit_contact_and_the_coordinators(world):
    certification = certified(world)
    follow_up = certification.follow_ups.first()
    early = follow_up.due_on - datetime.timedelta(days=30)
    assert services.send_reminders(early) == 0
    soon = follow_up.due_on - datetime.timedelta(days=5)
    assert services.send_reminders(soon) == 1
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {
        world.unit_contact.email,
        world.coordinator.email,
        world.org_coordinator.email,
    }
    assert world.unit.name in mail.outbox[0].subject
    assert services.send_reminders(soon) == 0  # once per period
    overdue = follow_up.due_on + datetime.timedelta(days=2)
    assert services.send_reminders(overdue) == 1  # and once more when it is overdue


def test_the_daily_command_lapses_and_reminds(world):
    certification = certified(world)
    follow_up = certification.follow_ups.first()
    follow_up.due_on = TODAY - datetime.timedelta(days=45)
    follow_up.save()
    call_command("send_certification_reminders")
    certification.refresh_from_db()
    assert certification.status == Certification.Status.LAPSED


# Who may do what ---------------------------------------------------------------------


PAGES = ["", "meeting/", "checklist/", "check-ins/", "actions/", "decision/", "follow-ups/"]


@pytest.mark.parametrize(
    "persona, view, take_part, lead",
    [
        ("admin", True, True, True),
        ("coordinator", True, True, True),
        ("org_coordinator", True, True, True),
        ("unit_contact", True, True, False),
        ("client_contact", True, False, False),
        ("auditor", False, False, False),
        ("other_client_contact", False, False, False),
        ("other_unit_contact", False, False, False),
        ("other_coordinator", False, False, False),
        ("outsider", False, False, False),
    ],
)
def test_who_may_see_take_part_and_lead(world, login, persona, view, take_part, lead):
    from brukarrevision import permissions

    certification = started(world)
    user = getattr(world, persona)
    assert permissions.may_view_certification(user, certification) == view
    assert permissions.may_take_part_in_certification(user, certification) == take_part
    assert permissions.may_lead_certification(user, certification) == lead
    assert (certification in permissions.visible_certifications(user)) == view
    client = login(user)
    for page in PAGES:
        status = client.get(f"/certification/{certification.pk}/{page}").status_code
        assert status == (200 if view else 404), (persona, page)
    criterion = certification.checklist.criteria.first()
    posted = client.post(
        f"/certification/{certification.pk}/checklist/{criterion.pk}/",
        {"assess": "1", "result": "met", "taking_part": BOTH},
    )
    assert posted.status_code == (302 if take_part else 403 if view else 404)
    check_in = client.post(
        f"/certification/{certification.pk}/check-ins/", {"held_on": TODAY, "notes": "x"}
    )
    assert check_in.status_code == (302 if lead else 403 if view else 404)


def test_an_invited_participant_takes_part(world, login):
    certification = started(world)
    representative = make_user("brukarrepresentant@test.example")
    services.invite_participant(
        user=world.coordinator,
        certification=certification,
        email=representative.email,
        role="users",
    )
    assert Participant.objects.filter(user=representative).exists()
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.ROLE_GRANTED, subject=representative
    ).exists()
    criterion = certification.checklist.criteria.first()
    response = login(representative).post(
        f"/certification/{certification.pk}/checklist/{criterion.pk}/",
        {"assess": "1", "result": "partly", "taking_part": BOTH, "names": "Ali"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(certification=certification).names == "Ali"
    # Only the coordinator may decide or record check-ins.
    assert (
        login(representative).post(f"/certification/{certification.pk}/decision/", {}).status_code
        == 403
    )


def test_anonymous_visitors_are_sent_to_sign_in_but_see_the_register(world, client):
    certification = started(world)
    response = client.get(f"/certification/{certification.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/certification/register/").status_code == 200


def test_the_start_page_links_to_certifications(world, login):
    started(world)
    page = login(world.client_contact).get("/").content.decode()
    assert "/certification/" in page


def test_a_council_issue_of_the_unit_is_evidence_and_another_units_is_refused(world, login):
    from brukarrevision.councils.models import Body, Issue

    certification = started(world)
    criterion = certification.checklist.criteria.first()
    body = Body.objects.create(
        organisation=world.client, unit=world.unit, kind="user_council", name="Brukarrådet"
    )
    own = Issue.objects.create(
        body=body, source="meeting", title="Fler samtal", unit=world.unit, due_on=TODAY
    )
    other_body = Body.objects.create(
        organisation=world.other_client, unit=world.other_unit, kind="user_council", name="BUP"
    )
    other = Issue.objects.create(
        body=other_body, source="meeting", title="Annan fråga", unit=world.other_unit, due_on=TODAY
    )
    client = login(world.unit_contact)
    url = f"/certification/{certification.pk}/checklist/{criterion.pk}/"
    refused = client.post(url, {"add_evidence": "1", "council_issue": other.pk})
    assert refused.status_code == 200 and not certification.evidence.exists()
    response = client.post(url, {"add_evidence": "1", "council_issue": own.pk})
    assert response.status_code == 302
    evidence = certification.evidence.get()
    assert evidence.kind == "council_issue" and evidence.council_issue == own
    page = client.get(url).content.decode()
    assert f'href="{reverse("councils:issue", args=[own.pk])}"' in page
    assert "Fler samtal" in page and "Annan fråga" not in page
    with pytest.raises(ValidationError):
        services.add_evidence(
            user=world.coordinator,
            certification=certification,
            criterion=criterion,
            council_issue=other,
        )
