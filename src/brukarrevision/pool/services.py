"""Every write to the auditor pool, its courses and "one way in". Views call these; each
checks permission through brukarrevision.permissions and works inside one transaction.

A pool member joins an audit team only through audits.services.add_auditor, after the
rules the pool knows of itself (consent, an account, the training the team checklist
reads, and the units and service types the person uses)."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.accounts.services import record_event
from brukarrevision.audits import rules
from brukarrevision.audits import services as audit_services
from brukarrevision.audits.models import Audit, AuditMember, TrainingRecord, TrainingTopic
from brukarrevision.organisations.models import Membership, Organisation, Unit
from brukarrevision.organisations.services import grant_membership
from brukarrevision.permissions import may_manage_pool

from .consent import CURRENT_VERSION
from .models import (
    MODULE_TOPICS,
    Assignment,
    Attendance,
    Course,
    CourseSession,
    Experience,
    Module,
    Participant,
    PoolMember,
    WayInRequest,
)

logger = logging.getLogger(__name__)

MEMBER_FIELDS = [
    "full_name",
    "email",
    "phone",
    "payroll_id",
    "experience",
    "languages",
    "availability",
    "available",
    "not_to_audit_service_types",
]


def _require_pool(user, organisation: Organisation) -> None:
    if not may_manage_pool(user, organisation):
        raise PermissionDenied("manage_pool")


def _describe(member: PoolMember) -> str:
    # The log names the pool record, not the person's lived experience.
    return f"pool member #{member.pk} of {member.organisation.name}"


def _account_of(member: PoolMember):
    return member.user if member.user_id else None


# The pool --------------------------------------------------------------------------------


def _check_linkable(organisation: Organisation, account, member: PoolMember | None) -> None:
    """An account linked to a pool record must hold a role in that organisation, and be
    linked to one record there only."""
    if account is None:
        return
    if not Membership.objects.filter(user=account, organisation=organisation).exists():
        raise ValidationError({"user": _("Choose an account with a role in this organisation.")})
    others = PoolMember.objects.filter(organisation=organisation, user=account)
    if member is not None and member.pk:
        others = others.exclude(pk=member.pk)
    if others.exists():
        raise ValidationError({"user": _("This account is already linked to someone in the pool.")})


@transaction.atomic
def save_member(
    *,
    user,
    organisation: Organisation,
    member: PoolMember | None = None,
    fields: dict,
    not_to_audit: list[Unit],
    account=None,
    consent: bool = False,
    request=None,
) -> PoolMember:
    """Add someone to the pool or change what is stored about them. A new person is added
    only with their consent to the current consent text."""
    _require_pool(user, organisation)
    creating = member is None
    if creating:
        member = PoolMember(organisation=organisation)
        if not consent:
            raise ValidationError(
                {"consent": _("Add someone only when they have agreed to the consent text.")}
            )
    elif member.organisation_id != organisation.pk or member.is_erased:
        raise PermissionDenied("manage_pool")
    types = fields.get("not_to_audit_service_types") or []
    if any(value not in Unit.ServiceType.values for value in types):
        raise ValidationError({"not_to_audit_service_types": _("Choose a service type.")})
    _check_linkable(organisation, account, member)
    for name in MEMBER_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(member, name, value.strip() if isinstance(value, str) else value)
    if not member.full_name:
        raise ValidationError({"full_name": _("Write the person's name.")})
    member.user = account
    member.save()
    member.not_to_audit.set(not_to_audit)
    if creating or consent:
        _consent(user, member, request)
    return member


def _consent(user, member: PoolMember, request) -> None:
    member.consent_given_at = timezone.now()
    member.consent_text_version = CURRENT_VERSION
    member.save(update_fields=["consent_given_at", "consent_text_version"])
    record_event(
        SecurityEvent.Kind.CONSENT_RECORDED,
        request=request,
        user=user,
        subject=_account_of(member),
        detail=f"consent to the pool's consent text {CURRENT_VERSION} recorded for "
        + _describe(member),
    )


@transaction.atomic
def record_consent(*, user, member: PoolMember, request=None) -> PoolMember:
    """The person has agreed (again) to the current consent text: stored with the time."""
    _require_pool(user, member.organisation)
    if member.is_erased:
        raise ValidationError(_("This person's details are erased."))
    _consent(user, member, request)
    return member


@transaction.atomic
def erase_member(*, user, member: PoolMember, request=None) -> PoolMember:
    """Erase a person from the pool on their request: their details are removed and the
    record kept, anonymised, so that courses and assignments still add up."""
    member = PoolMember.objects.select_for_update().get(pk=member.pk)
    _require_pool(user, member.organisation)
    if member.is_erased:
        return member
    subject = _account_of(member)
    anonymise(member)
    record_event(
        SecurityEvent.Kind.PERSON_ERASED,
        request=request,
        user=user,
        subject=subject,
        detail=f"{_describe(member)} erased from the pool on request: contact details, "
        "experience, languages, availability and units anonymised",
    )
    return member


def anonymise(member: PoolMember) -> None:
    """Remove a pool record's personal details and keep the record, so that courses,
    assignments and pay still add up. No permission check: the callers check (a pool
    coordinator erasing on request, or the administrator erasing the person's account)."""
    member.full_name = _("Erased person #%(id)s") % {"id": member.pk}
    for name in ("email", "phone", "payroll_id", "experience", "languages", "availability"):
        setattr(member, name, "")
    member.not_to_audit_service_types = []
    member.available = False
    member.user = None
    member.erased_at = timezone.now()
    member.save()
    member.not_to_audit.clear()
    Assignment.objects.filter(member=member, status=Assignment.Status.OFFERED).update(
        status=Assignment.Status.DECLINED, responded_at=timezone.now()
    )


@transaction.atomic
def create_account(*, user, member: PoolMember, request=None) -> User:
    """An account for a pool member: no usable password, a set-password e-mail, and the
    auditor role in the organisation (granted through the organisation's rules)."""
    member = PoolMember.objects.select_for_update().get(pk=member.pk)
    _require_pool(user, member.organisation)
    if member.is_erased:
        raise ValidationError(_("This person's details are erased."))
    if member.user_id:
        raise ValidationError(_("This person already has an account."))
    if not member.email:
        raise ValidationError(_("Add the person's e-mail address first."))
    if User.objects.filter(email__iexact=member.email).exists():
        raise ValidationError(
            _(
                "An account with this e-mail address already exists. Ask an administrator "
                "to give it a role in the organisation, then link it on the edit page."
            )
        )
    account = User.objects.create_user(member.email, None, full_name=member.full_name)
    account.phone = member.phone
    account.save(update_fields=["phone"])
    grant_membership(
        by=user,
        user=account,
        organisation=member.organisation,
        role=Membership.Role.AUDITOR,
        request=request,
    )
    member.user = account
    member.save(update_fields=["user"])
    for participant in member.course_places.select_related("course"):
        _write_completed_modules(user, participant, request)
    transaction.on_commit(lambda: _send_set_password(account, member.organisation))
    return account


def _send_set_password(account: User, organisation: Organisation) -> None:
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    link = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )
    send_mail(
        _("An account for you at Brukarrevision"),
        _(
            "Hello %(name)s,\n\n%(organisation)s has made an account for you, so that you "
            "can take part in user audits. Choose your password here:\n\n%(link)s\n\n"
            "The link works once. If you did not expect this, you can ignore this e-mail."
        )
        % {"name": account.full_name, "organisation": organisation.name, "link": link},
        None,
        [account.email],
    )


@transaction.atomic
def grant_auditor_role(*, user, member: PoolMember, request=None) -> Membership:
    _require_pool(user, member.organisation)
    if not member.user_id:
        raise ValidationError(_("The person needs an account first."))
    return grant_membership(
        by=user,
        user=member.user,
        organisation=member.organisation,
        role=Membership.Role.AUDITOR,
        request=request,
    )


# Joining an audit team -------------------------------------------------------------------


def missing_training(account) -> list[str]:
    """The training the team checklist asks of every auditor that `account` lacks."""
    if account is None:
        return list(TrainingTopic.values)
    done = set(TrainingRecord.objects.filter(user=account).values_list("topic", flat=True))
    return [topic for topic in TrainingTopic.values if topic not in done]


def barred_units(member: PoolMember, audit: Audit) -> list[Unit]:
    return [unit for unit in audit.units.all() if member.barred_from(unit)]


@transaction.atomic
def assign_to_audit(
    *,
    user,
    member: PoolMember,
    audit: Audit,
    perspective: str,
    declares_not_current_user: bool,
) -> AuditMember:
    """Put a pool member in an audit's team. The pool's rules first (consent, an account,
    every training the team needs, not a user of an audited unit or its kind of service),
    then the team's own rules in audits.services.add_auditor."""
    _require_pool(user, member.organisation)
    if audit.performer_id != member.organisation_id:
        raise ValidationError({"audit": _("Choose an audit of the organisation.")})
    if member.is_erased:
        raise ValidationError(_("This person's details are erased."))
    if not member.has_consent:
        raise ValidationError(_("Record the person's consent first."))
    if not member.user_id:
        raise ValidationError(
            _("%(name)s needs an account before joining a team. Create one first.")
            % {"name": member.full_name}
        )
    barred = barred_units(member, audit)
    if barred:
        raise ValidationError(
            {
                "declares_not_current_user": _(
                    "%(name)s uses %(units)s or that kind of service, and cannot audit it."
                )
                % {"name": member.full_name, "units": ", ".join(u.name for u in barred)}
            }
        )
    missing = missing_training(member.user)
    if missing:
        raise ValidationError(
            _(
                "%(name)s has not completed the training every auditor needs: %(missing)s. "
                "Record it through a course first."
            )
            % {
                "name": member.full_name,
                "missing": ", ".join(str(TrainingTopic(t).label) for t in missing),
            }
        )
    return audit_services.add_auditor(
        user=user,
        audit=audit,
        auditor=member.user,
        perspective=perspective,
        declares_not_current_user=declares_not_current_user,
    )


# Courses ---------------------------------------------------------------------------------


def _check_modules(modules: list[str], allowed: list[str], field: str = "modules") -> list[str]:
    if not modules:
        raise ValidationError({field: _("Choose at least one module.")})
    if any(module not in allowed for module in modules):
        raise ValidationError({field: _("Choose modules of the course.")})
    return [module for module in Module.values if module in modules]


@transaction.atomic
def save_course(
    *, user, organisation: Organisation, title: str, modules: list[str], course=None
) -> Course:
    _require_pool(user, organisation)
    if course is not None and course.organisation_id != organisation.pk:
        raise PermissionDenied("manage_pool")
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the course a title.")})
    course = course or Course(organisation=organisation, created_by=user)
    course.title = title
    course.modules = _check_modules(modules, Module.values)
    course.save()
    return course


@transaction.atomic
def add_session(
    *, user, course: Course, date: datetime.date, place: str, modules: list[str]
) -> CourseSession:
    _require_pool(user, course.organisation)
    try:
        rules.check_date(date)
    except ValidationError as error:
        raise ValidationError({"date": error}) from None
    return CourseSession.objects.create(
        course=course,
        date=date,
        place=place.strip(),
        modules=_check_modules(modules, course.modules),
    )


@transaction.atomic
def add_participant(*, user, course: Course, member: PoolMember, role: str) -> Participant:
    _require_pool(user, course.organisation)
    if member.organisation_id != course.organisation_id or member.is_erased:
        raise ValidationError({"member": _("Choose someone in the organisation's pool.")})
    if role not in Participant.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if course.participants.filter(member=member).exists():
        raise ValidationError({"member": _("This person is already on the course.")})
    return Participant.objects.create(course=course, member=member, role=role)


def completed_modules(participant: Participant) -> dict[str, datetime.date]:
    """Modules whose every session the participant attended, with the last session's
    date; all of the course's modules if the coordinator marked the participant complete."""
    sessions = list(participant.course.sessions.all())
    attended = set(participant.attendance.values_list("session_id", flat=True))
    done = {}
    for module in participant.course.modules:
        covering = [session for session in sessions if module in session.modules]
        if covering and all(session.pk in attended for session in covering):
            done[module] = max(session.date for session in covering)
    if participant.completed_on:
        for module in participant.course.modules:
            done.setdefault(module, participant.completed_on)
    return done


def _write_training(actor, participant: Participant, topic: str, on: datetime.date, request):
    account = participant.member.user
    record = TrainingRecord.objects.filter(user=account, topic=topic).first()
    if record is not None and record.completed_on >= on:
        return record
    record, _created = TrainingRecord.objects.update_or_create(
        user=account, topic=topic, defaults={"completed_on": on, "recorded_by": actor}
    )
    record_event(
        SecurityEvent.Kind.TRAINING_RECORDED,
        request=request,
        user=actor,
        subject=account,
        detail=f"{topic} completed on {on.isoformat()} in course #{participant.course_id} "
        f"of {participant.course.organisation.name}",
    )
    return record


def _write_completed_modules(actor, participant: Participant, request) -> dict:
    done = completed_modules(participant)
    if participant.member.user_id:
        for module, on in done.items():
            topic = MODULE_TOPICS.get(module)
            if topic:
                _write_training(actor, participant, topic, on, request)
    if participant.completed_on is None and done and set(done) >= set(participant.course.modules):
        participant.completed_on = max(done.values())
        participant.save(update_fields=["completed_on"])
    return done


@transaction.atomic
def record_attendance(
    *, user, session: CourseSession, present: list[Participant], request=None
) -> list[Participant]:
    """Who attended the session (the list replaces what was recorded before). A module
    whose every session a participant attended is complete: its training is written."""
    _require_pool(user, session.course.organisation)
    if session.date > timezone.localdate():
        raise ValidationError(
            _("Attendance is recorded on or after the day of the session, not before.")
        )
    if any(p.course_id != session.course_id for p in present):
        raise ValidationError(_("Choose participants of the course."))
    Attendance.objects.filter(session=session).exclude(participant__in=present).delete()
    for participant in present:
        Attendance.objects.get_or_create(
            session=session, participant=participant, defaults={"recorded_by": user}
        )
    completed = []
    for participant in session.course.participants.select_related(
        "member__user", "course__organisation"
    ):
        was = participant.completed_on
        _write_completed_modules(user, participant, request)
        if was is None and participant.completed_on:
            completed.append(participant)
    return completed


@transaction.atomic
def mark_complete(
    *, user, participant: Participant, on: datetime.date | None = None, request=None
) -> Participant:
    """The coordinator marks the participant as having completed the whole course (for
    example after a make-up session elsewhere)."""
    _require_pool(user, participant.course.organisation)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    participant.completed_on = on
    participant.completed_by = user
    participant.save(update_fields=["completed_on", "completed_by"])
    _write_completed_modules(user, participant, request)
    return participant


# One way in ------------------------------------------------------------------------------

REQUEST_FIELDS = [
    "requester_kind",
    "requester_name",
    "service_type",
    "contact_name",
    "contact_email",
    "contact_phone",
    "kind",
    "task",
    "starts_on",
    "ends_on",
    "dates_note",
    "people_needed",
    "compensation",
    "experience_wanted",
]


@transaction.atomic
def submit_request(*, organisation: Organisation, data: dict) -> WayInRequest:
    """A request through the public form (no sign-in): checked and put in the queue."""
    if organisation.is_client:
        raise ValidationError(_("Requests go to a user organisation."))
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on and starts_on < timezone.localdate():
        raise ValidationError({"starts_on": _("The first date has passed. Choose a later date.")})
    try:
        for value in (starts_on, ends_on):
            if value:
                rules.check_date(value)
        rules.check_period(starts_on, ends_on)
    except ValidationError as error:
        raise ValidationError({"ends_on": error}) from None
    if not 1 <= (data.get("people_needed") or 0) <= 50:
        raise ValidationError({"people_needed": _("Ask for between 1 and 50 people.")})
    found = WayInRequest(organisation=organisation)
    for name in REQUEST_FIELDS:
        if name in data:
            value = data[name]
            setattr(found, name, value.strip() if isinstance(value, str) else value)
    found.full_clean()
    found.save()
    if organisation.contact_email:
        transaction.on_commit(lambda: _tell_organisation(found))
    return found


def _tell_organisation(found: WayInRequest) -> None:
    link = settings.SITE_URL + reverse("pool:request", args=[found.pk])
    send_mail(
        _("New request through one way in"),
        _("%(requester)s asks for user representatives (%(kind)s). See the queue:\n\n%(link)s")
        % {"requester": found.requester_name, "kind": found.get_kind_display(), "link": link},
        None,
        [found.organisation.contact_email],
    )


@transaction.atomic
def update_request(
    *, user, found: WayInRequest, status: str | None = None, unit: Unit | None = None
) -> WayInRequest:
    _require_pool(user, found.organisation)
    if status is not None:
        if status not in WayInRequest.Status.values:
            raise ValidationError({"status": _("Choose a status.")})
        found.status = status
    found.unit = unit
    if unit is not None and not found.service_type:
        found.service_type = unit.service_type
    found.save()
    return found


@transaction.atomic
def offer_request(
    *, user, found: WayInRequest, members: list[PoolMember], request=None
) -> list[Assignment]:
    """Offer the task to pool members: each gets an e-mail with a link to accept or
    decline (no sign-in needed)."""
    found = WayInRequest.objects.select_for_update().get(pk=found.pk)
    _require_pool(user, found.organisation)
    if found.status == WayInRequest.Status.CLOSED:
        raise ValidationError(_("The request is closed."))
    if not members:
        raise ValidationError({"members": _("Choose at least one person.")})
    for member in members:
        problem = _offer_problem(found, member)
        if problem:
            raise ValidationError({"members": problem})
    made = []
    for member in members:
        assignment, created = Assignment.objects.get_or_create(
            request=found, member=member, defaults={"offered_by": user}
        )
        if created:
            made.append(assignment)
    if found.status == WayInRequest.Status.NEW:
        found.status = WayInRequest.Status.MATCHING
        found.save(update_fields=["status"])
    for assignment in made:
        transaction.on_commit(lambda a=assignment: _send_offer(a))
    return made


def _offer_problem(found: WayInRequest, member: PoolMember) -> str:
    name = member.full_name
    if member.organisation_id != found.organisation_id or member.is_erased:
        return _("Choose someone in the organisation's pool.")
    if not member.has_consent:
        return _("%(name)s has not given consent.") % {"name": name}
    if not member.email:
        return _("%(name)s has no e-mail address for the link.") % {"name": name}
    if found.unit_id and member.barred_from(found.unit):
        return _("%(name)s may not take part at this unit.") % {"name": name}
    if found.service_type and found.service_type in (member.not_to_audit_service_types or []):
        return _("%(name)s may not take part in this kind of service.") % {"name": name}
    return ""


def _send_offer(assignment: Assignment) -> None:
    found = assignment.request
    link = settings.SITE_URL + reverse("pool:answer", args=[assignment.token])
    send_mail(
        _("A task for you: %(kind)s") % {"kind": found.get_kind_display()},
        _(
            "Hello %(name)s,\n\n%(organisation)s asks if you want to take part: "
            "%(kind)s for %(requester)s, starting %(date)s.\n\n%(task)s\n\n"
            "Compensation: %(compensation)s\n\nAnswer yes or no here:\n\n%(link)s\n"
        )
        % {
            "name": assignment.member.full_name,
            "organisation": found.organisation.name,
            "kind": found.get_kind_display(),
            "requester": found.requester_name,
            "date": found.starts_on.isoformat(),
            "task": found.task,
            "compensation": found.compensation or "–",
            "link": link,
        },
        None,
        [assignment.member.email],
    )


@transaction.atomic
def answer_assignment(*, token: str, accept: bool) -> Assignment:
    """The member's answer through their link. An answer is given once; a request that is
    already filled or closed takes no more acceptances."""
    assignment = (
        Assignment.objects.select_for_update().select_related("request").filter(token=token).first()
    )
    if assignment is None:
        raise PermissionDenied("assignment")
    if assignment.status != Assignment.Status.OFFERED:
        raise ValidationError(_("You have already answered."))
    found = WayInRequest.objects.select_for_update().get(pk=assignment.request_id)
    if accept and found.status in (WayInRequest.Status.FILLED, WayInRequest.Status.CLOSED):
        raise ValidationError(
            _("Thank you, but the task already has the people it needs. No answer is needed.")
        )
    assignment.status = Assignment.Status.ACCEPTED if accept else Assignment.Status.DECLINED
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["status", "responded_at"])
    if accept:
        accepted = found.assignments.filter(status=Assignment.Status.ACCEPTED).count()
        if accepted >= found.people_needed:
            found.status = WayInRequest.Status.FILLED
            found.save(update_fields=["status"])
    return assignment


def perspective_for(member: PoolMember) -> str:
    if member.experience == Experience.RELATIVE:
        return AuditMember.Perspective.RELATIVE
    return AuditMember.Perspective.USER
