"""Reads for pages, scoped by brukarrevision.permissions."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from brukarrevision import permissions
from brukarrevision.organisations.models import Membership

from .models import Application, Audit, AuditMember, Offer, Phase, PhaseDate, PhaseTransition


def open_offers():
    today = timezone.localdate()
    return (
        Offer.objects.filter(is_open=True)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .select_related("performer")
        .annotate(taken=Count("applications", filter=Q(applications__holds_place=True)))
    )


def with_due_dates(audits):
    """Annotate each audit with the due date of its current phase."""
    due = PhaseDate.objects.filter(audit=OuterRef("pk"), phase=OuterRef("phase")).values("due_on")
    return audits.annotate(current_due_on=Subquery(due[:1]))


def _grouped_by_phase(audits) -> list[tuple[str, list[Audit]]]:
    today = timezone.localdate()
    groups: dict[int, list[Audit]] = defaultdict(list)
    for audit in audits:
        audit.is_overdue = bool(audit.current_due_on and audit.current_due_on < today)
        groups[audit.phase].append(audit)
    return [(Phase(phase).label, groups[phase]) for phase in sorted(groups)]


def start_page(user) -> dict:
    """Everything a person's start page shows, one section per role they hold."""
    memberships = Membership.objects.filter(user=user)
    visible = with_due_dates(permissions.visible_audits(user)).order_by("phase", "title")
    context: dict = {"is_admin": user.is_superuser}
    coordinated = memberships.filter(role=Membership.Role.COORDINATOR).values("organisation")
    if user.is_superuser or coordinated.exists():
        scope = visible if user.is_superuser else visible.filter(performer__in=coordinated)
        audits = list(scope)
        context["coordinator"] = {
            "by_phase": _grouped_by_phase(audits),
            "overdue": [a for a in audits if a.is_overdue],
            "open_applications": permissions.visible_applications(user).filter(
                status__in=[Application.Status.SUBMITTED, Application.Status.WAITING]
            ),
            "offers": (
                Offer.objects.all()
                if user.is_superuser
                else Offer.objects.filter(performer__in=coordinated)
            ).select_related("performer"),
        }
    memberships_of_audits = AuditMember.objects.filter(user=user, role=AuditMember.Role.AUDITOR)
    if memberships_of_audits.exists():
        context["auditor"] = {
            "assignments": memberships_of_audits.select_related("audit", "audit__client").order_by(
                "audit__phase"
            ),
            "training": user.training.all(),
        }
    if memberships.filter(role=Membership.Role.CLIENT_CONTACT).exists():
        clients = memberships.filter(role=Membership.Role.CLIENT_CONTACT).values("organisation")
        context["client"] = {
            "audits": visible.filter(client__in=clients),
            "applications": Application.objects.filter(client__in=clients)
            .select_related("offer", "client")
            .order_by("-submitted_at"),
            "offers": open_offers(),
        }
    if memberships.filter(role=Membership.Role.UNIT_CONTACT).exists():
        units = memberships.filter(role=Membership.Role.UNIT_CONTACT).values("unit")
        context["unit"] = {
            "units": memberships.filter(role=Membership.Role.UNIT_CONTACT).select_related(
                "unit", "organisation"
            ),
            "audits": visible.filter(units__in=units).distinct(),
        }
    return context


def audit_page(audit: Audit) -> dict:
    return {
        "transitions": PhaseTransition.objects.filter(audit=audit).select_related("moved_by"),
        "phase_dates": {d.phase: d for d in audit.phase_dates.all()},
        "units": audit.units.all(),
        "target_groups": audit.target_groups.all(),
        "quotas": audit.quotas.select_related("unit", "target_group"),
        "members": audit.members.select_related("user").prefetch_related(
            Prefetch("user__training")
        ),
    }
