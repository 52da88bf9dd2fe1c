"""The auditor pool, its courses and "one way in"."""

import datetime
import re
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.audits.models import AuditMember, TrainingRecord, TrainingTopic
from brukarrevision.organisations.models import Membership
from brukarrevision.permissions import may_manage_pool
from brukarrevision.pool import services
from brukarrevision.pool.models import (
    Assignment,
    Course,
    Module,
    Participant,
    PoolMember,
    WayInRequest,
)

from .conftest import make_user

TODAY = datetime.date.today


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """The pages in English, so that the messages asserted here read the same before and
    after the Swedish translations are compiled."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def public_client(settings) -> Client:
    anonymous = Client()
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return anonymous


def pool_member(world, name="Pia Pool", user=None, **fields):
    defaults = {
        "email": f"{name.split()[0].lower()}@pool.example",
        "experience": "user",
        "languages": "svenska",
        "consent_given_at": timezone.now(),
        "consent_text_version": "2026-1",
    }
    defaults.update(fields)
    return PoolMember.objects.create(
        organisation=world.performer, full_name=name, user=user, **defaults
    )


def train(user, by):
    for topic in TrainingTopic.values:
        TrainingRecord.objects.create(
            user=user, topic=topic, completed_on=timezone.localdate(), recorded_by=by
        )


def course_with_sessions(world, modules_per_session, days_ago=3):
    course = services.save_course(
        user=world.coordinator,
        organisation=world.performer,
        title="Grundkurs",
        modules=sorted({m for modules in modules_per_session for m in modules}),
    )
    sessions = [
        services.add_session(
            user=world.coordinator,
            course=course,
            date=timezone.localdate() - datetime.timedelta(days=days_ago - index),
            place="Lokalen",
            modules=modules,
        )
        for index, modules in enumerate(modules_per_session)
    ]
    return course, sessions


TEAM_MODULES = [[Module.LAW, Module.SECRECY], [Module.INTERVIEWING]]


# Who sees the pool ---------------------------------------------------------------------------

SEES = ["admin", "coordinator", "org_coordinator"]
REFUSED = [
    "other_coordinator",
    "auditor",
    "pool_auditor",
    "client_contact",
    "unit_contact",
    "other_client_contact",
    "outsider",
]


def _pages(world):
    member = pool_member(world, phone="070-111 22 33")
    course, _sessions = course_with_sessions(world, TEAM_MODULES)
    participant = services.add_participant(
        user=world.coordinator, course=course, member=member, role=Participant.Role.AUDITOR
    )
    services.mark_complete(user=world.coordinator, participant=participant)
    found = WayInRequest.objects.create(
        organisation=world.performer,
        requester_name="Boendestöd",
        contact_name="Vera",
        contact_email="vera@example.org",
        kind="audit",
        task="Granskning",
        starts_on=TODAY(),
    )
    org = world.performer.pk
    return [
        f"/pool/{org}/",
        f"/pool/member/{member.pk}/",
        f"/pool/member/{member.pk}/edit/",
        f"/pool/member/{member.pk}/erase/",
        f"/pool/{org}/courses/",
        f"/pool/course/{course.pk}/",
        f"/pool/certificate/{participant.pk}/",
        f"/pool/{org}/totals/",
        f"/pool/{org}/way-in/",
        f"/pool/request/{found.pk}/",
    ]


@pytest.mark.parametrize("persona", SEES + REFUSED)
def test_only_the_organisations_coordinators_and_administrators_see_the_pool(world, login, persona):
    pages = _pages(world)
    client = login(world.people[persona])
    for path in pages:
        response = client.get(path)
        if persona in SEES:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 403, path
            assert b"070-111 22 33" not in response.content
    assert may_manage_pool(world.people[persona], world.performer) == (persona in SEES)


def test_refusals_are_logged_and_anonymous_people_are_sent_to_sign_in(world, client, login):
    path = f"/pool/{world.performer.pk}/"
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    login(world.auditor).get(path)
    # Once: the security log's warnings count refusals.
    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.ACCESS_REFUSED, user=world.auditor
        ).count()
        == 1
    )


def test_a_coordinator_does_not_see_another_organisations_pool(world, login):
    pool_member(world)
    response = login(world.other_coordinator).get(f"/pool/{world.performer.pk}/")
    assert response.status_code == 403
    assert not may_manage_pool(world.coordinator, world.client)


# Consent and erasure ---------------------------------------------------------------------------


def _member_post(**extra):
    data = {
        "full_name": "Nils Nord",
        "email": "nils@pool.example",
        "phone": "",
        "payroll_id": "2001",
        "experience": "relative",
        "languages": "svenska, finska",
        "availability": "Vardagar",
        "available": "on",
        "not_to_audit_service_types": ["psychiatry"],
    }
    data.update(extra)
    return data


def test_a_person_is_added_only_with_consent_and_the_consent_is_recorded(world, login):
    client = login(world.coordinator)
    url = f"/pool/{world.performer.pk}/new/"
    response = client.post(url, _member_post())
    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert not PoolMember.objects.exists()

    response = client.post(url, _member_post(consent="on", not_to_audit=[world.unit.pk]))
    member = PoolMember.objects.get()
    assert response.status_code == 302
    assert member.consent_given_at is not None and member.consent_text_version == "2026-1"
    assert member.payroll_id == "2001"
    assert member.barred_from(world.unit)
    event = SecurityEvent.objects.get(
        kind=SecurityEvent.Kind.CONSENT_RECORDED, user=world.coordinator
    )
    assert "consent" in event.detail and f"#{member.pk}" in event.detail
    page = client.get(f"/pool/member/{member.pk}/").content.decode()
    assert "Nils Nord" in page and "2026-1" in page


def test_erasure_anonymises_the_person_and_is_logged(world, login):
    member = pool_member(world, "Erik Ensam", user=world.pool_auditor, phone="070-999")
    offered = WayInRequest.objects.create(
        organisation=world.performer,
        requester_name="Enhet",
        contact_name="K",
        contact_email="k@example.org",
        kind="talk",
        task="Prata",
        starts_on=TODAY(),
    )
    Assignment.objects.create(request=offered, member=member)
    client = login(world.coordinator)
    response = client.post(f"/pool/member/{member.pk}/erase/", {"confirm": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_erased and "Erik" not in member.full_name
    assert member.email == member.phone == member.languages == member.experience == ""
    assert member.user is None
    assert member.assignments.get().status == Assignment.Status.DECLINED
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERSON_ERASED)
    assert event.user == world.coordinator and event.subject == world.pool_auditor
    assert f"pool member #{member.pk}" in event.detail
    listing = client.get(f"/pool/{world.performer.pk}/").content.decode()
    assert "Erik Ensam" not in listing and "070-999" not in listing


def test_an_auditor_cannot_erase_or_consent(world):
    member = pool_member(world)
    with pytest.raises(PermissionDenied):
        services.erase_member(user=world.auditor, member=member)
    with pytest.raises(PermissionDenied):
        services.record_consent(user=world.auditor, member=member)


# Filters ----------------------------------------------------------------------------------------


def test_the_pool_filters_by_experience_language_and_unit(world, login):
    pool_member(world, "Anna Arabiska", languages="svenska, arabiska", experience="user")
    pool_member(world, "Bo Anhörig", experience="relative")
    barred = pool_member(world, "Cilla Brukare", not_to_audit_service_types=["social_services"])
    pool_member(world, "Dan Upptagen", available=False)
    client = login(world.coordinator)
    url = f"/pool/{world.performer.pk}/"
    page = client.get(url, {"language": "arab"}).content.decode()
    assert "Anna Arabiska" in page and "Bo Anhörig" not in page
    page = client.get(url, {"experience": "relative"}).content.decode()
    assert "Bo Anhörig" in page and "Anna Arabiska" not in page
    page = client.get(url, {"may_audit": world.unit.pk}).content.decode()
    assert barred.full_name not in page and "Anna Arabiska" in page
    page = client.get(url, {"available": "on"}).content.decode()
    assert "Dan Upptagen" not in page and "Anna Arabiska" in page


# Courses and training ------------------------------------------------------------------------


def test_attending_every_session_of_a_module_writes_its_training_record(world):
    member = pool_member(world, user=world.pool_auditor)
    course, (first, second) = course_with_sessions(world, TEAM_MODULES)
    participant = services.add_participant(
        user=world.coordinator, course=course, member=member, role=Participant.Role.AUDITOR
    )
    services.record_attendance(user=world.coordinator, session=first, present=[participant])
    topics = set(world.pool_auditor.training.values_list("topic", flat=True))
    assert topics == {TrainingTopic.LAW, TrainingTopic.SECRECY}
    participant.refresh_from_db()
    assert participant.completed_on is None

    completed = services.record_attendance(
        user=world.coordinator, session=second, present=[participant]
    )
    assert completed == [participant]
    records = TrainingRecord.objects.filter(user=world.pool_auditor)
    assert {r.topic for r in records} == set(TrainingTopic.values)
    assert all(r.recorded_by == world.coordinator for r in records)
    events = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.TRAINING_RECORDED, subject=world.pool_auditor
    )
    assert events.count() == 3 and all(e.user == world.coordinator for e in events)
    participant.refresh_from_db()
    assert participant.completed_on == second.date


def test_the_coordinator_can_mark_a_participant_complete(world, login):
    member = pool_member(world, user=world.pool_auditor)
    course, _sessions = course_with_sessions(world, TEAM_MODULES)
    participant = services.add_participant(
        user=world.coordinator, course=course, member=member, role=Participant.Role.AUDITOR
    )
    response = login(world.coordinator).post(
        f"/pool/course/{course.pk}/", {"section": "complete", "participant": participant.pk}
    )
    assert response.status_code == 302
    assert set(world.pool_auditor.training.values_list("topic", flat=True)) == set(
        TrainingTopic.values
    )


def test_attendance_is_not_recorded_before_the_session(world):
    member = pool_member(world)
    course, (session,) = course_with_sessions(world, [[Module.LAW]], days_ago=-5)
    participant = services.add_participant(
        user=world.coordinator, course=course, member=member, role=Participant.Role.AUDITOR
    )
    with pytest.raises(ValidationError):
        services.record_attendance(user=world.coordinator, session=session, present=[participant])


def test_attendance_is_marked_on_the_course_page(world, login):
    member = pool_member(world, user=world.pool_auditor)
    course, (first, second) = course_with_sessions(world, TEAM_MODULES)
    participant = services.add_participant(
        user=world.coordinator, course=course, member=member, role=Participant.Role.AUDITOR
    )
    client = login(world.coordinator)
    for session in (first, second):
        prefix = f"attendance-{session.pk}"
        response = client.post(
            f"/pool/course/{course.pk}/",
            {"section": prefix, f"{prefix}-present": [participant.pk]},
        )
        assert response.status_code == 302
    page = client.get(f"/pool/course/{course.pk}/").content.decode()
    assert "Certificate (PDF)" in page
    assert TrainingRecord.objects.filter(user=world.pool_auditor).count() == 3


def test_training_waits_for_an_account_and_is_written_when_one_is_made(
    world, login, django_capture_on_commit_callbacks
):
    member = pool_member(world, "Ulla Utan")
    course, _sessions = course_with_sessions(world, TEAM_MODULES)
    participant = services.add_participant(
        user=world.coordinator, course=course, member=member, role=Participant.Role.AUDITOR
    )
    services.mark_complete(user=world.coordinator, participant=participant)
    assert not TrainingRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.coordinator).post(f"/pool/member/{member.pk}/account/")
    assert response.status_code == 302
    account = User.objects.get(email="ulla@pool.example")
    assert not account.has_usable_password()
    assert Membership.objects.filter(
        user=account, organisation=world.performer, role=Membership.Role.AUDITOR
    ).exists()
    assert set(account.training.values_list("topic", flat=True)) == set(TrainingTopic.values)
    (message,) = mail.outbox
    assert message.to == ["ulla@pool.example"]
    link = re.search(r"http\S+/accounts/password-reset/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert Client().get("/" + path).status_code in (200, 302)


def test_the_certificate_is_a_pdf_with_the_persons_name(world, login, tmp_path):
    member = pool_member(world, "Greta Guldkant")
    course, _sessions = course_with_sessions(world, TEAM_MODULES)
    participant = services.add_participant(
        user=world.coordinator, course=course, member=member, role=Participant.Role.AUDITOR
    )
    not_yet = login(world.coordinator).get(f"/pool/certificate/{participant.pk}/")
    assert not_yet.status_code == 403
    services.mark_complete(user=world.coordinator, participant=participant)
    response = login(world.coordinator).get(f"/pool/certificate/{participant.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "intyg.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Greta Guldkant" in text and "Grundkurs" in text and "Brukarkraft" in text


def test_the_yearly_totals_count_trained_people_and_audits(world, login):
    course, _sessions = course_with_sessions(world, TEAM_MODULES)
    for name, role in [("A Ett", "auditor"), ("B Två", "auditor"), ("C Tre", "coordinator")]:
        participant = services.add_participant(
            user=world.coordinator, course=course, member=pool_member(world, name), role=role
        )
        services.mark_complete(user=world.coordinator, participant=participant)
    page = login(world.coordinator).get(f"/pool/{world.performer.pk}/totals/")
    row = page.context["years"][0]
    assert row.year == timezone.localdate().year
    assert (row.trained_auditors, row.trained_coordinators, row.audits) == (2, 1, 1)
    assert row.municipalities == ["Åsby"]


# Joining an audit team ----------------------------------------------------------------------


def _assign(client, member, world, **extra):
    data = {
        "section": "assign",
        "assign-audit": world.audit.pk,
        "assign-perspective": "user",
        "assign-declares_not_current_user": "on",
    }
    data.update(extra)
    return client.post(f"/pool/member/{member.pk}/", data)


def test_an_untrained_member_is_refused_by_the_team_rule_and_joins_once_trained(world, login):
    member = pool_member(world, "Tina Team", user=world.pool_auditor)
    client = login(world.coordinator)
    response = _assign(client, member, world)
    assert response.status_code == 200
    assert "training every auditor needs" in response.content.decode()
    assert not AuditMember.objects.filter(user=world.pool_auditor).exists()

    train(world.pool_auditor, world.coordinator)
    response = _assign(client, member, world)
    assert response.status_code == 302
    joined = AuditMember.objects.get(audit=world.audit, user=world.pool_auditor)
    assert joined.declared_not_current_user_at is not None
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.ROLE_GRANTED, subject=world.pool_auditor, audit=world.audit
    ).exists()


def test_the_declaration_and_the_units_the_person_uses_are_kept(world, login):
    member = pool_member(world, user=world.pool_auditor)
    train(world.pool_auditor, world.coordinator)
    client = login(world.coordinator)
    response = _assign(client, member, world, **{"assign-declares_not_current_user": ""})
    assert "current user of an audited unit cannot be assigned" in response.content.decode()
    member.not_to_audit.add(world.unit)
    response = _assign(client, member, world)
    assert "cannot audit it" in response.content.decode()
    assert not AuditMember.objects.filter(user=world.pool_auditor).exists()


def test_someone_without_an_account_or_the_auditor_role_is_told_what_is_needed(world, login):
    member = pool_member(world)
    client = login(world.coordinator)
    page = client.get(f"/pool/member/{member.pk}/").content.decode()
    assert "needs an account before joining" in page
    response = _assign(client, member, world)
    assert "needs an account before joining a team" in response.content.decode()
    # A coordinator trainee's account has no auditor role: add_auditor's own refusal shows.
    trainee = make_user("trainee@test.example")
    Membership.objects.create(
        user=trainee, organisation=world.performer, role=Membership.Role.COORDINATOR
    )
    member.user = trainee
    member.save()
    train(trainee, world.coordinator)
    response = _assign(client, member, world)
    assert "Choose an auditor from the organisation" in response.content.decode()


def test_only_a_manager_of_the_pool_may_assign(world):
    member = pool_member(world, user=world.pool_auditor)
    train(world.pool_auditor, world.coordinator)
    with pytest.raises(PermissionDenied):
        services.assign_to_audit(
            user=world.other_coordinator,
            member=member,
            audit=world.audit,
            perspective="user",
            declares_not_current_user=True,
        )


# One way in ----------------------------------------------------------------------------------

REQUEST = {
    "requester_kind": "unit",
    "requester_name": "Boendestöd Åsby",
    "service_type": "social_services",
    "contact_name": "Vera Verksamhet",
    "contact_email": "vera@asby.example",
    "contact_phone": "",
    "kind": "working_group",
    "task": "Två personer till vår arbetsgrupp om information.",
    "dates_note": "Tisdagar",
    "people_needed": "1",
    "compensation": "Arvode enligt taxa",
    "experience_wanted": "",
}


def test_a_request_goes_from_the_public_form_through_the_queue_to_an_accepted_assignment(
    world, login, settings, django_capture_on_commit_callbacks
):
    client = public_client(settings)  # the public: never signed in
    rami = pool_member(world, "Rami Match", email="rami@pool.example")
    barred = pool_member(world, "Bodil Brukare", not_to_audit_service_types=["social_services"])
    pool_member(world, "Ingen Tid", available=False)
    pool_member(world, "Utan Samtycke", consent_given_at=None)

    starts = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    response = client.post(f"/way-in/{world.performer.pk}/", {**REQUEST, "starts_on": starts})
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    found = WayInRequest.objects.get()
    assert str(found.pk) in receipt and "Boendestöd Åsby" in receipt
    assert found.status == WayInRequest.Status.NEW

    coordinator = login(world.coordinator)
    queue = coordinator.get(f"/pool/{world.performer.pk}/way-in/").content.decode()
    assert "Boendestöd Åsby" in queue
    page = coordinator.get(f"/pool/request/{found.pk}/")
    suggested = page.context["suggestions"]
    assert rami in suggested and barred not in suggested
    assert [m.full_name for m in suggested] == ["Rami Match"]

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            f"/pool/request/{found.pk}/", {"section": "offer", "offer-members": [rami.pk]}
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["rami@pool.example"]
    link = re.search(r"http\S+/way-in/answer/\S+/", message.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    answer = client.get(path)
    assert answer.status_code == 200
    assignment = Assignment.objects.get()
    assert assignment.status == Assignment.Status.OFFERED  # a GET changes nothing
    client.post(path, {"answer": "accept"})
    assignment.refresh_from_db()
    found.refresh_from_db()
    assert assignment.status == Assignment.Status.ACCEPTED and assignment.responded_at
    assert found.status == WayInRequest.Status.FILLED
    page = coordinator.get(f"/pool/request/{found.pk}/").content.decode()
    assert "Rami Match" in page and "tag--done" in page
    again = client.post(path, {"answer": "decline"})
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ACCEPTED
    assert again.status_code == 200

    # The hours reported for the assignment reach the month's payroll basis.
    from decimal import Decimal

    from brukarrevision.pay import payroll
    from brukarrevision.pay import services as pay

    rami.payroll_id = "3001"
    rami.save(update_fields=["payroll_id"])
    today = timezone.localdate()
    pay.set_fee(
        by=world.coordinator,
        organisation=world.performer,
        kind="hour",
        amount=150,
        valid_from=today.replace(day=1),
    )
    report = pay.add_time_report(
        by=world.coordinator,
        member=rami,
        date=today,
        fee_kind="hour",
        quantity=3,
        activity="meetings",
        assignment=assignment,
    )
    pay.approve(by=world.coordinator, record=report)
    rows = payroll.basis(world.performer, today.strftime("%Y-%m")).rows
    assert [(row.anstid, row.belopp) for row in rows] == [("3001", Decimal("450.00"))]


def test_the_public_form_shows_its_errors_and_keeps_what_was_written(world, client):
    url = f"/way-in/{world.performer.pk}/"
    response = client.post(url, {**REQUEST, "starts_on": "2001-01-01", "contact_email": "nej"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and "Boendestöd Åsby" in page
    assert not WayInRequest.objects.exists()
    assert client.get(f"/way-in/{world.client.pk}/").status_code == 404


def test_an_unknown_answer_link_is_refused(world, client):
    assert client.get("/way-in/answer/not-a-token/").status_code == 404


def test_a_barred_member_cannot_be_offered_the_task(world):
    found = WayInRequest.objects.create(
        organisation=world.performer,
        requester_name="Boendestöd",
        contact_name="Vera",
        contact_email="vera@example.org",
        kind="audit",
        task="Granskning",
        starts_on=TODAY(),
        unit=world.unit,
    )
    member = pool_member(world)
    member.not_to_audit.add(world.unit)
    with pytest.raises(ValidationError):
        services.offer_request(user=world.coordinator, found=found, members=[member])
    with pytest.raises(PermissionDenied):
        services.offer_request(user=world.auditor, found=found, members=[member])


def test_course_names_are_kept_per_organisation(world):
    with pytest.raises(PermissionDenied):
        services.save_course(
            user=world.other_coordinator, organisation=world.performer, title="X", modules=["law"]
        )
    assert not Course.objects.exists()


def test_the_members_page_buttons_say_what_happened(world, login):
    from django.contrib.messages import get_messages

    member = pool_member(world, "Kim Knapp", consent_given_at=None, consent_text_version="")
    client = login(world.coordinator)

    def said(response) -> str:
        assert response.status_code == 302 and response["Location"].endswith(
            f"/pool/member/{member.pk}/"
        )
        return " ".join(str(m) for m in get_messages(response.wsgi_request))

    assert "needs an account first" in said(client.post(f"/pool/member/{member.pk}/auditor-role/"))
    assert said(client.post(f"/pool/member/{member.pk}/consent/"))
    member.refresh_from_db()
    assert member.consent_given_at is not None
    assert "e-mail to choose a password" in said(client.post(f"/pool/member/{member.pk}/account/"))
    # Making the account granted the auditor role already: said, nothing granted twice.
    assert "already has this role" in said(client.post(f"/pool/member/{member.pk}/auditor-role/"))
