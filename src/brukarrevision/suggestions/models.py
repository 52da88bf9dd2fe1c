"""The suggestion box (synpunktslåda): anonymous suggestions to a unit, moderated and answered.

Nothing identifying is kept: no account, no address, no time of day; only the date it came in.
Free text is masked (personnummer, phone numbers, e-mail addresses) before it is saved.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from brukarrevision.instruments.models import QualityArea
from brukarrevision.organisations.models import Unit

from . import languages


class Suggestion(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("waiting for moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("unit")
    )
    about = models.TextField(_("what is it about"))
    change = models.TextField(_("what would you change"))
    quality_area = models.CharField(
        _("quality area"), max_length=30, choices=QualityArea.choices, blank=True
    )
    # The cleaning found a word that may be a name: the moderator checks before approving.
    may_hold_name = models.BooleanField(_("may contain a name"), default=False)
    language = models.CharField(
        _("language"), max_length=20, choices=languages.CHOICES, default=languages.PLAIN
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    answer = models.TextField(_("answer from the unit"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    sent_to_council_at = models.DateTimeField(_("sent to a council"), null=True, blank=True)
    # The date only: no time of day, no address, nothing that could point to the writer.
    created_on = models.DateField(_("received on"))

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_on", "-pk"]
        indexes = [models.Index(fields=["unit", "status"], name="suggestion_unit_status")]

    def __str__(self) -> str:
        return f"{self.unit}: {self.about[:40]}"

    @property
    def is_public(self) -> bool:
        """Shown on the unit's wall: approved and answered."""
        return self.status == self.Status.APPROVED and bool(self.answer.strip())

    def clean(self):
        if self.status == self.Status.REJECTED and not self.rejection_reason.strip():
            raise ValidationError({"rejection_reason": _("Give a reason for rejecting.")})
