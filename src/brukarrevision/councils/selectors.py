"""Reads for councils and forums: representativity, filtered issue lists, exports and the
unit's page. Callers check permissions first (brukarrevision.permissions)."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision import permissions
from brukarrevision.audits.models import Audit
from brukarrevision.lib.spreadsheet import csv_bytes, xlsx_bytes
from brukarrevision.organisations.models import Unit
from brukarrevision.reports.models import Edition

from .models import Body, Issue, Meeting, Member


@dataclass
class Representativity:
    groups_covered: list[str]
    groups_missing: list[str]
    units_covered: list[Unit]
    units_missing: list[Unit]
    members_in_office: int


def representativity(body: Body, on: datetime.date | None = None) -> Representativity:
    """Which groups (users, relatives, organisations) and which units of the body's area its
    members in office cover, and which no member covers."""
    on = on or timezone.localdate()
    members = [m for m in body.members.prefetch_related("units").order_by("pk") if m.in_office(on)]
    represented = {m.represents for m in members}
    covered_units = {unit.pk for m in members for unit in m.units.all()}
    area = list(body.area_units().order_by("name"))
    return Representativity(
        groups_covered=[
            label for value, label in Member.Represents.choices if value in represented
        ],
        groups_missing=[
            label for value, label in Member.Represents.choices if value not in represented
        ],
        units_covered=[u for u in area if u.pk in covered_units],
        units_missing=[u for u in area if u.pk not in covered_units],
        members_in_office=len(members),
    )


def body_page(body: Body) -> dict:
    today = timezone.localdate()
    members = list(body.members.prefetch_related("units").select_related("user"))
    return {
        "members": members,
        "in_office": [m for m in members if m.in_office(today)],
        "former": [m for m in members if not m.in_office(today)],
        "staff": list(body.staff.all()),
        "meetings": list(body.meetings.all()),
        "representativity": representativity(body, today),
        "open_issues": issues(Issue.objects.filter(body=body), {"open": True}),
        "to_report_back": list(
            body.issues.filter(status=Issue.Status.ANSWERED).order_by("answered_at", "pk")
        ),
    }


def meeting_page(meeting: Meeting) -> dict:
    return {
        "raised": list(meeting.raised_issues.select_related("unit", "owner")),
        "reported": list(meeting.reported_issues.select_related("unit")),
        # Answered issues wait to be reported back at the next meeting.
        "to_report_back": list(
            meeting.body.issues.filter(status=Issue.Status.ANSWERED)
            .select_related("unit", "owner")
            .order_by("answered_at", "pk")
        ),
        "members_present": list(meeting.members_present.all()),
        "staff_present": list(meeting.staff_present.all()),
    }


def issues(queryset: QuerySet[Issue], filters: dict) -> QuerySet[Issue]:
    """Issues narrowed by the list's filters: status, quality area, level, unit, overdue."""
    found = queryset.select_related("body", "unit", "owner", "body__organisation")
    if filters.get("status"):
        found = found.filter(status=filters["status"])
    if filters.get("open"):
        found = found.filter(status__in=Issue.OPEN)
    if filters.get("quality_area"):
        found = found.filter(quality_area=filters["quality_area"])
    if filters.get("level"):
        found = found.filter(level=filters["level"])
    if filters.get("unit"):
        found = found.filter(unit=filters["unit"])
    if filters.get("body"):
        found = found.filter(body=filters["body"])
    if filters.get("overdue"):
        found = found.filter(status__in=Issue.OPEN, due_on__lt=timezone.localdate())
    return found.order_by("due_on", "pk")


def organisation_issues(organisation) -> QuerySet[Issue]:
    return Issue.objects.filter(body__organisation=organisation)


def export(found: QuerySet[Issue], fmt: str, name: str) -> tuple[bytes, str]:
    header = [
        _("Number"),
        _("Council"),
        _("Issue"),
        _("Description"),
        _("Source"),
        _("Quality area"),
        _("Level"),
        _("Unit"),
        _("Recipient"),
        _("Owner"),
        _("Raised"),
        _("Answer due"),
        _("Status"),
        _("Answer"),
        _("Reported back on"),
    ]
    rows = [
        [
            issue.pk,
            issue.body.name,
            issue.title,
            issue.text,
            issue.get_source_display(),
            issue.get_quality_area_display(),
            issue.get_level_display(),
            issue.unit.name if issue.unit else "",
            issue.recipient,
            issue.owner.full_name if issue.owner else "",
            timezone.localtime(issue.raised_at).date().isoformat(),
            issue.due_on.isoformat(),
            issue.get_status_display(),
            issue.answer,
            issue.fed_back_on.isoformat() if issue.fed_back_on else "",
        ]
        for issue in found
    ]
    if fmt == "xlsx":
        return xlsx_bytes({_("Issues"): (header, rows)}), f"{name}.xlsx"
    return csv_bytes(header, rows, "excel"), f"{name}.csv"


def bodies_for_unit(unit: Unit) -> QuerySet[Body]:
    """Councils that speak for `unit`: its own, and those of its whole organisation."""
    return Body.objects.filter(
        Q(unit=unit) | Q(unit__isnull=True, organisation_id=unit.client_id)
    ).order_by("unit_id", "name")


def bodies_for_audit(audit: Audit) -> QuerySet[Body]:
    """Councils an audit's proposal can be sent to: the client's and its audited units'."""
    return Body.objects.filter(
        Q(organisation_id=audit.client_id, unit__isnull=True) | Q(unit__in=audit.units.all())
    ).order_by("unit_id", "name")


def unit_page(user, unit: Unit) -> dict:
    """The unit's latest audit (and its public report if published), its council issues
    and its suggestion box together."""
    audits = Audit.objects.filter(units=unit).order_by("-created_at", "-pk")
    latest = audits.first()
    published = latest is not None and Edition.objects.filter(report__audit=latest).exists()
    unit_issues = (
        Issue.objects.filter(unit=unit)
        .select_related("body", "owner")
        .order_by("status", "due_on", "pk")
    )
    context = {
        "unit": unit,
        "latest": latest,
        "may_view_latest": latest is not None
        and permissions.can(user, permissions.Action.VIEW_AUDIT, latest),
        "published": published,
        "issues": [i for i in unit_issues if i.status != Issue.Status.CLOSED],
        "closed_issues": [i for i in unit_issues if i.status == Issue.Status.CLOSED][:10],
        "bodies": list(bodies_for_unit(unit)),
        "suggestions": None,
    }
    if apps.is_installed("brukarrevision.suggestions"):
        Suggestion = apps.get_model("suggestions", "Suggestion")
        approved = Suggestion.objects.filter(unit=unit, status="approved")
        try:
            wall_url = reverse("suggestions:wall", args=[unit.pk])
        except NoReverseMatch:
            wall_url = ""
        context["suggestions"] = {
            "approved": approved.count(),
            "waiting": Suggestion.objects.filter(unit=unit, status="new").count(),
            "wall_url": wall_url,
        }
    return context


def possible_owners(body: Body):
    """People who can own an issue: those with a role in the body's organisation or in the
    user organisation that supports it."""
    from brukarrevision.accounts.models import User

    organisations = [body.organisation_id] + ([body.run_by_id] if body.run_by_id else [])
    return (
        User.objects.filter(is_active=True, memberships__organisation__in=organisations)
        .distinct()
        .order_by("full_name")
    )
