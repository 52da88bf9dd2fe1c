"""Feedback (återkoppling) and follow-up (uppföljning): the meeting, the unit's answer to
each proposal, the action plan and its dated updates, and the people who follow an audit."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from brukarrevision.audits.models import Audit
from brukarrevision.reports.models import Proposal


class FeedbackMeeting(models.Model):
    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="feedback")
    held_on = models.DateField(_("date of the feedback meeting"))
    participants = models.TextField(_("participants"))
    notes = models.TextField(_("notes"), blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback meeting")
        verbose_name_plural = _("feedback meetings")

    def __str__(self) -> str:
        return f"{self.audit}: {self.held_on}"


class ProposalAnswer(models.Model):
    class Decision(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("answer to a proposal", "accepted")
        PARTLY = "partly", pgettext_lazy("answer to a proposal", "partly accepted")
        NOT_ACCEPTED = "not_accepted", pgettext_lazy("answer to a proposal", "not accepted")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="answer")
    decision = models.CharField(_("answer"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("reasons"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer to a proposal")
        verbose_name_plural = _("answers to proposals")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_decision_display()}"


class Action(models.Model):
    """An item of the action plan (handlingsplan) for an accepted proposal."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        STOPPED = "stopped", _("stopped")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("what will be done"))
    owner = models.CharField(_("owner"), max_length=200)
    starts_on = models.DateField(_("start"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=Action.Status.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("what has happened"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_on = models.DateField(_("date"))
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.made_on}: {self.get_status_display()}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Follower(models.Model):
    """Someone told by e-mail when a proposal is answered or an action changes status.
    Following starts once the address is confirmed; every e-mail has a link to stop."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=new_token)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "email"], name="follow_once")]

    def __str__(self) -> str:
        return self.email
