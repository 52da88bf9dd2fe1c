"""Every write of a certification: the checklist editor, the steps from the offer to the
certificate, follow-ups, lapse and renewal. Each function checks permission in
brukarrevision.permissions and works inside one transaction."""

import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision import permissions
from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.accounts.services import record_event
from brukarrevision.instruments.models import QualityArea
from brukarrevision.lib import uploads
from brukarrevision.organisations.models import Membership

from . import selectors
from .models import (
    Action,
    Assessment,
    Certification,
    CheckIn,
    Checklist,
    Criterion,
    Evidence,
    FollowUp,
    InformationMeeting,
    Level,
    Participant,
    TakingPart,
)

Status = Certification.Status
RENEWAL_WINDOW_DAYS = 90

# What the first bytes of a file say it is. Office documents are zips: their ending decides.
FILE_TYPES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
}


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(what)


def _require_open(certification: Certification) -> None:
    if not certification.is_open:
        raise ValidationError(
            _("This step can only be done while the certification is in progress.")
        )


# The checklist editor ------------------------------------------------------------------------


@transaction.atomic
def editable_checklist(*, user, organisation) -> Checklist:
    """The organisation's checklist version that may be changed. A version in use (frozen)
    is never changed: it is copied into a new version, which is returned."""
    _require(permissions.may_start_certification(user, organisation), "edit checklist")
    current = selectors.current_checklist(organisation)
    if current.organisation_id == organisation.pk and not current.is_frozen:
        return current
    return _copy_checklist(current, organisation)


def _copy_checklist(source: Checklist, organisation) -> Checklist:
    own = source.organisation_id == organisation.pk
    copy = Checklist.objects.create(
        organisation=organisation,
        title=source.title,
        version=source.version + 1 if own else 1,
        based_on=source,
    )
    Criterion.objects.bulk_create(
        Criterion(
            checklist=copy,
            quality_area=c.quality_area,
            level=c.level,
            position=c.position,
            text=c.text,
            guidance=c.guidance,
            easy_text=c.easy_text,
        )
        for c in source.criteria.all()
    )
    return copy


def _in_editable(user, organisation, criterion: Criterion | None) -> tuple[Checklist, Criterion]:
    checklist = editable_checklist(user=user, organisation=organisation)
    if criterion is None:
        return checklist, None
    # The same criterion in the editable version: copies keep each criterion's position.
    same = checklist.criteria.filter(position=criterion.position).first()
    if same is None:
        raise ValidationError(_("This criterion is no longer in the checklist."))
    return checklist, same


@transaction.atomic
def save_criterion(
    *,
    user,
    organisation,
    quality_area: str,
    level: str,
    text: str,
    guidance: str = "",
    easy_text: str = "",
    criterion: Criterion | None = None,
) -> Criterion:
    if quality_area not in QualityArea.values:
        raise ValidationError({"quality_area": _("Choose a quality area from the list.")})
    if level not in Level.values:
        raise ValidationError({"level": _("Choose a level from the list.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the criterion.")})
    checklist, criterion = _in_editable(user, organisation, criterion)
    if criterion is None:
        position = (checklist.criteria.aggregate(p=Max("position"))["p"] or 0) + 1
        criterion = Criterion(checklist=checklist, position=position)
    criterion.quality_area = quality_area
    criterion.level = level
    criterion.text = text.strip()
    criterion.guidance = guidance.strip()
    criterion.easy_text = easy_text.strip()
    criterion.save()
    return criterion


@transaction.atomic
def delete_criterion(*, user, organisation, criterion: Criterion) -> Checklist:
    checklist, criterion = _in_editable(user, organisation, criterion)
    if checklist.criteria.count() == 1:
        raise ValidationError(_("A checklist needs at least one criterion."))
    criterion.delete()
    return checklist


# The offer and the acceptance ---------------------------------------------------------------


@transaction.atomic
def offer_certification(
    *, user, performer, unit, offer_text: str = "", follow_up_months: int = 6
) -> Certification:
    """The user organisation offers a certification to a unit. The checklist version in use
    is frozen: the certification keeps it to the end."""
    _require(permissions.may_start_certification(user, performer), "offer certification")
    if Certification.objects.filter(
        unit=unit, status__in=[Status.OFFERED, Status.IN_PROGRESS, Status.NOT_YET]
    ).exists():
        raise ValidationError({"unit": _("This unit already has a certification under way.")})
    checklist = selectors.current_checklist(performer)
    return _start(user, performer, unit, checklist, offer_text, follow_up_months)


def _start(user, performer, unit, checklist, offer_text, follow_up_months, renewal_of=None):
    if not checklist.is_frozen:
        checklist.frozen_at = timezone.now()
        checklist.save(update_fields=["frozen_at"])
    return Certification.objects.create(
        unit=unit,
        performer=performer,
        checklist=checklist,
        offer_text=offer_text.strip(),
        offered_by=user,
        follow_up_months=follow_up_months or 6,
        renewal_of=renewal_of,
        round=renewal_of.round + 1 if renewal_of else 1,
    )


@transaction.atomic
def answer_offer(*, user, certification: Certification, accept: bool) -> Certification:
    """The unit accepts (or declines) the offer; its contact or the coordinator records it."""
    _require(permissions.may_take_part_in_certification(user, certification), "answer offer")
    if certification.status != Status.OFFERED:
        raise ValidationError(_("The offer has already been answered."))
    certification.status = Status.IN_PROGRESS if accept else Status.DECLINED
    certification.accepted_on = timezone.localdate() if accept else None
    certification.accepted_by = user
    certification.save(update_fields=["status", "accepted_on", "accepted_by"])
    return certification


@transaction.atomic
def invite_participant(
    *, user, certification: Certification, email: str, role: str, request=None
) -> Participant:
    """An invited staff member or user representative takes part with their own account."""
    _require(permissions.may_lead_certification(user, certification), "invite")
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise ValidationError(
            {"email": _("Nobody has an account with that e-mail address. Ask an administrator.")}
        )
    if role not in TakingPart.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    participant, _created = Participant.objects.update_or_create(
        certification=certification, user=person, defaults={"role": role, "invited_by": user}
    )
    record_event(
        SecurityEvent.Kind.ROLE_GRANTED,
        request=request,
        user=user,
        subject=person,
        detail=f"certification {certification.pk} participant ({role})",
    )
    return participant


@transaction.atomic
def remove_participant(*, user, participant: Participant, request=None) -> None:
    _require(permissions.may_lead_certification(user, participant.certification), "remove")
    record_event(
        SecurityEvent.Kind.ROLE_REMOVED,
        request=request,
        user=user,
        subject=participant.user,
        detail=f"certification {participant.certification_id} participant",
    )
    participant.delete()


# The information meeting, the checklist work and check-ins -----------------------------------


@transaction.atomic
def record_meeting(
    *,
    user,
    certification: Certification,
    held_on: datetime.date,
    staff: int = 0,
    union: int = 0,
    managers: int = 0,
    users: int = 0,
    notes: str = "",
) -> InformationMeeting:
    _require(permissions.may_lead_certification(user, certification), "meeting")
    _require_open(certification)
    if not (staff or union or managers or users):
        raise ValidationError(_("Write how many took part in at least one role."))
    meeting, _created = InformationMeeting.objects.update_or_create(
        certification=certification,
        defaults={
            "held_on": held_on,
            "staff": staff,
            "union": union,
            "managers": managers,
            "users": users,
            "notes": notes.strip(),
            "recorded_by": user,
        },
    )
    return meeting


def _own_criterion(certification: Certification, criterion: Criterion) -> None:
    if criterion.checklist_id != certification.checklist_id:
        raise ValidationError(_("This criterion is not in the certification's checklist."))


@transaction.atomic
def assess(
    *,
    user,
    certification: Certification,
    criterion: Criterion,
    result: str,
    taking_part: list[str],
    comment: str = "",
    names: str = "",
) -> Assessment:
    """A criterion assessed together by staff and users: both must have taken part."""
    _require(permissions.may_take_part_in_certification(user, certification), "assess")
    _require_open(certification)
    _own_criterion(certification, criterion)
    if not hasattr(certification, "meeting"):
        raise ValidationError(_("Hold the information meeting before the checklist work."))
    if result not in Assessment.Result.values:
        raise ValidationError({"result": _("Choose met, partly met or not met.")})
    roles = [code for code in TakingPart.values if code in set(taking_part)]
    if TakingPart.STAFF not in roles or TakingPart.USERS not in roles:
        raise ValidationError(
            {"taking_part": _("A criterion is assessed by staff and users together: tick both.")}
        )
    assessment, _created = Assessment.objects.update_or_create(
        certification=certification,
        criterion=criterion,
        defaults={
            "result": result,
            "taking_part": roles,
            "comment": comment.strip(),
            "names": names.strip(),
            "assessed_on": timezone.localdate(),
            "assessed_by": user,
        },
    )
    return assessment


def file_type(data: bytes, filename: str) -> str:
    """The upload's type, judged by its first bytes (an office document, a zip, by its
    ending too); refuses files over the size limit and anything else."""
    try:
        uploads.check(data)
    except uploads.TooLarge as error:
        raise ValidationError({"upload": str(error)}) from None
    for magic, content_type in FILE_TYPES:
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "image/heic"
    ending = PurePath(filename).suffix.lower()
    if data.startswith(b"PK\x03\x04") and ending in OFFICE_TYPES:
        return OFFICE_TYPES[ending]
    raise ValidationError(
        {
            "upload": _(
                "The file must be a photo (JPEG, PNG, WebP, HEIC), a PDF or a Word, Excel, "
                "PowerPoint or OpenDocument file."
            )
        }
    )


@transaction.atomic
def add_evidence(
    *,
    user,
    certification: Certification,
    criterion: Criterion,
    description: str = "",
    data: bytes | None = None,
    filename: str = "",
    url: str = "",
    finding=None,
    proposal=None,
    council_issue=None,
) -> Evidence:
    """Evidence for a criterion: a document or photo, a link, a finding or proposal of an
    audit of the same unit whose report is published, or a council issue about the unit."""
    _require(permissions.may_take_part_in_certification(user, certification), "evidence")
    _require_open(certification)
    _own_criterion(certification, criterion)
    evidence = Evidence(
        certification=certification,
        criterion=criterion,
        description=description.strip()[:300],
        added_by=user,
    )
    if data is not None:
        evidence.kind = Evidence.Kind.FILE
        evidence.content_type = file_type(data, filename)
        evidence.data = data
        evidence.filename = PurePath(filename).name[:200] or "bilaga"
    elif url:
        if not url.startswith(("https://", "http://")):
            raise ValidationError({"url": _("Enter a web address starting with https://.")})
        evidence.kind, evidence.url = Evidence.Kind.LINK, url
    elif finding is not None:
        if not selectors.linkable_findings(certification.unit).filter(pk=finding.pk).exists():
            raise ValidationError({"finding": _("Choose a finding about this unit.")})
        evidence.kind, evidence.finding = Evidence.Kind.FINDING, finding
    elif proposal is not None:
        if not selectors.linkable_proposals(certification.unit).filter(pk=proposal.pk).exists():
            raise ValidationError({"proposal": _("Choose a proposal about this unit.")})
        evidence.kind, evidence.proposal = Evidence.Kind.PROPOSAL, proposal
    elif council_issue is not None:
        linkable = selectors.linkable_council_issues(certification.unit)
        if not linkable.filter(pk=council_issue.pk).exists():
            raise ValidationError({"council_issue": _("Choose a council issue about this unit.")})
        evidence.kind, evidence.council_issue = Evidence.Kind.COUNCIL_ISSUE, council_issue
    else:
        raise ValidationError(_("Add a file, a link, a finding, a proposal or a council issue."))
    evidence.save()
    return evidence


@transaction.atomic
def delete_evidence(*, user, evidence: Evidence) -> None:
    certification = evidence.certification
    _require(permissions.may_take_part_in_certification(user, certification), "evidence")
    _require_open(certification)
    evidence.delete()


@transaction.atomic
def record_check_in(
    *, user, certification: Certification, held_on: datetime.date, notes: str
) -> CheckIn:
    _require(permissions.may_lead_certification(user, certification), "check-in")
    _require_open(certification)
    if not certification.accepted_on:
        raise ValidationError(_("The unit has not accepted the offer yet."))
    if not notes.strip():
        raise ValidationError({"notes": _("Write what you agreed on.")})
    return CheckIn.objects.create(
        certification=certification, held_on=held_on, notes=notes.strip(), recorded_by=user
    )


# The action plan -----------------------------------------------------------------------------


@transaction.atomic
def make_action_plan(*, user, certification: Certification) -> list[Action]:
    """An action for every criterion assessed as not met or partly met that has none yet,
    worded as the criterion to reach; the team then writes what, who and by when."""
    _require(permissions.may_lead_certification(user, certification), "action plan")
    _require_open(certification)
    planned = set(certification.actions.values_list("criterion_id", flat=True))
    unmet = (
        certification.assessments.exclude(result=Assessment.Result.MET)
        .exclude(criterion_id__in=planned)
        .select_related("criterion")
        .order_by("criterion__position")
    )
    due = timezone.localdate() + datetime.timedelta(days=90)
    return [
        Action.objects.create(
            certification=certification,
            criterion=a.criterion,
            text=a.criterion.text,
            due_on=due,
        )
        for a in unmet
    ]


@transaction.atomic
def save_action(
    *,
    user,
    certification: Certification,
    text: str,
    owner: str = "",
    due_on: datetime.date | None = None,
    status: str = Action.Status.PLANNED,
    done_evidence: str = "",
    action: Action | None = None,
) -> Action:
    """The coordinator adds actions; those who take part update them. An action is done
    when someone has written what shows it."""
    if action is None:
        _require(permissions.may_lead_certification(user, certification), "add action")
        action = Action(certification=certification)
    else:
        _require(permissions.may_take_part_in_certification(user, certification), "action")
    if certification.status not in (Status.IN_PROGRESS, Status.NOT_YET, Status.CERTIFIED):
        raise ValidationError(_("The action plan of this certification is closed."))
    if not text.strip():
        raise ValidationError({"text": _("Write the action.")})
    if status not in Action.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == Action.Status.DONE and not done_evidence.strip():
        raise ValidationError({"done_evidence": _("Write what shows that the action is done.")})
    action.text, action.owner, action.due_on = text.strip(), owner.strip(), due_on
    action.status, action.done_evidence = status, done_evidence.strip()
    if status == Action.Status.DONE:
        action.done_on = action.done_on or timezone.localdate()
    else:
        action.done_on = None
    action.save()
    return action


# The presentation, the decision and the certificate ----------------------------------------


def missing_for_decision(certification: Certification) -> list[str]:
    """What must be done before the user organisation can decide, in the order of the steps."""
    missing = []
    if not certification.accepted_on:
        missing.append(_("The unit has not accepted the offer."))
    if not hasattr(certification, "meeting"):
        missing.append(_("The information meeting is not recorded."))
    counts = selectors.checklist_counts(certification)
    if counts["assessed"] < counts["total"]:
        missing.append(
            _("%(left)s criteria are not assessed yet.")
            % {"left": counts["total"] - counts["assessed"]}
        )
    if not certification.check_ins.exists():
        missing.append(_("No check-in is recorded."))
    if selectors.unplanned_criteria(certification):
        missing.append(_("Some criteria not met have no action in the action plan."))
    return missing


@transaction.atomic
def decide(
    *,
    user,
    certification: Certification,
    presented_on: datetime.date,
    decision: str,
    reasoning: str,
    valid_until: datetime.date | None = None,
    follow_up_months: int | None = None,
    request=None,
) -> Certification:
    """After the action plan is presented, the user organisation decides: certified (the
    certificate is issued, valid to a date, with follow-ups at the set interval) or not yet."""
    _require(permissions.may_lead_certification(user, certification), "decide")
    _require_open(certification)
    missing = missing_for_decision(certification)
    if missing:
        raise ValidationError(missing)
    if decision not in Certification.Decision.values:
        raise ValidationError({"decision": _("Choose certified or not yet.")})
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Write the reasons for the decision.")})
    today = timezone.localdate()
    certification.presented_on = presented_on
    certification.decision = decision
    certification.decision_reasoning = reasoning.strip()
    certification.decided_on = today
    certification.decided_by = user
    if follow_up_months:
        certification.follow_up_months = follow_up_months
    if decision == Certification.Decision.NOT_YET:
        certification.status = Status.NOT_YET
        certification.save()
        record_event(
            SecurityEvent.Kind.CERTIFICATION_DECIDED,
            request=request,
            user=user,
            detail=f"certification {certification.pk} decision: not yet ({certification.unit})",
        )
        return certification
    if valid_until is None or valid_until <= today:
        raise ValidationError({"valid_until": _("The certificate must be valid to a later date.")})
    certification.status = Status.CERTIFIED
    certification.certified_on = today
    certification.valid_until = valid_until
    certification.save()
    _plan_follow_ups(certification)
    previous = certification.renewal_of
    if previous is not None and previous.status == Status.CERTIFIED:
        previous.status = Status.RENEWED
        previous.save(update_fields=["status"])
    record_event(
        SecurityEvent.Kind.CERTIFICATION_DECIDED,
        request=request,
        user=user,
        detail=f"certificate issued: certification {certification.pk} ({certification.unit}), "
        f"valid until {valid_until.isoformat()}",
    )
    return certification


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _plan_follow_ups(certification: Certification) -> None:
    certification.follow_ups.filter(done_on__isnull=True).delete()
    step = max(certification.follow_up_months, 1)
    due = _add_months(certification.certified_on, step)
    while due <= certification.valid_until:
        FollowUp.objects.create(certification=certification, due_on=due)
        due = _add_months(due, step)


@transaction.atomic
def record_follow_up(*, user, follow_up: FollowUp, done_on: datetime.date, notes: str) -> FollowUp:
    certification = follow_up.certification
    _require(permissions.may_lead_certification(user, certification), "follow-up")
    if certification.status != Status.CERTIFIED:
        raise ValidationError(_("Only a valid certificate is followed up."))
    if not notes.strip():
        raise ValidationError({"notes": _("Write what the follow-up showed.")})
    follow_up.done_on, follow_up.notes, follow_up.recorded_by = done_on, notes.strip(), user
    follow_up.save()
    return follow_up


# Lapse, expiry, renewal and reminders ------------------------------------------------------


def _lapse_reason(certification: Certification, today: datetime.date) -> str:
    limit = today - datetime.timedelta(days=settings.CERTIFICATION_GRACE_DAYS)
    missed = certification.follow_ups.filter(done_on__isnull=True, due_on__lt=limit).first()
    if missed is not None:
        return _("The follow-up due on %(date)s was not done.") % {
            "date": missed.due_on.isoformat()
        }
    stalled = certification.actions.exclude(status=Action.Status.DONE).filter(due_on__lt=limit)
    if stalled.exists():
        return _("The action plan has stalled: %(n)s actions are long overdue.") % {
            "n": stalled.count()
        }
    return ""


@transaction.atomic
def apply_lapses(today: datetime.date | None = None) -> list[Certification]:
    """Certificates whose follow-up was missed or whose action plan stalled (past due by the
    grace period) lapse; those past their valid-to date expire. Returns those changed."""
    today = today or timezone.localdate()
    changed = []
    certified = Certification.objects.select_for_update().filter(status=Status.CERTIFIED)
    for certification in certified.select_related("unit"):
        if certification.valid_until and certification.valid_until < today:
            certification.status = Status.EXPIRED
            certification.save(update_fields=["status"])
            changed.append(certification)
            continue
        reason = _lapse_reason(certification, today)
        if not reason:
            continue
        certification.status = Status.LAPSED
        certification.lapsed_on = today
        certification.lapse_reason = reason
        certification.save(update_fields=["status", "lapsed_on", "lapse_reason"])
        record_event(
            SecurityEvent.Kind.CERTIFICATE_LAPSED,
            identifier="send_certification_reminders",
            detail=f"certificate lapsed: certification {certification.pk} "
            f"({certification.unit}): {reason}",
        )
        changed.append(certification)
    return changed


def may_renew(certification: Certification, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    if hasattr(certification, "renewal"):
        return False
    if certification.status in (Status.LAPSED, Status.EXPIRED):
        return True
    return (
        certification.status == Status.CERTIFIED
        and certification.valid_until is not None
        and certification.valid_until <= today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS)
    )


@transaction.atomic
def renew(*, user, certification: Certification) -> Certification:
    """A new round from a lapsed, expired or expiring certification, on the checklist version
    in use now. Actions not yet done carry over into the new action plan."""
    _require(permissions.may_lead_certification(user, certification), "renew")
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if not may_renew(certification):
        raise ValidationError(_("Only a lapsed, expired or expiring certificate can be renewed."))
    renewal = _start(
        user,
        certification.performer,
        certification.unit,
        selectors.current_checklist(certification.performer),
        certification.offer_text,
        certification.follow_up_months,
        renewal_of=certification,
    )
    for action in certification.actions.exclude(status=Action.Status.DONE):
        Action.objects.create(
            certification=renewal,
            text=action.text,
            owner=action.owner,
            status=action.status,
        )
    return renewal


def _recipients(certification: Certification) -> list[str]:
    memberships = Membership.objects.filter(
        Q(role=Membership.Role.UNIT_CONTACT, unit_id=certification.unit_id)
        | Q(role=Membership.Role.COORDINATOR, organisation_id=certification.performer_id)
    ).select_related("user")
    return sorted({m.user.email for m in memberships if m.user.is_active and m.user.email})


def follow_ups_to_remind(today: datetime.date):
    """Follow-ups of valid certificates coming up within the reminder period and not yet
    reminded of, and overdue ones not reminded of since they fell due."""
    soon = today + datetime.timedelta(days=settings.CERTIFICATION_REMIND_DAYS)
    return (
        FollowUp.objects.filter(
            certification__status=Status.CERTIFIED, done_on__isnull=True, due_on__lte=soon
        )
        .filter(Q(reminded_on__isnull=True) | Q(due_on__lt=today, reminded_on__lt=F("due_on")))
        .select_related("certification", "certification__unit", "certification__performer")
        .order_by("due_on", "pk")
    )


def send_reminders(today: datetime.date | None = None) -> int:
    """E-mail the unit's contacts and the user organisation's coordinators about each
    follow-up coming up or overdue. Returns the number of follow-ups reminded about."""
    today = today or timezone.localdate()
    site = settings.SITE_URL.rstrip("/")
    count = 0
    for follow_up in follow_ups_to_remind(today):
        certification = follow_up.certification
        recipients = _recipients(certification)
        if recipients:
            overdue = follow_up.due_on < today
            subject = (
                _("Overdue follow-up of the certification of %(unit)s")
                if overdue
                else _("Follow-up of the certification of %(unit)s is coming up")
            ) % {"unit": certification.unit.name}
            body = (
                _(
                    "The certification of user influence of %(unit)s is to be followed up by "
                    "%(date)s. If a follow-up is more than %(days)s days late, the certificate "
                    "lapses."
                )
                % {
                    "unit": certification.unit.name,
                    "date": follow_up.due_on.isoformat(),
                    "days": settings.CERTIFICATION_GRACE_DAYS,
                }
                + "\n\n"
                + site
                + reverse("certification:detail", args=[certification.pk])
            )
            send_mail(subject, body, None, recipients)
            count += 1
        FollowUp.objects.filter(pk=follow_up.pk).update(reminded_on=today)
    return count
