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
from brukarrevision.councils.models import Body, Issue
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


# Fees and travel (app pay) ------------------------------------------------------------------


def may_manage_pay(user, organisation) -> bool:
    """Fee schedule, approval, payroll basis and every person's sums of an organisation: its
    coordinators and the administrators."""
    return _signed_in(user) and (user.is_superuser or _is_org_coordinator(user, organisation.pk))


def may_report_pay(user, member) -> bool:
    """A pool member reports their own hours and journeys; a coordinator may for them."""
    if not _signed_in(user) or member.erased_at is not None:
        return False
    return member.user_id == user.pk or may_manage_pay(user, member.organisation)


def may_see_pay_record(user, record) -> bool:
    """A time report or travel claim (and its receipt): the person and the coordinators."""
    if not _signed_in(user):
        return False
    return record.member.user_id == user.pk or may_manage_pay(user, record.member.organisation)


def may_see_audit_costs(user, audit: Audit) -> bool:
    """An audit's cost against its budget and its invoice basis: the audit's coordinator,
    the performing organisation's coordinators and the administrators."""
    return bool(audit_roles(user, audit) & MANAGERS)


def may_manage_pool(user, organisation: Organisation) -> bool:
    """The auditor pool of a user organisation (lived experience of care is special-category
    personal data), its courses and its "one way in" queue: the organisation's coordinators
    and administrators only."""
    if not _signed_in(user) or organisation.is_client:
        return False
    return user.is_superuser or _is_org_coordinator(user, organisation.pk)


def pool_organisations(user) -> QuerySet[Organisation]:
    """The user organisations whose pool `user` may manage (the same rule as above)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    performers = Organisation.objects.filter(kind=Organisation.Kind.PERFORMER)
    if user.is_superuser:
        return performers
    return performers.filter(pk__in=coordinated_organisations(user).values("pk"))


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


# The API and personal API tokens (app api) ------------------------------------------------------


def may_use_api(user, token, scope: str, action: Action | None = None, obj=None) -> bool:
    """A request with a personal API token may do what the token's owner may do, and only
    within the token's scopes: both must allow it. An expired or revoked token allows
    nothing (`token.allows`)."""
    if not _signed_in(user) or token is None or token.owner_id != user.pk:
        return False
    if not token.allows(scope):
        return False
    return action is None or can(user, action, obj)


def may_manage_api_token(user, token) -> bool:
    """A personal API token is seen and revoked by its owner only."""
    return _signed_in(user) and token.owner_id == user.pk


# Offline interviews with ODK (app openrosa) ---------------------------------------------------


def may_collect_offline(user, audit: Audit) -> bool:
    """Fetching an audit's questionnaires into ODK Collect and sending answers from it: the
    same rule as typing in paper forms (the pledged team of an audit not closed)."""
    return can(user, Action.ENTER_RESPONSES, audit)


def may_have_app_passwords(user) -> bool:
    """App passwords for ODK Collect: for those who could enter answers somewhere."""
    return sees_raw_answers_somewhere(user)


# Councils and patient forums ------------------------------------------------------------------


def _runs_body(user, organisation_id: int, unit_id: int | None, run_by_id: int | None) -> bool:
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    rule = Q(
        organisation_id=organisation_id,
        role__in=[Membership.Role.COORDINATOR, Membership.Role.CLIENT_CONTACT],
    )
    if run_by_id:
        rule |= Q(organisation_id=run_by_id, role=Membership.Role.COORDINATOR)
    if unit_id:
        rule |= Q(role=Membership.Role.UNIT_CONTACT, unit_id=unit_id)
    return Membership.objects.filter(user=user).filter(rule).exists()


def may_manage_body(user, body: Body) -> bool:
    """A council, forum or reference group is run by its organisation's coordinators and
    client contacts, the coordinators of the user organisation that supports it, and, for a
    unit's body, the unit's contacts."""
    return _runs_body(user, body.organisation_id, body.unit_id, body.run_by_id)


def may_create_body(user, organisation: Organisation, unit=None) -> bool:
    return _runs_body(user, organisation.pk, unit.pk if unit else None, None)


def may_read_body(user, body: Body) -> bool:
    """Those who run it, and its members who have an account."""
    return may_manage_body(user, body) or (
        _signed_in(user) and body.members.filter(user=user).exists()
    )


def _is_unit_contact_of(user, unit_id: int | None) -> bool:
    return (
        bool(unit_id)
        and Membership.objects.filter(
            user=user, role=Membership.Role.UNIT_CONTACT, unit_id=unit_id
        ).exists()
    )


def may_raise_issue(user, body: Body, unit=None) -> bool:
    """Those who run the body; a unit's contact about their own unit in the body's area
    (a suggestion from the unit's box becomes an issue)."""
    if may_manage_body(user, body):
        return True
    return (
        _signed_in(user)
        and unit is not None
        and body.area_units().filter(pk=unit.pk).exists()
        and _is_unit_contact_of(user, unit.pk)
    )


def may_answer_issue(user, issue: Issue) -> bool:
    """The issue's owner, those who run the body, and the contacts of the unit it is about."""
    if not _signed_in(user):
        return False
    return (
        issue.owner_id == user.pk
        or may_manage_body(user, issue.body)
        or _is_unit_contact_of(user, issue.unit_id)
    )


def may_read_issue(user, issue: Issue) -> bool:
    return may_answer_issue(user, issue) or may_read_body(user, issue.body)


def may_send_proposal_to_council(user, audit: Audit) -> bool:
    """The audit's coordinators send an action proposal to a council as an issue."""
    return bool(audit_roles(user, audit) & MANAGERS)


def may_list_organisation_issues(user, organisation: Organisation) -> bool:
    """The list of every council issue of an organisation: its coordinators and client
    contacts."""
    if not _signed_in(user):
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user,
            organisation=organisation,
            role__in=[Membership.Role.COORDINATOR, Membership.Role.CLIENT_CONTACT],
        ).exists()
    )


def visible_bodies(user) -> QuerySet[Body]:
    """Bodies `user` may read; the same rule as may_read_body."""
    bodies = Body.objects.select_related("organisation", "unit")
    if not _signed_in(user):
        return bodies.none()
    if user.is_superuser:
        return bodies.all()
    memberships = Membership.objects.filter(user=user)
    runs = memberships.filter(
        role__in=[Membership.Role.COORDINATOR, Membership.Role.CLIENT_CONTACT]
    ).values("organisation")
    return bodies.filter(
        Q(organisation__in=runs)
        | Q(run_by__in=memberships.filter(role=Membership.Role.COORDINATOR).values("organisation"))
        | Q(unit__in=memberships.filter(role=Membership.Role.UNIT_CONTACT).values("unit"))
        | Q(members__user=user)
    ).distinct()


def may_view_unit(user, unit) -> bool:
    """The unit's page (its audits, council issues and suggestions together): the unit's
    contacts, its organisation's coordinators and client contacts, and the coordinators of
    the user organisations that audit it."""
    if not _signed_in(user):
        return False
    if user.is_superuser or _is_unit_contact_of(user, unit.pk):
        return True
    performers = Audit.objects.filter(units=unit).values("performer")
    return (
        Membership.objects.filter(user=user)
        .filter(
            Q(
                organisation_id=unit.client_id,
                role__in=[Membership.Role.COORDINATOR, Membership.Role.CLIENT_CONTACT],
            )
            | Q(organisation__in=performers, role=Membership.Role.COORDINATOR)
        )
        .exists()
    )


# The suggestion box and the toolbox ---------------------------------------------------------


def may_moderate_suggestions(user, unit) -> bool:
    """A unit's suggestion box queue (approve, reject, answer, send to a council): the unit's
    contacts, the contacts of its client organisation, and administrators."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return (
        Membership.objects.filter(user=user)
        .filter(
            Q(role=Membership.Role.UNIT_CONTACT, unit_id=unit.pk)
            | Q(role=Membership.Role.CLIENT_CONTACT, organisation_id=unit.client_id)
        )
        .exists()
    )


def moderated_units(user):
    """The units whose suggestion box `user` moderates; the same rule as above."""
    from brukarrevision.organisations.models import Unit

    units = Unit.objects.select_related("client").order_by("client__name", "name")
    if not _signed_in(user):
        return units.none()
    if user.is_superuser:
        return units.all()
    memberships = Membership.objects.filter(user=user)
    return units.filter(
        Q(pk__in=memberships.filter(role=Membership.Role.UNIT_CONTACT).values("unit"))
        | Q(
            client__in=memberships.filter(role=Membership.Role.CLIENT_CONTACT).values(
                "organisation"
            )
        )
    )


def may_edit_toolbox(user) -> bool:
    """The toolbox is read by everyone and edited by administrators and the coordinators of
    user organisations."""
    if not _signed_in(user):
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).exists()
    )


# The participation ladder (app ladder) ------------------------------------------------------


def _certification_model():
    """The certification app's model, if installed (it links ladder rounds as a step)."""
    from django.apps import apps

    try:
        return apps.get_model("certification", "Certification")
    except LookupError:
        return None


def _ladder_performers(unit) -> set[int]:
    """The user organisations that work with a unit: those that audit it, and those that
    lead its certification."""
    performers = set(Audit.objects.filter(units=unit).values_list("performer", flat=True))
    model = _certification_model()
    if model is not None and hasattr(model, "performer"):
        performers |= set(model.objects.filter(unit=unit).values_list("performer", flat=True))
    return performers


def _units_worked_with(organisations) -> Q:
    """Units audited or certified by `organisations` (a queryset of organisation ids)."""
    rule = Q(pk__in=Audit.objects.filter(performer__in=organisations).values("units"))
    model = _certification_model()
    if model is not None and hasattr(model, "performer"):
        rule |= Q(pk__in=model.objects.filter(performer__in=organisations).values("unit"))
    return rule


def may_run_ladder(user, unit) -> bool:
    """Start participation ladder rounds for a unit, hand out their answer links and close
    them: the unit's contacts, the coordinators of the user organisations that work with it
    (audit or certify it), and administrators."""
    if not _signed_in(user):
        return False
    if user.is_superuser or _is_unit_contact_of(user, unit.pk):
        return True
    return Membership.objects.filter(
        user=user,
        role=Membership.Role.COORDINATOR,
        organisation_id__in=_ladder_performers(unit),
    ).exists()


def may_view_ladder(user, unit) -> bool:
    """A unit's ladder results: those who run its rounds, and the client contacts of the
    unit's organisation. Those invited to answer see only their own answer page."""
    if may_run_ladder(user, unit):
        return True
    return _signed_in(user) and _is_client_contact(user, unit.client_id)


def ladder_units(user):
    """The units whose ladder results `user` may see; the same rule as may_view_ladder."""
    from brukarrevision.organisations.models import Unit

    units = Unit.objects.select_related("client").order_by("client__name", "name")
    if not _signed_in(user):
        return units.none()
    if user.is_superuser:
        return units.all()
    memberships = Membership.objects.filter(user=user)
    coordinated = memberships.filter(role=Membership.Role.COORDINATOR).values("organisation")
    return units.filter(
        Q(pk__in=memberships.filter(role=Membership.Role.UNIT_CONTACT).values("unit"))
        | Q(
            client__in=memberships.filter(role=Membership.Role.CLIENT_CONTACT).values(
                "organisation"
            )
        )
        | _units_worked_with(coordinated)
    )


def may_answer_ladder(response) -> bool:
    """An answer link works without signing in, once, while its round is open."""
    return response.submitted_at is None and response.round.closed_at is None


# Certification of user influence -------------------------------------------------------------


def may_start_certification(user, organisation: Organisation) -> bool:
    """Offering a certification and editing the checklist: the user organisation's
    coordinators and administrators."""
    if not _signed_in(user) or organisation.is_client:
        return False
    return user.is_superuser or _is_org_coordinator(user, organisation.pk)


def may_lead_certification(user, certification) -> bool:
    """The user organisation's coordinator leads a certification: everything."""
    return _signed_in(user) and (
        user.is_superuser or _is_org_coordinator(user, certification.performer_id)
    )


def may_take_part_in_certification(user, certification) -> bool:
    """Assessing criteria, adding evidence, updating actions: those who lead, the unit's
    contacts and the staff and user representatives invited to take part."""
    if may_lead_certification(user, certification):
        return True
    return _signed_in(user) and (
        _is_unit_contact_of(user, certification.unit_id)
        or certification.participants.filter(user=user).exists()
    )


def may_view_certification(user, certification) -> bool:
    """Those who take part, and the contacts of the unit's client organisation (read only)."""
    if may_take_part_in_certification(user, certification):
        return True
    return _signed_in(user) and _is_client_contact(user, certification.unit.client_id)


def visible_certifications(user):
    """Certifications `user` may view; the same rule as may_view_certification."""
    from brukarrevision.certification.models import Certification

    found = Certification.objects.select_related("unit", "unit__client", "performer")
    if not _signed_in(user):
        return found.none()
    if user.is_superuser:
        return found.all()
    memberships = Membership.objects.filter(user=user)
    return found.filter(
        Q(performer__in=memberships.filter(role=Membership.Role.COORDINATOR).values("organisation"))
        | Q(unit__in=memberships.filter(role=Membership.Role.UNIT_CONTACT).values("unit"))
        | Q(
            unit__client__in=memberships.filter(role=Membership.Role.CLIENT_CONTACT).values(
                "organisation"
            )
        )
        | Q(participants__user=user)
    ).distinct()


# The portfolio across audits (app portfolio) ---------------------------------------------------


def may_view_portfolio(user) -> bool:
    """The portfolio page is open to everyone; what it counts follows `portfolio_audits`."""
    return True


def published_audits() -> QuerySet[Audit]:
    """Audits with a published (frozen) edition of their report: what the public reads."""
    return Audit.objects.filter(pk__in=Edition.objects.values("report__audit"))


def portfolio_audits(user) -> QuerySet[Audit]:
    """Audits the portfolio counts for `user`: every published audit, and the audits whose
    released results `user` may read (Action.VIEW_RESULTS: an administrator all, a user
    organisation's coordinator those it performs, a client contact its own, the team and
    the unit's contacts theirs). The public (not signed in) sees published audits only."""
    published = published_audits().values("pk")
    if not _signed_in(user):
        return Audit.objects.filter(pk__in=published)
    return Audit.objects.filter(Q(pk__in=published) | Q(pk__in=visible_audits(user).values("pk")))


def portfolio_reads_latest_release(user) -> set[int]:
    """Ids of the audits whose latest release `user` may read in the portfolio; for every
    other published audit the portfolio reads the release its current edition rests on."""
    return set(visible_audits(user).values_list("pk", flat=True))
