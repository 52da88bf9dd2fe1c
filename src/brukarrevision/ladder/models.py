"""The participation ladder (Shier's pathways to participation, in Swedish as used by Schön).

A round is one self-assessment of a unit at one time. It collects one or more responses: the unit
as a whole, and optionally separate ones per staff member and per user group, so that the views
can be compared. Each response answers the 15 questions (five levels x three stages) with
yes / partly / no, through its own unguessable answer link, once.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from brukarrevision.organisations.models import Unit

from . import questions


def new_token() -> str:
    return secrets.token_urlsafe(24)


class LadderRound(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="ladder_rounds", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=200)
    started_on = models.DateField(_("started on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation ladder round")
        verbose_name_plural = _("participation ladder rounds")
        ordering = ["unit", "-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class LadderResponse(models.Model):
    class Perspective(models.TextChoices):
        UNIT = "unit", _("the unit as a whole")
        STAFF = "staff", _("staff member")
        USERS = "users", _("user group")

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    round = models.ForeignKey(
        LadderRound,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("round"),
    )
    perspective = models.CharField(_("perspective"), max_length=10, choices=Perspective.choices)
    label = models.CharField(
        _("label"),
        max_length=120,
        help_text=_('For example "Staff" or "User group Tuesdays". No personal names needed.'),
    )
    token = models.CharField(_("answer link code"), max_length=64, unique=True, default=new_token)
    # {"1-openings": "yes", ...}: one answer per level and stage, 15 in all when submitted.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by (if signed in)"),
    )

    class Meta:
        verbose_name = _("participation ladder response")
        verbose_name_plural = _("participation ladder responses")
        ordering = ["round", "perspective", "label", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "perspective", "label"], name="ladder_response_label_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.get_perspective_display()} – {self.label}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def clean(self):
        valid = {choice.value for choice in self.Answer}
        keys = set(questions.KEYS)
        if set(self.answers) - keys:
            raise ValidationError({"answers": _("Unknown question in the answers.")})
        if any(value not in valid for value in self.answers.values()):
            raise ValidationError({"answers": _("Answer yes, partly or no.")})
        if self.submitted_at is not None and set(self.answers) != keys:
            raise ValidationError({"answers": _("Answer all 15 questions.")})
