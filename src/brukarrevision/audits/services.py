"""Every write to applications, audits, plans and teams. Views call these; they check
permission through brukarrevision.permissions and work inside one transaction."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.organisations.models import Membership, Organisation, Unit
from brukarrevision.permissions import Action, can

from . import checklists, rules, tasks
from .models import (
    Application,
    Audit,
    AuditMember,
    ChecklistTick,
    Offer,
    Phase,
    PhaseDate,
    PhaseTransition,
    Quota,
    TargetGroup,
    TrainingRecord,
)


def _require(user, action: Action, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(action)


# Phase 0: applications -------------------------------------------------------------------


@transaction.atomic
def submit_application(
    *, user, offer: Offer, client: Organisation, units: list[Unit], answers: dict[str, str]
) -> Application:
    """Places are taken first come, first served; when the offer is full the application
    goes on the waiting list."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _require(user, Action.APPLY_TO_OFFER, offer)
    _require(user, Action.APPLY_FOR_CLIENT, client)
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    if any(unit.client_id != client.pk for unit in units):
        raise ValidationError({"units": _("Choose units of your own organisation.")})
    _refuse_duplicate(offer, client, units)
    left = offer.places_left()
    has_place = left is None or left > 0
    application = Application.objects.create(
        offer=offer,
        client=client,
        submitted_by=user,
        status=Application.Status.SUBMITTED if has_place else Application.Status.WAITING,
        holds_place=has_place,
        **answers,
    )
    application.units.set(units)
    transaction.on_commit(lambda: tasks.notify_application_submitted.enqueue(application.pk))
    return application


def open_applications_for(offer: Offer, client: Organisation, units: list[Unit] | None = None):
    """The client's applications to `offer` still waiting for a decision (submitted or on
    the waiting list), those naming any of `units` if given."""
    found = Application.objects.filter(
        offer=offer,
        client=client,
        status__in=[Application.Status.SUBMITTED, Application.Status.WAITING],
    )
    if units is not None:
        found = found.filter(units__in=units).distinct()
    return found.order_by("submitted_at", "pk")


def _refuse_duplicate(offer: Offer, client: Organisation, units: list[Unit]) -> None:
    """A second application for the same units while the first waits for a decision would
    take a second limited place, or push another client down the waiting list. It is
    refused (not merged: the first application's answers were what the coordinator read),
    with a message that names the units and the earlier application. The offer row is
    locked by the caller, so two applications sent at the same moment are seen in turn."""
    earlier = open_applications_for(offer, client, units).prefetch_related("units").first()
    if earlier is None:
        return
    chosen = {unit.pk for unit in units}
    both = sorted(unit.name for unit in earlier.units.all() if unit.pk in chosen)
    raise ValidationError(
        {
            "units": _(
                "%(client)s has already applied to this offer for %(units)s, on %(date)s. "
                "That application is waiting for a decision and keeps its place, so you do "
                "not need to apply again. Choose other units, or wait for the decision."
            )
            % {
                "client": client.name,
                "units": ", ".join(both),
                "date": formats.date_format(
                    timezone.localtime(earlier.submitted_at), "DATE_FORMAT"
                ),
            }
        },
        code="duplicate",
    )


@transaction.atomic
def accept_application(*, user, application: Application, message: str) -> Audit:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(user, Action.DECIDE_APPLICATION, application)
    if not application.holds_place:
        offer = Offer.objects.select_for_update().get(pk=application.offer_id)
        if offer.places_left() == 0:
            raise ValidationError(
                _(
                    "All places of this offer are taken. Decline another application first, "
                    "or add places to the offer."
                )
            )
    application.holds_place = True
    _decide(application, user, Application.Status.ACCEPTED, message)
    audit = _create_audit(application, user)
    transaction.on_commit(lambda: tasks.notify_application_decided.enqueue(application.pk))
    return audit


@transaction.atomic
def decline_application(*, user, application: Application, message: str) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(user, Action.DECIDE_APPLICATION, application)
    if not message.strip():
        raise ValidationError({"message": _("Tell the client why the application is declined.")})
    released = application.holds_place
    application.holds_place = False
    _decide(application, user, Application.Status.DECLINED, message)
    if released:
        _give_place_to_next(application.offer_id)
    transaction.on_commit(lambda: tasks.notify_application_decided.enqueue(application.pk))
    return application


def _decide(application: Application, user, status: str, message: str) -> None:
    application.status = status
    application.decision_message = message.strip()
    application.decided_by = user
    application.decided_at = timezone.now()
    application.save()


def _give_place_to_next(offer_id: int) -> None:
    waiting = (
        Application.objects.select_for_update()
        .filter(offer_id=offer_id, status=Application.Status.WAITING)
        .order_by("submitted_at", "pk")
        .first()
    )
    if waiting:
        waiting.status = Application.Status.SUBMITTED
        waiting.holds_place = True
        waiting.save(update_fields=["status", "holds_place"])


def _unique_slug(base: str) -> str:
    base = slugify(base)[:50] or "audit"
    slug, n = base, 2
    while Audit.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _create_audit(application: Application, user) -> Audit:
    units = list(application.units.all())
    year = timezone.localdate().year
    audit = Audit.objects.create(
        slug=_unique_slug(f"{application.client.name}-{year}"),
        title=_("User audit of %(units)s") % {"units": ", ".join(u.name for u in units)},
        performer=application.offer.performer,
        client=application.client,
        application=application,
        phase=Phase.PLANNING,
        municipalities=", ".join(sorted({u.municipality for u in units})),
    )
    audit.units.set(units)
    PhaseTransition.objects.create(
        audit=audit,
        from_phase=Phase.APPLICATION,
        to_phase=Phase.PLANNING,
        moved_by=user,
        reason=_("Application accepted.")
        + (f" {application.decision_message}" if application.decision_message else ""),
    )
    if Membership.objects.filter(
        user=user, organisation=audit.performer, role=Membership.Role.COORDINATOR
    ).exists():
        AuditMember.objects.create(
            audit=audit, user=user, role=AuditMember.Role.COORDINATOR, added_by=user
        )
        _log_team(SecurityEvent.Kind.ROLE_GRANTED, user, audit, user, AuditMember.Role.COORDINATOR)
    return audit


# Phase 1: the plan -----------------------------------------------------------------------


@transaction.atomic
def update_plan(
    *,
    user,
    audit: Audit,
    units: list[Unit],
    municipalities: str,
    method: str,
    budget_sek: Decimal | None,
    informs_users: str,
    informs_staff: str,
) -> Audit:
    _require(user, Action.EDIT_PLAN, audit)
    if any(unit.client_id != audit.client_id for unit in units):
        raise ValidationError({"units": _("Choose units of the client organisation.")})
    try:
        rules.check_budget(budget_sek)
    except ValidationError as error:
        raise ValidationError({"budget_sek": error}) from None
    audit.municipalities = municipalities.strip()
    audit.method = method
    audit.budget_sek = budget_sek
    audit.informs_users = informs_users.strip()
    audit.informs_staff = informs_staff.strip()
    audit.save()
    audit.units.set(units)
    audit.quotas.exclude(unit__in=units).delete()
    return audit


@transaction.atomic
def add_target_group(*, user, audit: Audit, name: str, kind: str) -> TargetGroup:
    _require(user, Action.EDIT_PLAN, audit)
    name = name.strip()
    if audit.target_groups.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("The audit already has a target group with this name.")})
    return TargetGroup.objects.create(audit=audit, name=name, kind=kind)


@transaction.atomic
def remove_target_group(*, user, audit: Audit, target_group_id: int) -> None:
    _require(user, Action.EDIT_PLAN, audit)
    audit.target_groups.filter(pk=target_group_id).delete()


@transaction.atomic
def set_quotas(*, user, audit: Audit, quotas: dict[tuple[int, int], int | None]) -> None:
    """`quotas` maps (unit id, target group id) to respondents sought; None or 0 removes."""
    _require(user, Action.EDIT_PLAN, audit)
    unit_ids = set(audit.units.values_list("pk", flat=True))
    group_ids = set(audit.target_groups.values_list("pk", flat=True))
    for (unit_id, group_id), target in quotas.items():
        if unit_id not in unit_ids or group_id not in group_ids:
            raise ValidationError(_("The sample plan names a unit or group outside the audit."))
        if target:
            Quota.objects.update_or_create(
                audit=audit,
                unit_id=unit_id,
                target_group_id=group_id,
                defaults={"target": target},
            )
        else:
            Quota.objects.filter(audit=audit, unit_id=unit_id, target_group_id=group_id).delete()


@transaction.atomic
def set_timeline(
    *,
    user,
    audit: Audit,
    dates: dict[int, tuple[datetime.date | None, datetime.date | None]],
) -> None:
    _require(user, Action.EDIT_PLAN, audit)
    for phase, (starts_on, due_on) in dates.items():
        try:
            for value in (starts_on, due_on):
                if value is not None:
                    rules.check_date(value)
            rules.check_period(starts_on, due_on)
        except ValidationError as error:
            raise ValidationError(
                _("%(phase)s: %(error)s")
                % {"phase": Phase(phase).label, "error": " ".join(error.messages)}
            ) from None
        PhaseDate.objects.update_or_create(
            audit=audit, phase=phase, defaults={"starts_on": starts_on, "due_on": due_on}
        )


class PlanNotSaved(ValidationError):
    """The plan was not saved; `by_section` holds each section's error."""

    def __init__(self, by_section: dict[str, ValidationError]):
        self.by_section = by_section
        super().__init__([message for e in by_section.values() for message in e.messages])


def save_plan(
    *,
    user,
    audit: Audit,
    scope: dict,
    remove_groups: list[TargetGroup],
    new_group: tuple[str, str] | None,
    quotas: dict[tuple[int, int], int | None],
    dates: dict[int, tuple[datetime.date | None, datetime.date | None]],
) -> None:
    """The whole plan in one transaction: scope and method, target groups, sample plan and
    timeline. If any section is refused nothing is saved, and PlanNotSaved names every
    refused section. Quotas of units or groups removed in the same save are dropped."""
    _require(user, Action.EDIT_PLAN, audit)
    errors: dict[str, ValidationError] = {}

    def groups():
        for group in remove_groups:
            remove_target_group(user=user, audit=audit, target_group_id=group.pk)
        if new_group:
            add_target_group(user=user, audit=audit, name=new_group[0], kind=new_group[1])

    def sample_plan():
        units = set(audit.units.values_list("pk", flat=True))
        kept = set(audit.target_groups.values_list("pk", flat=True))
        set_quotas(
            user=user,
            audit=audit,
            quotas={key: n for key, n in quotas.items() if key[0] in units and key[1] in kept},
        )

    steps = [
        ("plan", lambda: update_plan(user=user, audit=audit, **scope)),
        ("groups", groups),
        ("quota", sample_plan),
        ("timeline", lambda: set_timeline(user=user, audit=audit, dates=dates)),
    ]
    try:
        with transaction.atomic():
            for section, step in steps:
                try:
                    with transaction.atomic():
                        step()
                except ValidationError as error:
                    errors[section] = error
            if errors:
                raise PlanNotSaved(errors)
    except PlanNotSaved:
        audit.refresh_from_db()
        raise


# Phase 2: the team -----------------------------------------------------------------------


@transaction.atomic
def add_auditor(
    *, user, audit: Audit, auditor, perspective: str, declares_not_current_user: bool
) -> AuditMember:
    """Refused unless the auditor declares they are not a current user of the audited units."""
    _require(user, Action.MANAGE_TEAM, audit)
    if not declares_not_current_user:
        raise ValidationError(
            {
                "declares_not_current_user": _(
                    "An auditor who is a current user of an audited unit cannot be assigned."
                )
            }
        )
    if not Membership.objects.filter(
        user=auditor, organisation=audit.performer, role=Membership.Role.AUDITOR
    ).exists():
        raise ValidationError({"auditor": _("Choose an auditor from the organisation's pool.")})
    if audit.members.filter(user=auditor).exists():
        raise ValidationError({"auditor": _("This person is already in the team.")})
    member = AuditMember.objects.create(
        audit=audit,
        user=auditor,
        role=AuditMember.Role.AUDITOR,
        perspective=perspective,
        declared_not_current_user_at=timezone.now(),
        added_by=user,
    )
    _log_team(SecurityEvent.Kind.ROLE_GRANTED, user, audit, auditor, AuditMember.Role.AUDITOR)
    return member


def _log_team(kind: str, user, audit: Audit, subject, role: str, extra: str = "") -> None:
    """Who changed whose place in an audit's team, in the security log."""
    detail = f"{role} in audit {audit.slug}" + (f", {extra}" if extra else "")
    record_event(kind, user=user, audit=audit, subject=subject, detail=detail)


@transaction.atomic
def set_coordinator(*, user, audit: Audit, coordinator) -> AuditMember:
    _require(user, Action.MANAGE_TEAM, audit)
    if not Membership.objects.filter(
        user=coordinator, organisation=audit.performer, role=Membership.Role.COORDINATOR
    ).exists():
        raise ValidationError({"coordinator": _("Choose a coordinator of the organisation.")})
    if audit.members.filter(user=coordinator, role=AuditMember.Role.AUDITOR).exists():
        raise ValidationError({"coordinator": _("This person is an auditor in the team.")})
    replaced = audit.members.filter(role=AuditMember.Role.COORDINATOR).exclude(user=coordinator)
    for earlier in replaced.select_related("user"):
        earlier.delete()
        _log_team(SecurityEvent.Kind.ROLE_REMOVED, user, audit, earlier.user, earlier.role)
    member, created = AuditMember.objects.get_or_create(
        audit=audit,
        user=coordinator,
        defaults={"role": AuditMember.Role.COORDINATOR, "added_by": user},
    )
    if created:
        _log_team(SecurityEvent.Kind.ROLE_GRANTED, user, audit, coordinator, member.role)
    return member


@transaction.atomic
def remove_member(*, user, audit: Audit, member_id: int) -> None:
    _require(user, Action.MANAGE_TEAM, audit)
    member = audit.members.select_related("user").filter(pk=member_id).first()
    if member is not None:
        member.delete()
        _log_team(SecurityEvent.Kind.ROLE_REMOVED, user, audit, member.user, member.role)


@transaction.atomic
def record_training(*, user, audit: Audit, auditor, topic: str, completed_on: datetime.date):
    _require(user, Action.MANAGE_TEAM, audit)
    if not audit.members.filter(user=auditor).exists():
        raise ValidationError({"auditor": _("Choose someone in the team.")})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The date cannot be in the future.")})
    try:
        rules.check_date(completed_on)
    except ValidationError as error:
        raise ValidationError({"completed_on": error}) from None
    record, _created = TrainingRecord.objects.update_or_create(
        user=auditor, topic=topic, defaults={"completed_on": completed_on, "recorded_by": user}
    )
    record_event(
        SecurityEvent.Kind.TRAINING_RECORDED,
        user=user,
        audit=audit,
        subject=auditor,
        detail=f"{topic} completed on {completed_on.isoformat()}",
    )
    return record


@transaction.atomic
def sign_pledge(*, user, audit: Audit) -> AuditMember:
    _require(user, Action.SIGN_PLEDGE, audit)
    member = audit.members.select_for_update().get(user=user)
    if member.pledge_signed_at is None:
        member.pledge_signed_at = timezone.now()
        member.save(update_fields=["pledge_signed_at"])
        record_event(
            SecurityEvent.Kind.PLEDGE_SIGNED,
            user=user,
            audit=audit,
            subject=user,
            detail=f"{member.role} in audit {audit.slug}",
        )
    return member


# Phases and checklists -------------------------------------------------------------------


@transaction.atomic
def set_tick(*, user, audit: Audit, key: str, done: bool) -> None:
    _require(user, Action.TICK_CHECKLIST, audit)
    if checklists.manual_item(audit.phase, key) is None:
        raise ValidationError(_("This item is not on the checklist of the current phase."))
    if done:
        ChecklistTick.objects.get_or_create(audit=audit, key=key, defaults={"done_by": user})
    else:
        ChecklistTick.objects.filter(audit=audit, key=key).delete()


@transaction.atomic
def move_phase(*, user, audit: Audit, to_phase: int, reason: str) -> PhaseTransition:
    """Forward one phase at a time once the checklist is complete; back to any earlier
    phase. Every move is recorded with who, when and why."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _require(user, Action.CHANGE_PHASE, audit)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the audit moves.")})
    if to_phase == audit.phase or not Phase.PLANNING <= to_phase <= Phase.CLOSED:
        raise ValidationError({"to_phase": _("Choose another phase.")})
    if to_phase > audit.phase:
        if to_phase != audit.phase + 1:
            raise ValidationError({"to_phase": _("An audit moves forward one phase at a time.")})
        if not checklists.is_complete(audit):
            raise ValidationError(_("Finish the checklist of the current phase before moving on."))
    transition = PhaseTransition.objects.create(
        audit=audit,
        from_phase=audit.phase,
        to_phase=to_phase,
        moved_by=user,
        reason=reason.strip(),
    )
    audit.phase = to_phase
    audit.save(update_fields=["phase"])
    if to_phase == Phase.COLLECTION:
        from brukarrevision.instruments.services import freeze_for_collection

        freeze_for_collection(user=user, audit=audit)
    return transition


@transaction.atomic
def save_offer(*, user, performer: Organisation, offer: Offer | None = None, **fields) -> Offer:
    offer = offer or Offer(performer=performer)
    if not (
        user.is_superuser
        or performer.memberships.filter(user=user, role=Membership.Role.COORDINATOR).exists()
    ):
        raise PermissionDenied(Action.MANAGE_OFFER)
    for name, value in fields.items():
        setattr(offer, name, value)
    if offer.closes_on is not None:
        try:
            rules.check_date(offer.closes_on)
        except ValidationError as error:
            raise ValidationError({"closes_on": error}) from None
    if offer.pk and offer.places is not None and offer.places < offer.places_taken():
        raise ValidationError({"places": _("More places are already taken than this number.")})
    offer.save()
    return offer
