"""Every write of feedback and follow-up: the meeting, answers to proposals, the action plan
and its updates, following an audit, and reminders. Followers are told by e-mail (through a
background task) whenever a proposal is answered or an action changes status."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.audits.models import Audit
from brukarrevision.organisations.models import Membership
from brukarrevision.permissions import Action, can
from brukarrevision.reports.models import Proposal

from .models import Action as PlannedAction
from .models import ActionUpdate, FeedbackMeeting, Follower, ProposalAnswer

REMIND_DAYS_BEFORE_DUE = 7
UPDATE_EXPECTED_EVERY_DAYS = 30


def _require(user, action: Action, audit: Audit) -> None:
    if not can(user, action, audit):
        raise PermissionDenied(action)


@transaction.atomic
def record_meeting(
    *, user, audit: Audit, held_on, participants: str, notes="", next_follow_up=None
):
    _require(user, Action.RECORD_FEEDBACK, audit)
    if next_follow_up and next_follow_up <= held_on:
        raise ValidationError({"next_follow_up": _("The follow-up comes after the meeting.")})
    meeting, _created = FeedbackMeeting.objects.update_or_create(
        audit=audit,
        defaults={
            "held_on": held_on,
            "participants": participants.strip(),
            "notes": notes.strip(),
            "next_follow_up": next_follow_up,
        },
    )
    return meeting


@transaction.atomic
def answer_proposal(*, user, proposal: Proposal, decision: str, reason: str) -> ProposalAnswer:
    _require(user, Action.ANSWER_PROPOSALS, proposal.audit)
    if decision not in ProposalAnswer.Decision.values:
        raise ValidationError({"decision": _("Choose accepted, partly or not accepted.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reasons for the answer.")})
    answer, _created = ProposalAnswer.objects.update_or_create(
        proposal=proposal,
        defaults={"decision": decision, "reason": reason.strip(), "answered_by": user},
    )
    _tell_followers(
        proposal.audit,
        _("Proposal %(number)s answered: %(decision)s")
        % {"number": proposal.number, "decision": answer.get_decision_display()},
        f"{proposal}\n\n{answer.reason}",
    )
    return answer


@transaction.atomic
def add_action(*, user, proposal: Proposal, description, owner, starts_on, due_on) -> PlannedAction:
    _require(user, Action.ANSWER_PROPOSALS, proposal.audit)
    answer = getattr(proposal, "answer", None)
    if answer is None or answer.decision == ProposalAnswer.Decision.NOT_ACCEPTED:
        raise ValidationError(_("Actions belong to proposals that are accepted, fully or partly."))
    if due_on < starts_on:
        raise ValidationError({"due_on": _("The due date comes after the start.")})
    return PlannedAction.objects.create(
        proposal=proposal,
        description=description.strip(),
        owner=owner.strip(),
        starts_on=starts_on,
        due_on=due_on,
    )


@transaction.atomic
def update_action(
    *, user, action: PlannedAction, status: str, progress: int, note: str, made_on=None
):
    _require(user, Action.ANSWER_PROPOSALS, action.proposal.audit)
    if status not in PlannedAction.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is between 0 and 100 %.")})
    if not note.strip():
        raise ValidationError({"note": _("Write what has happened.")})
    changed = status != action.status
    update = ActionUpdate.objects.create(
        action=action,
        status=status,
        progress=100 if status == PlannedAction.Status.DONE else progress,
        note=note.strip(),
        made_by=user,
        made_on=made_on or timezone.localdate(),
    )
    action.status, action.progress = status, update.progress
    action.save(update_fields=["status", "progress"])
    if changed:
        _tell_followers(
            action.proposal.audit,
            _("Action for proposal %(number)s is now %(status)s")
            % {"number": action.proposal.number, "status": action.get_status_display()},
            f"{action.description}\n\n{update.note}",
        )
    return update


# Following ---------------------------------------------------------------------------------------


def _public_url(audit: Audit) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("followup:public_audit", args=[audit.slug])


@transaction.atomic
def follow(*, audit: Audit, email: str) -> Follower:
    """Anyone may follow a published audit; following starts when the address is confirmed."""
    if not hasattr(audit, "report") or audit.report.published_at is None:
        raise ValidationError(_("Only published audits can be followed."))
    follower, _created = Follower.objects.get_or_create(audit=audit, email=email.strip().lower())
    if follower.confirmed_at is None:
        link = settings.SITE_URL.rstrip("/") + reverse("followup:confirm", args=[follower.token])
        transaction.on_commit(
            lambda: send_mail(
                _("Confirm that you want to follow %(title)s") % {"title": audit.title},
                _("Open this link to start following the audit:\n%(link)s\n\nIf you did not ask "
                  "for this, do nothing.") % {"link": link},
                None,
                [follower.email],
            )
        )  # fmt: skip
    return follower


@transaction.atomic
def confirm(token: str) -> Follower | None:
    follower = Follower.objects.filter(token=token).first()
    if follower and follower.confirmed_at is None:
        follower.confirmed_at = timezone.now()
        follower.save(update_fields=["confirmed_at"])
    return follower


@transaction.atomic
def stop_following(token: str) -> bool:
    deleted, _details = Follower.objects.filter(token=token).delete()
    return bool(deleted)


def _tell_followers(audit: Audit, subject: str, body: str) -> None:
    from . import tasks

    ids = list(audit.followers.filter(confirmed_at__isnull=False).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: tasks.notify_followers.enqueue(ids, subject, body))


def notify_followers(follower_ids: list[int], subject: str, body: str) -> int:
    sent = 0
    for follower in Follower.objects.filter(pk__in=follower_ids).select_related("audit"):
        stop = settings.SITE_URL.rstrip("/") + reverse("followup:stop", args=[follower.token])
        text = f"{body}\n\n{_public_url(follower.audit)}\n\n" + _("To stop following: %(link)s") % {
            "link": stop
        }
        send_mail(f"{follower.audit.title}: {subject}", text, None, [follower.email])
        sent += 1
    return sent


# Reminders ---------------------------------------------------------------------------------------


def due_reminders(today: datetime.date | None = None) -> list[PlannedAction]:
    """Open actions due within a week, or with no update for a month."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE_DUE)
    quiet = today - datetime.timedelta(days=UPDATE_EXPECTED_EVERY_DAYS)
    open_ = PlannedAction.objects.exclude(
        status__in=[PlannedAction.Status.DONE, PlannedAction.Status.STOPPED]
    ).exclude(reminded_on=today)
    found = []
    for action in open_.select_related("proposal__audit").prefetch_related("updates"):
        latest = max((u.made_on for u in action.updates.all()), default=action.starts_on)
        if action.due_on <= soon or (latest <= quiet and action.starts_on <= today):
            found.append(action)
    return found


def send_reminders(today: datetime.date | None = None) -> int:
    """E-mail the unit contacts and the coordinator of each audit with actions to see to."""
    today = today or timezone.localdate()
    by_audit: dict[Audit, list[PlannedAction]] = {}
    for action in due_reminders(today):
        by_audit.setdefault(action.proposal.audit, []).append(action)
    for audit, actions in by_audit.items():
        lines = [
            _("%(action)s (owner %(owner)s) is due %(due)s, last status %(status)s.")
            % {
                "action": a.description[:80],
                "owner": a.owner,
                "due": a.due_on.isoformat(),
                "status": a.get_status_display(),
            }
            for a in actions
        ]
        send_mail(
            _("Actions to follow up: %(title)s") % {"title": audit.title},
            "\n".join(lines)
            + "\n\n"
            + settings.SITE_URL.rstrip("/")
            + reverse("followup:feedback", args=[audit.slug]),
            None,
            _recipients(audit),
        )
        PlannedAction.objects.filter(pk__in=[a.pk for a in actions]).update(reminded_on=today)
    return sum(len(a) for a in by_audit.values())


def _recipients(audit: Audit) -> list[str]:
    contacts = Membership.objects.filter(
        role=Membership.Role.UNIT_CONTACT, unit__in=audit.units.all()
    ).values_list("user__email", flat=True)
    coordinator = audit.coordinator_member()
    found = set(contacts)
    if coordinator:
        found.add(coordinator.user.email)
    return sorted(found)
