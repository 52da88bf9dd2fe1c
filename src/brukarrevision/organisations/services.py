"""Granting and ending roles in organisations. Every grant and every ending goes through
here, checks who may do it and what fits the organisation, and is written to the security
log (who, to whom, what, when, from where). The admin calls these too."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.permissions import Action, can

from .models import Membership, Organisation, Unit

PERFORMER_ROLES = {Membership.Role.COORDINATOR, Membership.Role.AUDITOR}
CLIENT_ROLES = {Membership.Role.CLIENT_CONTACT, Membership.Role.UNIT_CONTACT}


def _describe(membership: Membership) -> str:
    text = f"{membership.role} in {membership.organisation.name}"
    if membership.unit_id:
        text += f", unit {membership.unit.name}"
    return text


def check_grant(*, organisation: Organisation, role: str, unit: Unit | None = None) -> None:
    """The rules of a role, whoever grants it: a coordinator or an auditor belongs to a user
    organisation, a client contact or a unit contact to a client organisation, and a unit
    contact names a unit of that organisation (only a unit contact names a unit)."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role in PERFORMER_ROLES and organisation.is_client:
        raise ValidationError(
            {"role": _("Coordinators and auditors belong to a user organisation.")}
        )
    if role in CLIENT_ROLES and not organisation.is_client:
        raise ValidationError(
            {"role": _("Client contacts and unit contacts belong to a client organisation.")}
        )
    if role == Membership.Role.UNIT_CONTACT:
        if unit is None or unit.client_id != organisation.pk:
            raise ValidationError({"unit": _("Choose a unit of this organisation.")})
    elif unit is not None:
        raise ValidationError({"unit": _("Only unit contacts are tied to a unit.")})


@transaction.atomic
def grant_membership(
    *, by, user, organisation: Organisation, role: str, unit: Unit | None = None, request=None
) -> Membership:
    """Give `user` a role in `organisation`. Only an administrator or that organisation's
    coordinator may; the grant is logged with who gave it and to whom."""
    if not can(by, Action.MANAGE_MEMBERS, organisation):
        raise PermissionDenied(Action.MANAGE_MEMBERS)
    check_grant(organisation=organisation, role=role, unit=unit)
    if Membership.objects.filter(
        user=user, organisation=organisation, role=role, unit=unit
    ).exists():
        raise ValidationError(_("This person already has this role."))
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, unit=unit
    )
    record_event(
        SecurityEvent.Kind.ROLE_GRANTED,
        request=request,
        user=by,
        subject=user,
        detail=_describe(membership),
    )
    return membership


@transaction.atomic
def end_membership(*, by, membership: Membership, request=None) -> None:
    """End a role. Only an administrator or the organisation's coordinator may; logged."""
    if not can(by, Action.MANAGE_MEMBERS, membership.organisation):
        raise PermissionDenied(Action.MANAGE_MEMBERS)
    detail = _describe(membership)
    subject = membership.user
    membership.delete()
    record_event(
        SecurityEvent.Kind.ROLE_REMOVED,
        request=request,
        user=by,
        subject=subject,
        detail=detail,
    )
