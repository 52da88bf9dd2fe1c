"""Every write of councils and forums: bodies, members and staff, meetings and their
attendance and minutes, and issues raised from raising to reporting back. Each checks the
rules in brukarrevision.permissions; status moves are kept as history."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision import permissions
from brukarrevision.instruments.models import QualityArea
from brukarrevision.organisations.models import Organisation, Unit

from .models import Body, Issue, IssueChange, Level, Meeting, Member, Staff

logger = logging.getLogger(__name__)

# An issue gets an answer within this many days unless a due date is given.
ANSWER_WITHIN_DAYS = 30


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(what)


# Bodies, members and staff ---------------------------------------------------------------------


@transaction.atomic
def create_body(
    *,
    by,
    organisation: Organisation,
    kind: str,
    name: str,
    unit: Unit | None = None,
    run_by: Organisation | None = None,
    purpose: str = "",
) -> Body:
    _require(permissions.may_create_body(by, organisation, unit), "create_body")
    if kind not in Body.Kind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the council a name.")})
    if unit is not None and unit.client_id != organisation.pk:
        raise ValidationError({"unit": _("Choose a unit of this organisation.")})
    if run_by is not None and run_by.is_client:
        raise ValidationError({"run_by": _("Choose a user organisation.")})
    return Body.objects.create(
        organisation=organisation,
        unit=unit,
        run_by=run_by,
        kind=kind,
        name=name.strip(),
        purpose=purpose.strip(),
    )


@transaction.atomic
def add_member(
    *,
    by,
    body: Body,
    name: str,
    represents: str,
    term_from: datetime.date,
    term_to: datetime.date | None = None,
    organisation_name: str = "",
    units=(),
    user=None,
) -> Member:
    _require(permissions.may_manage_body(by, body), "manage_body")
    if not name.strip():
        raise ValidationError({"name": _("Give the member's name.")})
    if represents not in Member.Represents.values:
        raise ValidationError({"represents": _("Choose whom the member represents.")})
    if represents == Member.Represents.ORGANISATION and not organisation_name.strip():
        raise ValidationError(
            {"organisation_name": _("Name the organisation the member represents.")}
        )
    if term_to and term_to < term_from:
        raise ValidationError({"term_to": _("The term of office cannot end before it starts.")})
    area = set(body.area_units().values_list("pk", flat=True))
    if any(unit.pk not in area for unit in units):
        raise ValidationError({"units": _("Choose units in the council's area.")})
    member = Member.objects.create(
        body=body,
        name=name.strip(),
        represents=represents,
        organisation_name=organisation_name.strip(),
        term_from=term_from,
        term_to=term_to,
        user=user,
    )
    member.units.set(units)
    return member


@transaction.atomic
def remove_member(*, by, member: Member) -> None:
    _require(permissions.may_manage_body(by, member.body), "manage_body")
    member.delete()


@transaction.atomic
def add_staff(*, by, body: Body, name: str, role: str) -> Staff:
    _require(permissions.may_manage_body(by, body), "manage_body")
    if not name.strip():
        raise ValidationError({"name": _("Give the name.")})
    if not role.strip():
        raise ValidationError({"role": _("Give the role.")})
    return Staff.objects.create(body=body, name=name.strip(), role=role.strip())


@transaction.atomic
def remove_staff(*, by, staff: Staff) -> None:
    _require(permissions.may_manage_body(by, staff.body), "manage_body")
    staff.delete()


# Meetings --------------------------------------------------------------------------------------


@transaction.atomic
def plan_meeting(*, by, body: Body, held_on: datetime.date, agenda: str = "") -> Meeting:
    _require(permissions.may_manage_body(by, body), "manage_body")
    return Meeting.objects.create(body=body, held_on=held_on, agenda=agenda.strip())


@transaction.atomic
def write_minutes(*, by, meeting: Meeting, agenda: str, minutes: str, easy_summary: str) -> Meeting:
    _require(permissions.may_manage_body(by, meeting.body), "manage_body")
    if minutes.strip() and not easy_summary.strip():
        raise ValidationError(
            {"easy_summary": _("Write an easy-to-read summary of the minutes too.")}
        )
    meeting.agenda = agenda.strip()
    meeting.minutes = minutes.strip()
    meeting.easy_summary = easy_summary.strip()
    meeting.save(update_fields=["agenda", "minutes", "easy_summary"])
    return meeting


@transaction.atomic
def record_attendance(*, by, meeting: Meeting, members, staff) -> int:
    """Who came. Members who are in the pool of a user organisation get a meeting fee
    reported once (where the fee path exists). Returns how many fees were reported."""
    body = meeting.body
    _require(permissions.may_manage_body(by, body), "manage_body")
    members, staff = list(members), list(staff)
    if any(m.body_id != body.pk for m in members) or any(s.body_id != body.pk for s in staff):
        raise ValidationError(_("Choose members and staff of this council."))
    before = set(meeting.members_present.values_list("pk", flat=True))
    meeting.members_present.set(members)
    meeting.staff_present.set(staff)
    newly_present = [m for m in members if m.pk not in before]
    return _report_meeting_fees(by=by, meeting=meeting, members=newly_present)


def _report_meeting_fees(*, by, meeting: Meeting, members: list[Member]) -> int:
    """A meeting fee for each member who is in a user organisation's pool (pool.PoolMember
    with an account), through the pay app, sent for the coordinator's approval there. A
    member whose organisation has no meeting fee yet is left out (and logged), never the
    attendance; a fee already reported for the same meeting is not reported again."""
    try:
        from brukarrevision.pay import services as pay_services
        from brukarrevision.pay.models import Activity, FeeKind, TimeReport
        from brukarrevision.pool.models import PoolMember
    except ImportError:
        return 0
    add_time_report = getattr(pay_services, "add_time_report", None)
    users = {m.user_id for m in members if m.user_id}
    if add_time_report is None or not users or meeting.held_on > timezone.localdate():
        return 0
    note = _("Meeting of %(body)s") % {"body": meeting.body.name}
    pool = PoolMember.objects.filter(user_id__in=users, erased_at__isnull=True).select_related(
        "user", "organisation"
    )
    chosen: dict[int, PoolMember] = {}
    for pool_member in pool.order_by("pk"):
        if pool_member.user_id not in chosen or pool_member.organisation_id == (
            meeting.body.run_by_id
        ):
            chosen[pool_member.user_id] = pool_member
    count = 0
    for pool_member in chosen.values():
        if TimeReport.objects.filter(
            member=pool_member, date=meeting.held_on, fee_kind=FeeKind.MEETING, note=note
        ).exists():
            continue
        # Whoever records attendance may not handle pay: the fee is then reported in the
        # member's own name, and waits for the coordinator's approval like any other.
        reporter = by if permissions.may_report_pay(by, pool_member) else pool_member.user
        try:
            with transaction.atomic():
                add_time_report(
                    by=reporter,
                    member=pool_member,
                    date=meeting.held_on,
                    fee_kind=FeeKind.MEETING,
                    quantity=1,
                    activity=Activity.MEETINGS,
                    note=note,
                )
        except (ValidationError, PermissionDenied) as error:
            logger.warning("No meeting fee for pool member %s: %s", pool_member.pk, error)
            continue
        count += 1
    return count


# Issues raised ---------------------------------------------------------------------------------


def _check_issue_fields(*, body: Body, quality_area: str, level: str, unit: Unit | None):
    if quality_area and quality_area not in QualityArea.values:
        raise ValidationError({"quality_area": _("Choose a quality area.")})
    if level and level not in Level.values:
        raise ValidationError({"level": _("Choose a level.")})
    if unit is not None and not body.area_units().filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Choose a unit in the council's area.")})


def _history(issue: Issue, *, by, from_status: str, note: str = "") -> None:
    IssueChange.objects.create(
        issue=issue, by=by, from_status=from_status, to_status=issue.status, note=note.strip()
    )


@transaction.atomic
def raise_issue(
    *,
    by,
    body: Body,
    title: str,
    text: str,
    quality_area: str = "",
    level: str = "",
    unit: Unit | None = None,
    source: str,
    suggestion=None,
    proposal=None,
    meeting: Meeting | None = None,
    owner=None,
    due_on: datetime.date | None = None,
    recipient: str = "",
) -> Issue:
    """Raise an issue with a council: at one of its meetings, from the suggestion box or
    from an audit's action proposal. It is answered by `due_on` (30 days by default)."""
    if source not in Issue.Source.values:
        raise ValidationError({"source": _("Choose where the issue comes from.")})
    if source == Issue.Source.PROPOSAL:
        if proposal is None:
            raise ValidationError(_("Choose the action proposal."))
        audit = proposal.audit
        _require(permissions.may_send_proposal_to_council(by, audit), "send_proposal")
        own = body.organisation_id == audit.client_id or (
            body.unit_id and audit.units.filter(pk=body.unit_id).exists()
        )
        if not own:
            raise ValidationError({"body": _("Choose a council of the client or its units.")})
    else:
        _require(permissions.may_raise_issue(by, body, unit), "raise_issue")
    if source == Issue.Source.SUGGESTION:
        if suggestion is None:
            raise ValidationError(_("Choose the suggestion."))
        unit = unit or suggestion.unit
    if meeting is not None and meeting.body_id != body.pk:
        raise ValidationError({"meeting": _("Choose a meeting of this council.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the issue a short title.")})
    _check_issue_fields(body=body, quality_area=quality_area, level=level, unit=unit)
    today = timezone.localdate()
    if due_on is not None and due_on < today and meeting is None:
        raise ValidationError({"due_on": _("The answer cannot be due in the past.")})
    issue = Issue.objects.create(
        body=body,
        source=source,
        meeting=meeting,
        suggestion=suggestion,
        proposal=proposal,
        title=title.strip()[:200],
        text=text.strip(),
        quality_area=quality_area,
        level=level,
        unit=unit,
        recipient=recipient.strip(),
        owner=owner,
        due_on=due_on
        or (meeting.held_on if meeting else today) + datetime.timedelta(days=ANSWER_WITHIN_DAYS),
        raised_by=by,
    )
    _history(issue, by=by, from_status="", note=issue.get_source_display())
    return issue


@transaction.atomic
def update_issue(
    *,
    by,
    issue: Issue,
    owner=None,
    due_on: datetime.date,
    recipient: str = "",
    quality_area: str = "",
    level: str = "",
    unit: Unit | None = None,
) -> Issue:
    """Who answers and by when: those who run the council decide."""
    _require(permissions.may_manage_body(by, issue.body), "manage_body")
    _check_issue_fields(body=issue.body, quality_area=quality_area, level=level, unit=unit)
    issue.owner = owner
    if due_on != issue.due_on:
        issue.reminded_due_on = None
    issue.due_on = due_on
    issue.recipient = recipient.strip()
    issue.quality_area = quality_area
    issue.level = level
    issue.unit = unit
    issue.save()
    return issue


@transaction.atomic
def start_work(*, by, issue: Issue, note: str = "") -> Issue:
    """Raised → in progress; also back to work on an answered issue (the answer was not
    enough)."""
    _require(permissions.may_answer_issue(by, issue), "answer_issue")
    if issue.status not in (Issue.Status.RAISED, Issue.Status.ANSWERED):
        raise ValidationError(_("Only a raised or answered issue can be put in progress."))
    before = issue.status
    issue.status = Issue.Status.IN_PROGRESS
    issue.save(update_fields=["status"])
    _history(issue, by=by, from_status=before, note=note)
    return issue


@transaction.atomic
def answer_issue(*, by, issue: Issue, answer: str, note: str = "") -> Issue:
    """The answer, to be reported back at the council's next meeting."""
    _require(permissions.may_answer_issue(by, issue), "answer_issue")
    if issue.status == Issue.Status.CLOSED:
        raise ValidationError(_("The issue is closed."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    before = issue.status
    issue.answer = answer.strip()
    issue.answered_at = timezone.now()
    issue.status = Issue.Status.ANSWERED
    issue.save(update_fields=["answer", "answered_at", "status"])
    _history(issue, by=by, from_status=before, note=note)
    return issue


@transaction.atomic
def close_issue(*, by, issue: Issue, meeting: Meeting | None, note: str = "") -> Issue:
    """Closed once the answer is reported back at a meeting of the council: that meeting's
    date is the feedback date."""
    _require(permissions.may_manage_body(by, issue.body), "manage_body")
    if issue.status == Issue.Status.CLOSED:
        raise ValidationError(_("The issue is already closed."))
    if issue.status != Issue.Status.ANSWERED or not issue.answer.strip():
        raise ValidationError(_("An issue is closed only after it has been answered."))
    if meeting is None or meeting.body_id != issue.body_id:
        raise ValidationError(
            {"meeting": _("Choose the meeting of this council where the answer was reported.")}
        )
    if issue.answered_at and meeting.held_on < timezone.localtime(issue.answered_at).date():
        raise ValidationError(
            {"meeting": _("The answer is reported back at a meeting after it was given.")}
        )
    before = issue.status
    issue.status = Issue.Status.CLOSED
    issue.feedback_meeting = meeting
    issue.fed_back_on = meeting.held_on
    issue.save(update_fields=["status", "feedback_meeting", "fed_back_on"])
    _history(issue, by=by, from_status=before, note=note)
    return issue


# Reminders -------------------------------------------------------------------------------------


def overdue_to_remind(today: datetime.date):
    """Open issues past their due date whose owner has not been reminded of this due date."""
    return (
        Issue.objects.filter(status__in=Issue.OPEN, due_on__lt=today, owner__isnull=False)
        .exclude(owner__email="")
        .exclude(reminded_due_on=F("due_on"))
        .select_related("body", "owner", "unit")
        .order_by("owner_id", "due_on", "pk")
    )


def send_reminders(today: datetime.date | None = None) -> int:
    """E-mail each owner of overdue issues once per overdue period (a new due date starts a
    new period). Returns the number of issues reminded about."""
    today = today or timezone.localdate()
    by_owner: dict = {}
    for issue in overdue_to_remind(today):
        by_owner.setdefault(issue.owner, []).append(issue)
    site = settings.SITE_URL.rstrip("/")
    for owner, issues in by_owner.items():
        lines = [
            _("%(title)s (%(body)s) was to be answered by %(due)s.")
            % {"title": i.title, "body": i.body.name, "due": i.due_on.isoformat()}
            + "\n"
            + site
            + reverse("councils:issue", args=[i.pk])
            for i in issues
        ]
        send_mail(
            _("Council issues waiting for your answer"),
            _("These issues raised in a council are overdue. Please answer them:")
            + "\n\n"
            + "\n\n".join(lines),
            None,
            [owner.email],
        )
        for issue in issues:
            Issue.objects.filter(pk=issue.pk).update(reminded_due_on=issue.due_on)
    return sum(len(issues) for issues in by_owner.values())
