"""The permission matrix: every role against an audit of their own and of another tenant."""

import pytest
from django.utils import timezone

from brukarrevision.accounts.models import SecurityPolicy
from brukarrevision.permissions import Action, can, visible_audits

A = Action
ALL_AUDIT_ACTIONS = [
    A.VIEW_AUDIT,
    A.VIEW_TEAM,
    A.EDIT_PLAN,
    A.MANAGE_TEAM,
    A.CHANGE_PHASE,
    A.TICK_CHECKLIST,
    A.SIGN_PLEDGE,
    A.VIEW_RAW_ANSWERS,
    A.VIEW_INSTRUMENTS,
    A.EDIT_INSTRUMENTS,
    A.MANAGE_COLLECTION,
    A.VIEW_PROGRESS,
    A.ENTER_RESPONSES,
    A.BOOK_INTERVIEWS,
    A.PASS_ON_CONTACTS,
    A.VIEW_RESULTS,
    A.MAKE_RELEASE,
    A.VIEW_RELEASE_DECISIONS,
    A.CODE_ANSWERS,
    A.WRITE_FINDINGS,
    A.VIEW_REPORT,
    A.WRITE_REPORT,
    A.PUBLISH_REPORT,
    A.RECORD_FEEDBACK,
    A.ANSWER_PROPOSALS,
    A.VIEW_REPORT_DRAFT,
    A.VIEW_PROPOSALS,
    A.SET_RETENTION,
    A.VIEW_PROCESSING_RECORD,
]
INSTRUMENTS = {A.VIEW_INSTRUMENTS, A.EDIT_INSTRUMENTS}
# Typing in answers and meeting respondents is seeing raw answers: the pledged team only.
# So is the number behind each hidden cell of a release. (Releases are made once collection
# has begun: see test_only_the_audits_own_coordinator_makes_releases.)
RAW = {
    A.VIEW_RAW_ANSWERS,
    A.VIEW_RELEASE_DECISIONS,
    A.ENTER_RESPONSES,
    A.BOOK_INTERVIEWS,
    A.CODE_ANSWERS,
    A.WRITE_FINDINGS,
}
MANAGE = {
    A.VIEW_AUDIT,
    A.VIEW_TEAM,
    A.EDIT_PLAN,
    A.MANAGE_TEAM,
    A.CHANGE_PHASE,
    A.TICK_CHECKLIST,
    *INSTRUMENTS,
    A.MANAGE_COLLECTION,
    A.VIEW_PROGRESS,
    A.VIEW_RESULTS,
    A.VIEW_REPORT,
    A.VIEW_REPORT_DRAFT,
    A.VIEW_PROPOSALS,
    A.PUBLISH_REPORT,
    A.RECORD_FEEDBACK,
    A.ANSWER_PROPOSALS,
    A.SET_RETENTION,
    A.VIEW_PROCESSING_RECORD,
}
TEAM = {
    A.VIEW_AUDIT,
    A.VIEW_TEAM,
    A.TICK_CHECKLIST,
    A.SIGN_PLEDGE,
    *INSTRUMENTS,
    A.VIEW_PROGRESS,
    A.PASS_ON_CONTACTS,
    A.VIEW_RESULTS,
    A.VIEW_REPORT,
    A.VIEW_REPORT_DRAFT,
    A.VIEW_PROPOSALS,
    A.WRITE_REPORT,
    A.VIEW_PROCESSING_RECORD,
}
# Clients and units see results, always suppressed, never raw answers, and no report draft;
# they see and answer proposals once the report is published (test_readers_answer_...).
READER = {A.VIEW_AUDIT, A.VIEW_INSTRUMENTS, A.VIEW_RESULTS, A.VIEW_REPORT}
# The client is the controller of the personal data: it reads the record of processing.
CLIENT = READER | {A.VIEW_PROCESSING_RECORD}
UNIT = READER | {A.PASS_ON_CONTACTS}

# role -> (allowed on own audit, allowed on the other tenant's audit)
MATRIX = {
    "admin": (MANAGE, MANAGE),
    "coordinator": (MANAGE | TEAM | RAW, set()),
    "org_coordinator": (MANAGE, set()),
    "auditor": (TEAM | RAW, set()),
    "unsigned_auditor": (TEAM, set()),
    "pool_auditor": (set(), set()),
    # Questions are not secret: clients and units see the instruments, never change them.
    "client_contact": (CLIENT, set()),
    # The unit passes on people willing to be interviewed, and sees no answers.
    "unit_contact": (UNIT, set()),
    "other_client_contact": (set(), CLIENT),
    "other_unit_contact": (set(), UNIT),
    "other_coordinator": (set(), MANAGE | TEAM | RAW),
    "outsider": (set(), set()),
}


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("action", ALL_AUDIT_ACTIONS)
def test_matrix(world, role, action):
    user = world.people[role]
    own, other = MATRIX[role]
    assert can(user, action, world.audit) == (action in own), f"{role} {action} own audit"
    assert can(user, action, world.other_audit) == (action in other), f"{role} {action} other audit"


@pytest.mark.parametrize("role", ["client_contact", "unit_contact"])
def test_readers_see_and_answer_proposals_once_the_report_is_published(world, role):
    from brukarrevision.releases.models import Release
    from brukarrevision.reports.models import Edition, Report

    user = world.people[role]
    assert not can(user, A.VIEW_PROPOSALS, world.audit)
    report = Report.objects.create(audit=world.audit, status=Report.Status.PUBLISHED)
    now = timezone.now()
    release = Release.objects.create(
        audit=world.audit,
        number=1,
        made_at=now,
        threshold=5,
        respondents=0,
        channels={},
        content={},
        decisions={},
        checksum="",
    )
    Edition.objects.create(
        report=report, number=1, release=release, published_at=now, page="", easy_page=""
    )
    assert can(user, A.VIEW_PROPOSALS, world.audit)
    assert can(user, A.ANSWER_PROPOSALS, world.audit)
    assert not can(user, A.VIEW_REPORT_DRAFT, world.audit)


@pytest.mark.parametrize("phase", [4, 5, 8])
def test_only_the_audits_own_coordinator_makes_releases(world, phase):
    world.audit.phase = phase
    world.audit.save()
    allowed = {role for role in MATRIX if can(world.people[role], A.MAKE_RELEASE, world.audit)}
    assert allowed == {"coordinator"}
    world.audit.phase = 9  # closed
    world.audit.save()
    assert not can(world.coordinator, A.MAKE_RELEASE, world.audit)


@pytest.mark.parametrize("role", MATRIX)
def test_audit_list_matches_view_permission(world, role):
    user = world.people[role]
    listed = set(visible_audits(user).values_list("slug", flat=True))
    expected = {a.slug for a in (world.audit, world.other_audit) if can(user, A.VIEW_AUDIT, a)}
    assert listed == expected


def test_anonymous_and_disabled_users_may_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.client_contact.is_active = False
    world.client_contact.save()
    for user in (AnonymousUser(), world.client_contact):
        assert not any(can(user, action, world.audit) for action in ALL_AUDIT_ACTIONS)
        assert not visible_audits(user).exists()


def test_raw_answers_need_a_second_factor_when_the_policy_requires_it(world):
    policy = SecurityPolicy.current()
    policy.require_totp_for_raw_access = True
    policy.save()
    auditor = world.auditor
    auditor.is_verified = lambda: False
    assert not can(auditor, A.VIEW_RAW_ANSWERS, world.audit)
    auditor.is_verified = lambda: True
    assert can(auditor, A.VIEW_RAW_ANSWERS, world.audit)


def test_a_closed_audit_can_no_longer_be_changed(world):
    world.audit.phase = 9
    world.audit.save()
    assert can(world.coordinator, A.VIEW_AUDIT, world.audit)
    assert not can(world.coordinator, A.EDIT_PLAN, world.audit)
    assert not can(world.coordinator, A.CHANGE_PHASE, world.audit)
    assert not can(world.auditor, A.EDIT_INSTRUMENTS, world.audit)
    assert can(world.auditor, A.VIEW_INSTRUMENTS, world.audit)


def test_application_permissions(world):
    from brukarrevision.audits.models import Application
    from tests.conftest import APPLICATION_ANSWERS

    application = Application.objects.create(
        offer=world.offer,
        client=world.client,
        submitted_by=world.client_contact,
        holds_place=True,
        **APPLICATION_ANSWERS,
    )
    viewers = {"admin", "coordinator", "org_coordinator", "client_contact"}
    deciders = {"admin", "coordinator", "org_coordinator"}
    for role, user in world.people.items():
        assert can(user, A.VIEW_APPLICATION, application) == (role in viewers), role
        assert can(user, A.DECIDE_APPLICATION, application) == (role in deciders), role
    assert can(world.client_contact, A.APPLY_FOR_CLIENT, world.client)
    assert not can(world.other_client_contact, A.APPLY_FOR_CLIENT, world.client)


def test_interview_contacts_are_seen_by_the_coordinator_and_the_booked_interviewers(world):
    from brukarrevision.audits.models import TargetGroup
    from brukarrevision.collection.models import Interview, InterviewContact

    group = TargetGroup.objects.create(audit=world.audit, name="Brukare")
    contact = InterviewContact.objects.create(
        audit=world.audit, unit=world.unit, target_group=group, name="Kim", how_to_reach="070"
    )
    interview = Interview.objects.create(
        audit=world.audit, unit=world.unit, target_group=group, contact=contact
    )
    waiting = {"coordinator", "auditor"}  # the pledged team books the waiting ones
    for role, user in world.people.items():
        assert can(user, A.SEE_CONTACT, interview) == (role in waiting), role
    interview.status = Interview.Status.BOOKED
    interview.save()
    interview.interviewers.set([world.people["unsigned_auditor"]])
    for role, user in world.people.items():
        assert can(user, A.SEE_CONTACT, interview) == (role == "coordinator"), role
    interview.interviewers.set([world.people["auditor"]])
    for role, user in world.people.items():
        assert can(user, A.SEE_CONTACT, interview) == (role in waiting), role
