from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessibilityReport(models.Model):
    """A problem someone reported from the accessibility statement page."""

    page = models.CharField(_("page with the problem"), max_length=300, blank=True)
    description = models.TextField(_("what is the problem?"))
    contact = models.CharField(_("how can we reach you? (optional)"), max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("accessibility report")
        verbose_name_plural = _("accessibility reports")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d} {self.page}"
