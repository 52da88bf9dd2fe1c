"""Personal API tokens: a person lets a program read (or enter responses) with their own
rights, limited to the scopes they choose and to a date. Only a digest of the secret is
stored; the secret itself is shown once, when the token is made."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A token reads "br_" followed by its 43-character secret; the first characters after the
# prefix are kept in the clear so the owner can tell their tokens apart.
TOKEN_PREFIX = "br_"
LONGEST_VALIDITY_DAYS = 365


def digest(secret: str) -> str:
    """SHA-256 of the whole token. The secret has 256 random bits, so no salt or slow hash
    is needed: nobody can guess their way back from the digest."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Scope(models.TextChoices):
    READ_AUDITS = "read:audits", _("read the audits you can see")
    READ_RESULTS = "read:results", _("read released results (small groups hidden)")
    READ_REPORTS = "read:reports", _("read published reports")
    READ_FOLLOWUP = "read:followup", _("read action proposals and their follow-up")
    READ_PORTFOLIO = "read:portfolio", _("read the portfolio across audits")
    WRITE_RESPONSES = "write:responses", _("enter paper and offline responses")


class ApiToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    hint = models.CharField(_("begins with"), max_length=12)
    secret_digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_on = models.DateField(_("valid through"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal API token")
        verbose_name_plural = _("personal API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_expired(self) -> bool:
        return timezone.localdate() > self.expires_on

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def allows(self, scope: str) -> bool:
        """May a request with this token use `scope`? Never once expired or revoked."""
        return self.is_usable and scope in self.scopes

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]
