"""Reads for certifications: the checklist in use, the step list, the checklist by quality
area, evidence that can be linked, and the public register. Callers check permissions first
(brukarrevision.permissions), except for the register, which is public."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.analysis.models import Finding
from brukarrevision.councils.models import Issue
from brukarrevision.instruments.models import QualityArea
from brukarrevision.reports.models import Proposal

from .models import Assessment, Certification, Checklist, Criterion, Level

AREA_ORDER = {code: index for index, code in enumerate(QualityArea.values)}
LEVEL_ORDER = {code: index for index, code in enumerate(Level.values)}


def current_checklist(organisation) -> Checklist:
    """The version a new certification of `organisation` starts with: its own newest version,
    or the shipped default's newest."""
    own = Checklist.objects.filter(organisation=organisation).order_by("-version", "-pk").first()
    if own is not None:
        return own
    default = Checklist.objects.filter(organisation__isnull=True).order_by("-version", "-pk")
    if not default.exists():
        # The data migration installs it; a database emptied since then gets it back.
        from . import default_checklist

        return default_checklist.install(Checklist, Criterion)
    return default.first()


def versions(organisation) -> QuerySet[Checklist]:
    return (
        Checklist.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .annotate(criteria_count=Count("criteria", distinct=True))
        .annotate(used=Count("certifications", distinct=True))
        .order_by("organisation_id", "-version", "-pk")
    )


def sorted_criteria(checklist: Checklist) -> list[Criterion]:
    return sorted(
        checklist.criteria.all(),
        key=lambda c: (AREA_ORDER.get(c.quality_area, 99), LEVEL_ORDER[c.level], c.position),
    )


@dataclass
class AreaGroup:
    code: str
    label: str
    rows: list = field(default_factory=list)  # (criterion, assessment or None, evidence count)


def checklist_by_area(certification: Certification) -> list[AreaGroup]:
    """The certification's criteria grouped by quality area, each with its assessment."""
    assessed = {a.criterion_id: a for a in certification.assessments.all()}
    evidence = dict(
        certification.evidence.values_list("criterion_id").annotate(n=Count("pk")).order_by()
    )
    groups: dict[str, AreaGroup] = {}
    for criterion in sorted_criteria(certification.checklist):
        group = groups.setdefault(
            criterion.quality_area,
            AreaGroup(criterion.quality_area, QualityArea(criterion.quality_area).label),
        )
        group.rows.append((criterion, assessed.get(criterion.pk), evidence.get(criterion.pk, 0)))
    return list(groups.values())


def checklist_counts(certification: Certification) -> dict[str, int]:
    total = certification.checklist.criteria.count()
    results = dict(
        certification.assessments.values_list("result").annotate(n=Count("pk")).order_by()
    )
    return {
        "total": total,
        "assessed": sum(results.values()),
        "met": results.get(Assessment.Result.MET, 0),
        "partly": results.get(Assessment.Result.PARTLY, 0),
        "not_met": results.get(Assessment.Result.NOT_MET, 0),
    }


def unplanned_criteria(certification: Certification) -> list[int]:
    """Criteria assessed as not met or partly met that have no action in the plan."""
    planned = set(certification.actions.values_list("criterion_id", flat=True))
    unmet = certification.assessments.exclude(result=Assessment.Result.MET).values_list(
        "criterion_id", flat=True
    )
    return [pk for pk in unmet if pk not in planned]


def linkable_findings(unit) -> QuerySet[Finding]:
    """Findings of audits of the unit whose report is published: those the unit has seen."""
    return (
        Finding.objects.filter(audit__units=unit, audit__report__editions__isnull=False)
        .select_related("audit")
        .distinct()
        .order_by("audit__title", "pk")
    )


def linkable_proposals(unit) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(audit__units=unit, audit__report__editions__isnull=False)
        .select_related("audit")
        .distinct()
        .order_by("audit__title", "number")
    )


def linkable_council_issues(unit) -> QuerySet[Issue]:
    """Issues raised at a council or forum about the unit."""
    return Issue.objects.filter(unit=unit).select_related("body").order_by("-raised_at", "-pk")


def ladder_rounds(certification: Certification) -> list:
    """The unit's participation ladder rounds (app ladder), newest first; none if the app is
    not installed."""
    try:
        from brukarrevision.ladder.selectors import rounds_for_unit
    except ImportError:
        return []
    return list(rounds_for_unit(certification.unit)[:5])


@dataclass
class Step:
    key: str
    label: str
    done: bool
    detail: str
    url: str
    optional: bool = False
    current: bool = False


def steps(certification: Certification) -> list[Step]:
    """The certification's steps in order, each done or not, with a short status."""
    pk = certification.pk
    counts = checklist_counts(certification)
    meeting = getattr(certification, "meeting", None)
    check_ins = certification.check_ins.count()
    actions = certification.actions.count()
    ladder = ladder_rounds(certification)
    certified = certification.certified_on is not None
    follow_ups = list(certification.follow_ups.all())
    next_follow_up = next((f for f in follow_ups if f.done_on is None), None)

    def at(name):
        return reverse(f"certification:{name}", args=[pk])

    if certification.accepted_on:
        offer_detail = _("Accepted on %(date)s") % {"date": _date(certification.accepted_on)}
    elif certification.status == Certification.Status.DECLINED:
        offer_detail = _("Declined")
    else:
        offer_detail = _("Offered on %(date)s, waiting for the unit's answer") % {
            "date": _date(certification.offered_on)
        }
    decision_detail = (
        certification.get_decision_display() + " " + _date(certification.decided_on)
        if certification.decision
        else _("Not decided yet")
    )
    found = [
        Step(
            "offer",
            _("Offer and acceptance"),
            bool(certification.accepted_on),
            offer_detail,
            certification.get_absolute_url() + "#offer",
        ),
        Step(
            "meeting",
            _("Information meeting"),
            meeting is not None,
            _date(meeting.held_on) if meeting else _("Not held yet"),
            at("meeting"),
        ),
        Step(
            "checklist",
            _("Checklist work"),
            counts["total"] > 0 and counts["assessed"] == counts["total"],
            _("%(assessed)s of %(total)s criteria assessed") % counts,
            at("checklist"),
        ),
        Step(
            "ladder",
            _("Participation ladder (optional)"),
            bool(ladder),
            _("%(n)s rounds") % {"n": len(ladder)} if ladder else _("No rounds yet"),
            certification.get_absolute_url() + "#ladder",
            optional=True,
        ),
        Step(
            "check_ins",
            _("Check-ins"),
            check_ins > 0,
            _("%(n)s held") % {"n": check_ins},
            at("check_ins"),
        ),
        Step(
            "actions",
            _("Action plan"),
            counts["assessed"] == counts["total"]
            and counts["total"] > 0
            and not unplanned_criteria(certification),
            _("%(n)s actions") % {"n": actions},
            at("actions"),
        ),
        Step(
            "decision",
            _("Presentation and decision"),
            certification.decision == Certification.Decision.CERTIFIED,
            decision_detail,
            at("decision"),
        ),
        Step(
            "certificate",
            _("Certificate"),
            certified,
            _("Valid until %(date)s") % {"date": _date(certification.valid_until)}
            if certified
            else _("Not issued yet"),
            certification.get_absolute_url() + "#certificate",
        ),
        Step(
            "follow_ups",
            _("Follow-ups"),
            certified and next_follow_up is None,
            _("Next due %(date)s") % {"date": _date(next_follow_up.due_on)}
            if next_follow_up
            else (_("All done") if certified else _("After the certificate")),
            at("follow_ups"),
        ),
    ]
    for step in found:
        if not step.done and not step.optional:
            step.current = True
            break
    return found


def _date(day: datetime.date | None) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT") if day else "–"


def register(today: datetime.date | None = None) -> QuerySet[Certification]:
    """The public register: certificates valid today."""
    today = today or timezone.localdate()
    return (
        Certification.objects.filter(status=Certification.Status.CERTIFIED, valid_until__gte=today)
        .select_related("unit", "unit__client", "performer")
        .order_by("unit__client__name", "unit__name")
    )


def lapsed_register() -> QuerySet[Certification]:
    """Units whose certificate lapsed and has not been renewed, so the register is honest
    about certificates no longer valid."""
    return (
        Certification.objects.filter(status=Certification.Status.LAPSED, renewal__isnull=True)
        .select_related("unit", "unit__client", "performer")
        .order_by("unit__client__name", "unit__name")
    )


def participating_users_note(certification: Certification) -> QuerySet:
    return certification.participants.select_related("user").order_by("role", "user__full_name")
