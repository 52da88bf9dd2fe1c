"""The start page: what each person has to do now, one section per role they hold.

Every read is scoped by brukarrevision.permissions: audits through `visible_audits`,
applications through `visible_applications`, and each task that is an action (deciding,
releasing, publishing, coding, answering) is shown only where `permissions.can` allows it.
Candidates are found with a few queries per section, whatever the number of audits; `can`
is asked only about the few that need something done.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brukarrevision import permissions
from brukarrevision.analysis.models import Coding
from brukarrevision.audits.models import (
    Application,
    Audit,
    AuditMember,
    Method,
    Offer,
    Phase,
    PhaseDate,
)
from brukarrevision.audits.selectors import open_offers
from brukarrevision.collection.models import Answer, Interview, Response
from brukarrevision.followup.models import Action as PlannedAction
from brukarrevision.instruments.models import Item
from brukarrevision.organisations.models import Membership
from brukarrevision.permissions import Action, can
from brukarrevision.reports.models import Proposal, Report

# Phases in which coding free text is part of the work.
CODING_PHASES = (Phase.COLLECTION, Phase.ANALYSIS, Phase.REPORT)
# Phases in which the unit is asked to answer proposals.
ANSWERING_PHASES = (Phase.FEEDBACK, Phase.FOLLOW_UP)
# Methods in which the unit passes on people willing to be interviewed.
INTERVIEW_METHODS = (Method.INTERVIEWS, Method.FOCUS_GROUPS, Method.MIXED)


@dataclass
class Task:
    """One thing to do: a link to the page where it is done."""

    text: str
    url: str
    audit: Audit | None = None
    detail: str = ""
    when: datetime.date | datetime.datetime | None = None
    when_label: str = ""
    overdue: bool = False
    with_time: bool = False  # show the time of day too (interviews)
    todo: bool = True  # False for what is only for information (a decided application)

    @property
    def when_format(self) -> str:
        return "DATETIME_FORMAT" if self.with_time else "DATE_FORMAT"


@dataclass
class TaskGroup:
    key: str
    title: str
    empty: str
    tasks: list[Task] = field(default_factory=list)
    hide_when_empty: bool = False


def start_page(user) -> dict:
    """Everything a person's start page shows, one section per role they hold."""
    today = timezone.localdate()
    memberships = list(Membership.objects.filter(user=user).select_related("organisation", "unit"))
    roles = {m.role for m in memberships}
    visible = permissions.visible_audits(user)
    context: dict = {"is_admin": user.is_superuser, "today": today}
    if user.is_superuser or Membership.Role.COORDINATOR in roles:
        context["coordinator"] = _coordinator(user, memberships, visible, today)
    if AuditMember.objects.filter(user=user, role=AuditMember.Role.AUDITOR).exists():
        context["auditor"] = _auditor(user, visible, today)
    if Membership.Role.CLIENT_CONTACT in roles:
        context["client"] = _client(user, memberships, visible, today)
    if Membership.Role.UNIT_CONTACT in roles:
        context["unit"] = _unit(user, memberships, visible, today)
    context["task_count"] = sum(
        sum(task.todo for task in group.tasks)
        for section in ("coordinator", "auditor", "client", "unit")
        for group in context.get(section, {}).get("tasks", [])
    )
    return context


def _with_due_dates(audits):
    due = PhaseDate.objects.filter(audit=OuterRef("pk"), phase=OuterRef("phase")).values("due_on")
    return audits.annotate(current_due_on=Subquery(due[:1]))


def _audit_url(audit) -> str:
    return reverse("audits:audit", args=[audit.slug])


# The coordinator ------------------------------------------------------------------------------


def _coordinator(user, memberships, visible, today) -> dict:
    coordinated = [m.organisation_id for m in memberships if m.role == Membership.Role.COORDINATOR]
    scope = visible if user.is_superuser else visible.filter(performer__in=coordinated)
    audits = list(_with_due_dates(scope).order_by("phase", "title"))
    for audit in audits:
        audit.is_overdue = bool(
            audit.current_due_on and audit.current_due_on < today and audit.phase < Phase.CLOSED
        )
    by_phase: dict[int, list[Audit]] = defaultdict(list)
    for audit in audits:
        by_phase[audit.phase].append(audit)
    applications = _applications_to_decide(user, coordinated)
    overdue = [a for a in audits if a.is_overdue]
    groups = [
        TaskGroup(
            "applications",
            _("Applications to decide"),
            _("No applications are waiting."),
            [
                Task(
                    text=f"{a.client} – {a.offer}",
                    url=reverse("audits:application", args=[a.pk]),
                    detail=a.get_status_display(),
                    when=a.submitted_at,
                    when_label=_("Sent"),
                )
                for a in applications
            ],
        ),
        TaskGroup(
            "overdue",
            _("Overdue steps"),
            _("Nothing is overdue."),
            [
                Task(
                    text=audit.title,
                    url=_audit_url(audit),
                    audit=audit,
                    detail=_("%(phase)s should have been done by now.")
                    % {"phase": audit.get_phase_display()},
                    when=audit.current_due_on,
                    when_label=_("Due"),
                    overdue=True,
                )
                for audit in overdue
            ],
        ),
        TaskGroup(
            "releases",
            _("Results to release"),
            _("No results are waiting to be released."),
            _releases_to_make(user, audits),
        ),
        TaskGroup(
            "publish",
            _("Reports to review and publish"),
            _("No report is waiting for review."),
            _reports_to_publish(user, audits),
        ),
    ]
    offers = Offer.objects.select_related("performer").annotate(
        taken=Count("applications", filter=Q(applications__holds_place=True))
    )
    return {
        "tasks": groups,
        "by_phase": [(Phase(phase).label, by_phase[phase]) for phase in sorted(by_phase)],
        "overdue": overdue,
        "offers": offers if user.is_superuser else offers.filter(performer__in=coordinated),
    }


def _applications_to_decide(user, coordinated):
    """Open applications to the offers of the person's organisations (all for an
    administrator): exactly those for which can(DECIDE_APPLICATION) holds."""
    found = permissions.visible_applications(user).filter(
        status__in=[Application.Status.SUBMITTED, Application.Status.WAITING]
    )
    if not user.is_superuser:
        found = found.filter(offer__performer__in=coordinated)
    return found.order_by("submitted_at", "pk")


def _releases_to_make(user, audits) -> list[Task]:
    """Audits whose answers are not all in a release: in analysis or later without any
    release, or with answers that came in after the latest one."""
    candidates = [a for a in audits if Phase.COLLECTION <= a.phase < Phase.CLOSED]
    if not candidates:
        return []
    unreleased = dict(
        Response.objects.filter(audit__in=candidates, releases__isnull=True)
        .values_list("audit")
        .annotate(n=Count("pk"))
    )
    released = set(
        Audit.objects.filter(pk__in=[a.pk for a in candidates], releases__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    tasks = []
    for audit in candidates:
        waiting = unreleased.get(audit.pk, 0)
        never = audit.pk not in released and audit.phase >= Phase.ANALYSIS
        if not (waiting or never) or not can(user, Action.MAKE_RELEASE, audit):
            continue
        if audit.pk in released:
            detail = ngettext(
                "%(n)s answer has come in since the latest release.",
                "%(n)s answers have come in since the latest release.",
                waiting,
            ) % {"n": waiting}
        else:
            detail = _("The results have not been released yet.")
        tasks.append(
            Task(
                text=audit.title,
                url=reverse("releases:new", args=[audit.slug]),
                audit=audit,
                detail=detail,
            )
        )
    return tasks


def _reports_to_publish(user, audits) -> list[Task]:
    reports = Report.objects.filter(
        audit__in=[a.pk for a in audits], status=Report.Status.REVIEW
    ).select_related("audit")
    return [
        Task(
            text=report.audit.title,
            url=reverse("reports:home", args=[report.audit.slug]),
            audit=report.audit,
            detail=_("The report is sent for review."),
        )
        for report in reports
        if can(user, Action.PUBLISH_REPORT, report.audit)
    ]


# The auditor ----------------------------------------------------------------------------------


def _auditor(user, visible, today) -> dict:
    assignments = list(
        AuditMember.objects.filter(user=user, role=AuditMember.Role.AUDITOR, audit__in=visible)
        .select_related("audit", "audit__client")
        .order_by("audit__phase", "audit__title")
    )
    groups = [
        TaskGroup(
            "pledge",
            _("Confidentiality pledge to sign"),
            _("You have signed the pledge in every audit."),
            [
                Task(
                    text=m.audit.title,
                    url=reverse("audits:pledge", args=[m.audit.slug]),
                    audit=m.audit,
                    detail=_("Sign before you can see answers."),
                )
                for m in assignments
                if not m.has_signed_pledge and m.audit.phase < Phase.CLOSED
            ],
            hide_when_empty=True,
        ),
        TaskGroup(
            "interviews",
            _("Interviews you are booked on"),
            _("You are not booked on any interview."),
            _booked_interviews(user, visible, today),
        ),
        TaskGroup(
            "coding",
            _("Answers to code"),
            _("You have coded every answer."),
            _answers_to_code(user, assignments),
        ),
        TaskGroup(
            "writing",
            _("Report texts to write"),
            _("No report is waiting for your texts."),
            _texts_to_write(user, assignments),
        ),
    ]
    return {
        "tasks": groups,
        "assignments": assignments,
        "training": list(user.training.all()),
    }


def _booked_interviews(user, visible, today) -> list[Task]:
    interviews = (
        Interview.objects.filter(
            interviewers=user, status=Interview.Status.BOOKED, audit__in=visible
        )
        .select_related("audit", "unit", "target_group")
        .order_by("starts_at", "pk")
    )
    tasks = []
    for interview in interviews:
        if not can(user, Action.VIEW_RAW_ANSWERS, interview.audit):
            continue  # the pledge comes first; it is listed above
        detail = ", ".join(
            part
            for part in [interview.unit.name, interview.target_group.name, interview.place]
            if part
        )
        tasks.append(
            Task(
                text=_("Interview for %(audit)s") % {"audit": interview.audit.title},
                url=reverse("collection:record", args=[interview.audit.slug, interview.pk]),
                audit=interview.audit,
                detail=detail,
                when=interview.starts_at,
                when_label=_("Time"),
                with_time=True,
                overdue=bool(
                    interview.starts_at and timezone.localtime(interview.starts_at).date() < today
                ),
            )
        )
    return tasks


def _answers_to_code(user, assignments) -> list[Task]:
    audits = [m.audit for m in assignments if m.audit.phase in CODING_PHASES]
    audits = [a for a in audits if can(user, Action.CODE_ANSWERS, a)]
    if not audits:
        return []
    mine = Coding.objects.filter(answer=OuterRef("pk"), coder=user)
    left = dict(
        Answer.objects.filter(response__audit__in=audits, item__kind__in=Item.TEXT_KINDS)
        .exclude(text="")
        .exclude(Exists(mine))
        .values_list("response__audit")
        .annotate(n=Count("pk"))
    )
    tasks = []
    for audit in audits:
        n = left.get(audit.pk, 0)
        if n:
            tasks.append(
                Task(
                    text=audit.title,
                    url=reverse("analysis:coding", args=[audit.slug]) + "?status=uncoded",
                    audit=audit,
                    detail=ngettext(
                        "%(n)s answer you have not coded yet.",
                        "%(n)s answers you have not coded yet.",
                        n,
                    )
                    % {"n": n},
                )
            )
    return tasks


def _texts_to_write(user, assignments) -> list[Task]:
    """Draft reports of the person's audits, with the sections that have no text yet."""
    audits = [m.audit for m in assignments if m.audit.phase < Phase.CLOSED]
    reports = (
        Report.objects.filter(audit__in=audits, status=Report.Status.DRAFT)
        .select_related("audit")
        .annotate(empty=Count("sections", filter=Q(sections__text="")))
    )
    by_audit = {report.audit_id: report for report in reports}
    tasks = []
    for audit in audits:
        report = by_audit.get(audit.pk)
        if report is None and audit.phase != Phase.REPORT:
            continue
        if not can(user, Action.WRITE_REPORT, audit):
            continue
        if report is None:
            detail = _("The report has not been started.")
        elif report.empty:
            detail = ngettext(
                "%(n)s section has no text yet.", "%(n)s sections have no text yet.", report.empty
            ) % {"n": report.empty}
        else:
            detail = _("The draft is ready to be read through and sent for review.")
        tasks.append(
            Task(
                text=audit.title,
                url=reverse("reports:home", args=[audit.slug]),
                audit=audit,
                detail=detail,
            )
        )
    return tasks


# The client -----------------------------------------------------------------------------------


def _client(user, memberships, visible, today) -> dict:
    clients = [m.organisation_id for m in memberships if m.role == Membership.Role.CLIENT_CONTACT]
    audits = list(visible.filter(client__in=clients).order_by("phase", "title"))
    reports = (
        Report.objects.filter(
            audit__in=audits, status__in=[Report.Status.REVIEW, Report.Status.PUBLISHED]
        )
        .select_related("audit")
        .order_by("status", "-published_at")
    )
    report_tasks = []
    for report in reports:
        if report.status == Report.Status.REVIEW:
            detail, when = _("In review: read it before it is published."), None
        else:
            detail, when = _("Published."), report.published_at
        report_tasks.append(
            Task(
                text=report.audit.title,
                url=reverse("reports:home", args=[report.audit.slug]),
                audit=report.audit,
                detail=detail,
                when=when,
                when_label=_("Published") if when else "",
                todo=report.status == Report.Status.REVIEW,
            )
        )
    applications = (
        permissions.visible_applications(user)
        .filter(client__in=clients)
        .select_related("audit")
        .order_by("-submitted_at")
    )
    groups = [
        TaskGroup(
            "proposals",
            _("Proposals to answer"),
            _("Every proposal has an answer."),
            _proposals_to_answer(user, audits),
        ),
        TaskGroup(
            "actions",
            _("Actions in the plan"),
            _("No actions are planned yet."),
            _actions_due(user, audits, today),
        ),
        TaskGroup(
            "reports",
            _("Reports to read"),
            _("No report is in review or published yet."),
            report_tasks,
        ),
        TaskGroup(
            "applications",
            _("Your applications"),
            _("You have not applied for an audit yet."),
            [
                Task(
                    text=str(a.offer),
                    url=reverse("audits:application", args=[a.pk]),
                    detail=a.get_status_display(),
                    when=a.submitted_at,
                    when_label=_("Sent"),
                    todo=False,
                )
                for a in applications
            ],
        ),
    ]
    return {"tasks": groups, "audits": audits, "offers": open_offers()}


def _proposals_to_answer(user, audits) -> list[Task]:
    """Proposals of a report that has been fed back, still without the unit's answer."""
    candidates = [a for a in audits if a.phase in ANSWERING_PHASES]
    candidates = [a for a in candidates if can(user, Action.ANSWER_PROPOSALS, a)]
    proposals = (
        Proposal.objects.filter(audit__in=candidates, answer__isnull=True)
        .select_related("audit")
        .order_by("audit__title", "number")
    )
    return [
        Task(
            text=f"{p.number}. {p.title}",
            url=reverse("followup:proposal", args=[p.audit.slug, p.pk]),
            audit=p.audit,
            detail=p.audit.title,
        )
        for p in proposals
    ]


def _actions_due(user, audits, today) -> list[Task]:
    """Actions of the plan not yet done or stopped, the next due first."""
    candidates = [a for a in audits if a.phase in ANSWERING_PHASES]
    candidates = [a for a in candidates if can(user, Action.ANSWER_PROPOSALS, a)]
    actions = (
        PlannedAction.objects.filter(proposal__audit__in=candidates)
        .exclude(status__in=[PlannedAction.Status.DONE, PlannedAction.Status.STOPPED])
        .select_related("proposal__audit")
        .order_by("due_on", "pk")
    )
    return [
        Task(
            text=action.description,
            url=reverse("followup:action", args=[action.proposal.audit.slug, action.pk]),
            audit=action.proposal.audit,
            detail=_("%(status)s, %(progress)s %% done")
            % {
                "status": action.get_status_display(),
                "progress": action.progress,
            },
            when=action.due_on,
            when_label=_("Due"),
            overdue=action.due_on < today,
        )
        for action in actions
    ]


# The unit contact -----------------------------------------------------------------------------


def _unit(user, memberships, visible, today) -> dict:
    units = [m.unit_id for m in memberships if m.role == Membership.Role.UNIT_CONTACT and m.unit_id]
    audits = list(visible.filter(units__in=units).distinct().order_by("phase", "title"))
    groups = [
        TaskGroup(
            "interviews",
            _("People to pass on for interviews"),
            _("No audit is looking for people to interview right now."),
            _interviews_to_pass_on(user, audits),
        ),
        TaskGroup(
            "proposals",
            _("Proposals to answer"),
            _("Every proposal has an answer."),
            _proposals_to_answer(user, audits),
        ),
        TaskGroup(
            "actions",
            _("Follow-up due"),
            _("No actions are planned yet."),
            _actions_due(user, audits, today),
        ),
    ]
    return {
        "tasks": groups,
        "audits": audits,
        "units": [m for m in memberships if m.role == Membership.Role.UNIT_CONTACT],
    }


def _interviews_to_pass_on(user, audits) -> list[Task]:
    candidates = [
        a for a in audits if a.phase == Phase.COLLECTION and a.method in INTERVIEW_METHODS
    ]
    candidates = [a for a in candidates if can(user, Action.PASS_ON_CONTACTS, a)]
    passed = dict(
        Interview.objects.filter(audit__in=candidates).values_list("audit").annotate(n=Count("pk"))
    )
    return [
        Task(
            text=audit.title,
            url=reverse("collection:interviews", args=[audit.slug]),
            audit=audit,
            detail=ngettext(
                "%(n)s person passed on so far.",
                "%(n)s people passed on so far.",
                passed.get(audit.pk, 0),
            )
            % {"n": passed.get(audit.pk, 0)},
        )
        for audit in candidates
    ]
