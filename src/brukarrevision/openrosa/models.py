"""App passwords: the separate secret an interviewer types into ODK Collect.

ODK Collect signs in with HTTP Basic on every request. With the main password that would
bypass two-step sign-in, so Collect gets an app password of its own: made on a page reached
only after signing in (in two steps where that applies), shown once, stored only as a keyed
digest (HMAC with SECRET_KEY: the secret is random and long, so a slow hash adds nothing),
revocable one by one, and every use and misuse logged.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppPassword(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_passwords"
    )
    label = models.CharField(_("name (e.g. the phone it is on)"), max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    # Made in a session confirmed with a second factor: then it counts as such for the
    # "second factor for raw answers" rule, as the session that made it did.
    made_verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("app password")
        verbose_name_plural = _("app passwords")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.label}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
