"""The one place that decides who may see and do what.

Every view and service asks `can(user, action, obj)`; `visible_audits` lists exactly the
audits for which `can(user, Action.VIEW_AUDIT, audit)` is true. Both are tested as a matrix
in tests/test_permissions.py.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from brukarrevision.accounts.models import SecurityPolicy
from brukarrevision.audits.models import Application, Audit, AuditMember, Offer, Phase
from brukarrevision.collection.models import Interview
from brukarrevision.organisations.models import Membership, Organisation
from brukarrevision.reports.models import Edition, Report, ReportVersion


class Action(StrEnum):
    VIEW_AUDIT = "view_audit"
    VIEW_TEAM = "view_team"
    EDIT_PLAN = "edit_plan"
    MANAGE_TEAM = "manage_team"
    CHANGE_PHASE = "change_phase"
    TICK_CHECKLIST = "tick_checklist"
    SIGN_PLEDGE = "sign_pledge"
    VIEW_RAW_ANSWERS = "view_raw_answers"
    VIEW_APPLICATION = "view_application"
    DECIDE_APPLICATION = "decide_application"
    MANAGE_OFFER = "manage_offer"
    APPLY_TO_OFFER = "apply_to_offer"
    APPLY_FOR_CLIENT = "apply_for_client"
    VIEW_INSTRUMENTS = "view_instruments"
    EDIT_INSTRUMENTS = "edit_instruments"
    MANAGE_COLLECTION = "manage_collection"
    VIEW_PROGRESS = "view_progress"
    ENTER_RESPONSES = "enter_responses"
    BOOK_INTERVIEWS = "book_interviews"
    PASS_ON_CONTACTS = "pass_on_contacts"
    SEE_CONTACT = "see_contact"
    VIEW_RESULTS = "view_results"
    MAKE_RELEASE = "make_release"
    VIEW_RELEASE_DECISIONS = "view_release_decisions"
    CODE_ANSWERS = "code_answers"
    WRITE_FINDINGS = "write_findings"
    VIEW_REPORT = "view_report"
    VIEW_REPORT_DRAFT = "view_report_draft"
    VIEW_PROPOSALS = "view_proposals"
    WRITE_REPORT = "write_report"
    PUBLISH_REPORT = "publish_report"
    RECORD_FEEDBACK = "record_feedback"
    ANSWER_PROPOSALS = "answer_proposals"
    SET_RETENTION = "set_retention"
    VIEW_PROCESSING_RECORD = "view_processing_record"
    MANAGE_MEMBERS = "manage_members"


class AuditRole(StrEnum):
    ADMIN = "admin"
    ORG_COORDINATOR = "org_coordinator"
    COORDINATOR = "coordinator"
    AUDITOR = "auditor"
    CLIENT_CONTACT = "client_contact"
    UNIT_CONTACT = "unit_contact"


MANAGERS = {AuditRole.ADMIN, AuditRole.ORG_COORDINATOR, AuditRole.COORDINATOR}
TEAM = {AuditRole.COORDINATOR, AuditRole.AUDITOR}
AUDITOR_WORK_PHASES = {Phase.INSTRUMENTS, Phase.COLLECTION, Phase.ANALYSIS, Phase.REPORT}


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def audit_roles(user, audit: Audit) -> set[AuditRole]:
    """The roles `user` holds with respect to `audit`."""
    if not _signed_in(user):
        return set()
    roles: set[AuditRole] = set()
    if user.is_superuser:
        roles.add(AuditRole.ADMIN)
    for member in audit.members.filter(user=user):
        roles.add(AuditRole(member.role))
    memberships = Membership.objects.filter(user=user).filter(
        Q(organisation=audit.performer, role=Membership.Role.COORDINATOR)
        | Q(organisation=audit.client, role=Membership.Role.CLIENT_CONTACT)
        | Q(role=Membership.Role.UNIT_CONTACT, unit__in=audit.units.all())
    )
    for membership in memberships:
        roles.add(
            AuditRole.ORG_COORDINATOR
            if membership.role == Membership.Role.COORDINATOR
            else AuditRole(membership.role)
        )
    return roles


def _can_on_audit(user, action: Action, audit: Audit) -> bool:
    roles = audit_roles(user, audit)
    if action == Action.VIEW_AUDIT:
        return bool(roles)
    if action == Action.VIEW_TEAM:
        return bool(roles & (MANAGERS | TEAM))
    if action in (Action.EDIT_PLAN, Action.MANAGE_TEAM, Action.CHANGE_PHASE):
        return bool(roles & MANAGERS) and audit.phase != Phase.CLOSED
    if action == Action.TICK_CHECKLIST:
        if audit.phase == Phase.CLOSED:
            return False
        return bool(roles & MANAGERS) or (
            AuditRole.AUDITOR in roles and audit.phase in AUDITOR_WORK_PHASES
        )
    if action == Action.SIGN_PLEDGE:
        return bool(roles & TEAM)
    if action == Action.VIEW_INSTRUMENTS:
        # Questions are not secret: the client and the units hand out paper forms.
        return bool(roles)
    if action == Action.EDIT_INSTRUMENTS:
        return bool(roles & (MANAGERS | TEAM)) and audit.phase != Phase.CLOSED
    return _can_on_collection(user, action, audit, roles)


def _can_on_collection(user, action: Action, audit: Audit, roles: set[AuditRole]) -> bool:
    open_ = audit.phase != Phase.CLOSED
    if action == Action.MANAGE_COLLECTION:
        return bool(roles & MANAGERS) and open_
    if action == Action.VIEW_PROGRESS:
        return bool(roles & (MANAGERS | TEAM))
    if action in (Action.ENTER_RESPONSES, Action.BOOK_INTERVIEWS):
        # Entering answers and meeting respondents: the audit team, pledge signed.
        return open_ and _may_see_raw_answers(user, audit, roles)
    if action == Action.PASS_ON_CONTACTS:
        return open_ and bool(roles & {AuditRole.UNIT_CONTACT, *TEAM})
    if action == Action.VIEW_RAW_ANSWERS:
        return _may_see_raw_answers(user, audit, roles)
    return _can_on_analysis(user, action, audit, roles)


def _can_on_analysis(user, action: Action, audit: Audit, roles: set[AuditRole]) -> bool:
    if action == Action.VIEW_RESULTS:
        # Everyone in the audit sees results; only the pledged team sees them unsuppressed.
        return bool(roles)
    if action in (Action.CODE_ANSWERS, Action.WRITE_FINDINGS):
        return audit.phase != Phase.CLOSED and _may_see_raw_answers(user, audit, roles)
    if action == Action.MAKE_RELEASE:
        # The audit's own coordinator, who sees the answers, once collection has begun.
        return (
            Phase.COLLECTION <= audit.phase < Phase.CLOSED
            and AuditRole.COORDINATOR in roles
            and _may_see_raw_answers(user, audit, roles)
        )
    if action == Action.VIEW_RELEASE_DECISIONS:
        # How many are behind each hidden cell is for the pledged team only.
        return _may_see_raw_answers(user, audit, roles)
    return _can_on_report(action, audit, roles)


def _can_on_report(action: Action, audit: Audit, roles: set[AuditRole]) -> bool:
    open_ = audit.phase != Phase.CLOSED
    if action == Action.VIEW_REPORT:
        # The report's page: what is on it depends on the two actions below.
        return bool(roles)
    if action == Action.VIEW_REPORT_DRAFT:
        # Drafts, every version and renderings of drafts: the team and its managers only.
        return bool(roles & (MANAGERS | TEAM))
    if action == Action.VIEW_PROPOSALS:
        # The client and the unit see the proposals once the report is published.
        return bool(roles & (MANAGERS | TEAM)) or (bool(roles) and _published(audit))
    if action == Action.WRITE_REPORT:
        return open_ and bool(roles & TEAM)
    if action in (Action.PUBLISH_REPORT, Action.RECORD_FEEDBACK):
        return open_ and bool(roles & MANAGERS)
    if action == Action.SET_RETENTION:
        # The retention date may be changed after closing too: that is when it matters.
        return bool(roles & MANAGERS)
    if action == Action.VIEW_PROCESSING_RECORD:
        # The client is the controller (personuppgiftsansvarig); the performer processes.
        return bool(roles & (MANAGERS | TEAM | {AuditRole.CLIENT_CONTACT}))
    if action == Action.ANSWER_PROPOSALS:
        # The unit answers; the client and the coordinator may enter its answers too.
        if roles & MANAGERS:
            return open_
        readers = {AuditRole.UNIT_CONTACT, AuditRole.CLIENT_CONTACT}
        return open_ and bool(roles & readers) and _published(audit)
    return False


def _published(audit: Audit) -> bool:
    return Edition.objects.filter(report__audit=audit).exists()


def _may_read_version(user, version: ReportVersion) -> bool:
    """A version of the report text: the team reads them all; the client and the unit only
    the one sent to them for review, while the review lasts."""
    report = version.report
    if can(user, Action.VIEW_REPORT_DRAFT, report.audit):
        return True
    return (
        report.status == Report.Status.REVIEW
        and version.number == report.review_version
        and can(user, Action.VIEW_REPORT, report.audit)
    )


def _may_see_raw_answers(user, audit: Audit, roles: set[AuditRole]) -> bool:
    """Only the audit's own team, after signing the pledge (and with a second factor if
    the administrator requires one). Administrators and clients never see raw answers."""
    if not roles & TEAM:
        return False
    member = audit.members.get(user=user)
    if not member.has_signed_pledge:
        return False
    if SecurityPolicy.current().require_totp_for_raw_access:
        return bool(getattr(user, "is_verified", lambda: False)())
    return True


def _may_see_contact(user, interview: Interview) -> bool:
    """Contact details of someone willing to be interviewed: the audit's coordinator and
    the booked interviewers; before booking, the pledged team who may book."""
    if not interview.contact_id:
        return False
    audit = interview.audit
    roles = audit_roles(user, audit)
    if AuditRole.COORDINATOR in roles and audit.phase != Phase.CLOSED:
        return True
    if interview.status == Interview.Status.WAITING:
        return _can_on_collection(user, Action.BOOK_INTERVIEWS, audit, roles)
    booked = interview.interviewers.filter(pk=user.pk).exists()
    return booked and _may_see_raw_answers(user, audit, roles)


def _is_org_coordinator(user, organisation_id: int) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Membership.Role.COORDINATOR
    ).exists()


def _is_client_contact(user, organisation_id: int) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Membership.Role.CLIENT_CONTACT
    ).exists()


def _can_on_application(user, action: Action, application: Application) -> bool:
    manages = user.is_superuser or _is_org_coordinator(user, application.offer.performer_id)
    if action == Action.VIEW_APPLICATION:
        return manages or _is_client_contact(user, application.client_id)
    if action == Action.DECIDE_APPLICATION:
        return manages and application.is_open
    return False


def _can_on_offer(user, action: Action, offer: Offer) -> bool:
    if action == Action.MANAGE_OFFER:
        return user.is_superuser or _is_org_coordinator(user, offer.performer_id)
    if action == Action.APPLY_TO_OFFER:
        return offer.accepts_applications() and client_organisations(user).exists()
    return False


def can(user, action: Action, obj) -> bool:
    """May `user` do `action` on `obj`? Anonymous and disabled users may do nothing here."""
    if not _signed_in(user):
        return False
    if isinstance(obj, Audit):
        return _can_on_audit(user, action, obj)
    if isinstance(obj, Application):
        return _can_on_application(user, action, obj)
    if isinstance(obj, Offer):
        return _can_on_offer(user, action, obj)
    if isinstance(obj, ReportVersion) and action == Action.VIEW_REPORT:
        return _may_read_version(user, obj)
    if isinstance(obj, Interview) and action == Action.SEE_CONTACT:
        return _may_see_contact(user, obj)
    if isinstance(obj, Organisation) and action == Action.APPLY_FOR_CLIENT:
        return obj.is_client and _is_client_contact(user, obj.pk)
    if isinstance(obj, Organisation) and action == Action.MANAGE_MEMBERS:
        # Granting and ending roles: an administrator, or the organisation's coordinator.
        return user.is_superuser or _is_org_coordinator(user, obj.pk)
    return False


def visible_audits(user) -> QuerySet[Audit]:
    """Audits `user` may view; the same rule as Action.VIEW_AUDIT."""
    audits = Audit.objects.select_related("performer", "client")
    if not _signed_in(user):
        return audits.none()
    if user.is_superuser:
        return audits.all()
    memberships = Membership.objects.filter(user=user)
    ids = Audit.objects.filter(
        Q(members__user=user)
        | Q(
            performer__in=memberships.filter(role=Membership.Role.COORDINATOR).values(
                "organisation"
            )
        )
        | Q(
            client__in=memberships.filter(role=Membership.Role.CLIENT_CONTACT).values(
                "organisation"
            )
        )
        | Q(units__in=memberships.filter(role=Membership.Role.UNIT_CONTACT).values("unit"))
    ).values("pk")
    return audits.filter(pk__in=ids)


def visible_applications(user) -> QuerySet[Application]:
    applications = Application.objects.select_related("offer", "client", "offer__performer")
    if not _signed_in(user):
        return applications.none()
    if user.is_superuser:
        return applications.all()
    memberships = Membership.objects.filter(user=user)
    return applications.filter(
        Q(
            offer__performer__in=memberships.filter(role=Membership.Role.COORDINATOR).values(
                "organisation"
            )
        )
        | Q(
            client__in=memberships.filter(role=Membership.Role.CLIENT_CONTACT).values(
                "organisation"
            )
        )
    )


def client_organisations(user) -> QuerySet[Organisation]:
    """Client organisations `user` may apply on behalf of."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.CLIENT_CONTACT
    ).distinct()


def coordinated_organisations(user) -> QuerySet[Organisation]:
    if not _signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    ).distinct()


def may_review_security_log(user) -> bool:
    """The security log (sign-ins, grants, exports, erasures) is for administrators."""
    return _signed_in(user) and user.is_superuser


def may_handle_personal_data(user) -> bool:
    """Exporting or erasing everything held about one person (GDPR art. 15 and 17) is for
    administrators."""
    return _signed_in(user) and user.is_superuser


def sees_raw_answers_somewhere(user) -> bool:
    """Does `user` hold a role that can see raw answers (for the second-factor rule)?"""
    if not _signed_in(user):
        return False
    return (
        AuditMember.objects.filter(user=user).exists()
        or Membership.objects.filter(
            user=user, role__in=[Membership.Role.COORDINATOR, Membership.Role.AUDITOR]
        ).exists()
    )
