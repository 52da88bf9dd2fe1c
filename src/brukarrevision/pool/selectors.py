"""Reads for the pool, its courses and the way-in queue. Views check may_manage_pool first."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from brukarrevision.audits.models import Audit, AuditMember, Phase
from brukarrevision.organisations.models import Organisation, Unit
from brukarrevision.permissions import Action, can

from .models import Assignment, Course, Experience, Participant, PoolMember, WayInRequest


def pool(
    organisation: Organisation,
    *,
    experience: str = "",
    language: str = "",
    available: bool = False,
    may_audit: Unit | None = None,
) -> list[PoolMember]:
    """The organisation's pool (erased people left out), filtered."""
    members = (
        PoolMember.objects.filter(organisation=organisation, erased_at__isnull=True)
        .select_related("user")
        .prefetch_related("not_to_audit")
    )
    if experience:
        members = members.filter(experience__in=[experience, Experience.BOTH])
    if language.strip():
        members = members.filter(languages__icontains=language.strip())
    if available:
        members = members.filter(available=True)
    found = list(members)
    if may_audit is not None:
        found = [m for m in found if not _barred(m, may_audit)]
    return found


def _barred(member: PoolMember, unit: Unit) -> bool:
    """As PoolMember.barred_from, on the prefetched units (no query per person)."""
    if unit.service_type in (member.not_to_audit_service_types or []):
        return True
    return any(barred.pk == unit.pk for barred in member.not_to_audit.all())


def erased_count(organisation: Organisation) -> int:
    return PoolMember.objects.filter(organisation=organisation, erased_at__isnull=False).count()


def units_for_filter() -> QuerySet[Unit]:
    return Unit.objects.select_related("client").order_by("client__name", "name")


@dataclass
class History:
    audits: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    courses: list = field(default_factory=list)
    training: list = field(default_factory=list)


def history(member: PoolMember) -> History:
    """The person's audits (as a team member), assignments and courses over time."""
    found = History()
    if member.user_id:
        found.audits = list(
            AuditMember.objects.filter(user=member.user)
            .select_related("audit", "audit__client")
            .order_by("-added_at")
        )
        found.training = list(member.user.training.all())
    found.assignments = list(member.assignments.select_related("request").order_by("-offered_at"))
    found.courses = list(
        member.course_places.select_related("course").order_by("-course__created_at")
    )
    return found


def assignable_audits(user, organisation: Organisation) -> list[Audit]:
    """The organisation's open audits whose team `user` may change."""
    audits = Audit.objects.filter(performer=organisation).exclude(phase=Phase.CLOSED)
    return [audit for audit in audits.order_by("title") if can(user, Action.MANAGE_TEAM, audit)]


# Courses -------------------------------------------------------------------------------------


def courses(organisation: Organisation) -> QuerySet[Course]:
    return Course.objects.filter(organisation=organisation).annotate(
        participant_count=Count("participants", distinct=True),
        session_count=Count("sessions", distinct=True),
        completed_count=Count(
            "participants", filter=Q(participants__completed_on__isnull=False), distinct=True
        ),
    )


def course_page(course: Course) -> dict:
    sessions = list(course.sessions.all())
    participants = list(
        course.participants.select_related("member", "member__user").prefetch_related("attendance")
    )
    attended = {(a.session_id, p.pk) for p in participants for a in p.attendance.all()}
    rows = []
    for participant in participants:
        rows.append(
            {
                "participant": participant,
                "attended": [(s, (s.pk, participant.pk) in attended) for s in sessions],
            }
        )
    return {
        "sessions": [
            {
                "session": session,
                "present": {p.pk for p in participants if (session.pk, p.pk) in attended},
            }
            for session in sessions
        ],
        "rows": rows,
        "participants": participants,
    }


@dataclass
class YearTotals:
    year: int
    trained_auditors: int = 0
    trained_coordinators: int = 0
    audits: int = 0
    audits_reported: int = 0
    municipalities: list[str] = field(default_factory=list)


def yearly_totals(organisation: Organisation) -> list[YearTotals]:
    """Per year: people who completed a course (as auditors or coordinators), audits begun
    and reported, and the municipalities of the audited units. The project records a unit's
    municipality, not its county, so municipalities are what is counted."""
    years: dict[int, YearTotals] = {}

    def year(number: int) -> YearTotals:
        return years.setdefault(number, YearTotals(number))

    completions = (
        Participant.objects.filter(course__organisation=organisation, completed_on__isnull=False)
        .values_list("completed_on__year", "role")
        .annotate(n=Count("member", distinct=True))
    )
    for number, role, count in completions:
        if role == Participant.Role.COORDINATOR:
            year(number).trained_coordinators += count
        else:
            year(number).trained_auditors += count
    places: dict[int, set[str]] = defaultdict(set)
    audits = Audit.objects.filter(performer=organisation).prefetch_related(
        Prefetch("units", queryset=Unit.objects.only("municipality"))
    )
    for audit in audits:
        totals = year(audit.created_at.year)
        totals.audits += 1
        if audit.phase >= Phase.FEEDBACK:
            totals.audits_reported += 1
        places[audit.created_at.year].update(unit.municipality for unit in audit.units.all())
    for number, names in places.items():
        year(number).municipalities = sorted(names)
    return [years[number] for number in sorted(years, reverse=True)]


# One way in ----------------------------------------------------------------------------------


def queue(organisation: Organisation) -> QuerySet[WayInRequest]:
    return WayInRequest.objects.filter(organisation=organisation).annotate(
        offered=Count("assignments"),
        accepted=Count("assignments", filter=Q(assignments__status=Assignment.Status.ACCEPTED)),
    )


def suggestions(found: WayInRequest) -> list[PoolMember]:
    """People to offer the task to: consent given, taking assignments, with the experience
    asked for, not barred from the unit or its kind of service, and not yet asked."""
    members = (
        PoolMember.objects.filter(
            organisation=found.organisation,
            erased_at__isnull=True,
            consent_given_at__isnull=False,
            available=True,
        )
        .exclude(assignments__request=found)
        .prefetch_related("not_to_audit")
    )
    if found.experience_wanted and found.experience_wanted != Experience.BOTH:
        members = members.filter(experience__in=[found.experience_wanted, Experience.BOTH])
    result = []
    for member in members:
        if found.unit_id and _barred(member, found.unit):
            continue
        if found.service_type and found.service_type in (member.not_to_audit_service_types or []):
            continue
        result.append(member)
    return result
