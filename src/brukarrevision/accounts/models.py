from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Respondents never have accounts."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class UserSession(models.Model):
    """Which session keys belong to whom, so that disabling an account ends its sessions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class SecurityEvent(models.Model):
    """Append-only log of sign-ins, failures and refused access. Never holds secrets."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("signed in")
        SIGN_OUT = "sign_out", _("signed out")
        SIGN_IN_FAILED = "sign_in_failed", _("failed sign-in")
        LOCKED_OUT = "locked_out", _("locked out")
        SECOND_FACTOR_FAILED = "otp_failed", _("wrong one-time code")
        ACCESS_REFUSED = "access_refused", _("access refused")
        ACCOUNT_DISABLED = "account_disabled", _("account disabled")
        PASSWORD_RESET = "password_reset", _("password reset requested")
        RAW_DATA_VIEWED = "raw_viewed", _("raw answers viewed")
        RAW_DATA_EXPORTED = "raw_exported", _("raw answers exported")
        SUBMISSION_CONFLICT = "submission_conflict", _("resent survey answers differed")
        SECOND_FACTOR_ENROLLED = "otp_enrolled", _("two-step sign-in set up")
        SECOND_FACTOR_REMOVED = "otp_removed", _("two-step sign-in turned off")
        SECOND_FACTOR_RESET = "otp_reset", _("two-step sign-in reset by an administrator")
        RELEASE_MADE = "release_made", _("results released")
        REPORT_PUBLISHED = "report_published", _("report published")
        ROLE_GRANTED = "role_granted", _("role granted")
        ROLE_REMOVED = "role_removed", _("role removed")
        PLEDGE_SIGNED = "pledge_signed", _("confidentiality pledge signed")
        TRAINING_RECORDED = "training_recorded", _("training recorded")
        PERSONAL_DATA_EXPORTED = "person_exported", _("a person's data exported")
        PERSON_ERASED = "person_erased", _("a person's data erased")
        RETENTION_SET = "retention_set", _("retention date set")
        RAW_DATA_DELETED = "raw_deleted", _("raw data deleted at the retention date")
        ANSWER_CODES_MADE = "answer_codes_made", _("one-time answer codes made")
        SURVEY_RATE_LIMITED = "survey_limited", _("survey submissions limited")
        SECURITY_LOG_EXPORTED = "log_exported", _("security log exported")
        CONSENT_RECORDED = "consent_recorded", _("consent recorded")
        CREDENTIAL_MADE = "credential_made", _("API token or app password made")
        CREDENTIAL_REVOKED = "credential_revoked", _("API token or app password revoked")
        CERTIFICATION_DECIDED = "certification_decided", _("certification decided")
        CERTIFICATE_LAPSED = "certificate_lapsed", _("certificate lapsed")

    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    identifier = models.CharField(_("who"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    path = models.CharField(_("what"), max_length=500, blank=True)
    audit = models.ForeignKey(
        "audits.Audit",
        verbose_name=_("audit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concerning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The person a grant, export or erasure was about."),
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    at = models.DateTimeField(_("when (UTC)"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.identifier}"


class SecurityPolicy(models.Model):
    """Site-wide settings an administrator changes in the admin. One row."""

    require_totp_for_raw_access = models.BooleanField(
        _("require a second factor for roles that see raw answers"),
        default=False,
        help_text=_("Coordinators and auditors must sign in with a one-time code."),
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(_("Security policy"))

    @classmethod
    def current(cls) -> "SecurityPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
