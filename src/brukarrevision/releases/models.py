"""A release (resultatutgåva): an immutable snapshot of an audit's results as people outside
the team see them. Everything outside the team reads a release, never live answers."""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Response


def checksum(content: dict) -> str:
    """SHA-256 of the content as canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Release(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(_("number"))
    made_at = models.DateTimeField(_("made"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    respondents = models.PositiveIntegerField(_("responses"))
    channels = models.JSONField(_("responses per channel"))
    # What people outside the team see: every figure of every breakdown, labels, chart texts.
    content = models.JSONField()
    # For the team only: every hidden cell with its n and why it is hidden.
    decisions = models.JSONField()
    checksum = models.CharField(_("checksum"), max_length=64)
    responses = models.ManyToManyField(Response, related_name="releases", editable=False)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["audit", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="unique_release_number")
        ]

    def __str__(self) -> str:
        return f"{self.audit} · {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A release cannot be changed once it is made."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A release cannot be removed."))

    def stamped_checksum(self) -> str:
        """Covers the content and every stamp: when, by whom, threshold, responses."""
        return checksum(
            {
                "content": self.content,
                "made_at": self.made_at.isoformat(),
                "made_by": self.made_by_id,
                "threshold": self.threshold,
                "respondents": self.respondents,
                "channels": self.channels,
            }
        )

    @property
    def intact(self) -> bool:
        return self.stamped_checksum() == self.checksum

    def instrument(self, pk) -> dict | None:
        return self.content["instruments"].get(str(pk))
