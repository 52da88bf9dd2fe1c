import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brukarrevision.organisations.models import Organisation, Unit


class Phase(models.IntegerChoices):
    APPLICATION = 0, _("0 Application")
    PLANNING = 1, _("1 Planning")
    TEAM = 2, _("2 Recruitment and training")
    INSTRUMENTS = 3, _("3 Questions and instruments")
    COLLECTION = 4, _("4 Data collection")
    ANALYSIS = 5, _("5 Analysis")
    REPORT = 6, _("6 Report")
    FEEDBACK = 7, _("7 Feedback")
    FOLLOW_UP = 8, _("8 Follow-up")
    CLOSED = 9, _("Closed")


class Method(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("questionnaire")
    INTERVIEWS = "interviews", _("interviews")
    FOCUS_GROUPS = "focus_groups", _("focus groups")
    MIXED = "mixed", _("mixed methods")


class TrainingTopic(models.TextChoices):
    LAW = "law", _("law and rights")
    SECRECY = "secrecy", _("secrecy and confidentiality")
    INTERVIEWING = "interviewing", _("interview technique")


class Offer(models.Model):
    """An offer of audits from a performing organisation, e.g. 'four municipalities this autumn'."""

    performer = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="offers", verbose_name=_("performer")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    places = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    closes_on = models.DateField(_("last day to apply"), null=True, blank=True)
    is_open = models.BooleanField(_("open for applications"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def accepts_applications(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and (self.closes_on is None or self.closes_on >= today)

    def places_taken(self) -> int:
        return self.applications.filter(holds_place=True).count()

    def places_left(self) -> int | None:
        if self.places is None:
            return None
        return max(self.places - self.places_taken(), 0)


class Application(models.Model):
    """Phase 0: a client's intresseanmälan."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        WAITING = "waiting", _("on the waiting list")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="applications", verbose_name=_("offer")
    )
    client = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("client"),
    )
    units = models.ManyToManyField(Unit, verbose_name=_("units to audit"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    purpose = models.TextField(_("purpose of the audit"))
    anchoring = models.TextField(_("how the audit is anchored in the units"))
    recruitment = models.TextField(_("how respondents from each target group will be recruited"))
    use_of_results = models.TextField(_("how results and action proposals will be used"))
    participation = models.TextField(_("how users and relatives take part"))
    follow_up = models.TextField(_("how follow-up is done"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    holds_place = models.BooleanField(default=False)
    decision_message = models.TextField(_("message to the client"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(holds_place=True),
                name="accepted_application_holds_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} – {self.offer}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.WAITING)


class Audit(models.Model):
    slug = models.SlugField(_("short name"), unique=True, max_length=60)
    title = models.CharField(_("title"), max_length=200)
    performer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="performed_audits",
        verbose_name=_("performer"),
    )
    client = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="client_audits",
        verbose_name=_("client"),
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    phase = models.IntegerField(_("phase"), choices=Phase.choices, default=Phase.PLANNING)
    units = models.ManyToManyField(Unit, blank=True, verbose_name=_("units in scope"))
    municipalities = models.CharField(
        _("municipalities in scope"),
        max_length=500,
        blank=True,
        help_text=_("Separate with commas."),
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, blank=True)
    budget_sek = models.DecimalField(
        _("budget (SEK)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    informs_users = models.CharField(
        _("who informs users about the audit"), max_length=300, blank=True
    )
    informs_staff = models.CharField(
        _("who informs staff about the audit"), max_length=300, blank=True
    )
    previous_audit = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="re_audits",
        verbose_name=_("earlier audit of the same unit"),
        help_text=_("A re-audit is compared with the earlier audit in its report."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Retention of raw data (answers, interview notes and contacts): see audits/retention.py.
    retention_until = models.DateField(
        _("raw data kept until"),
        null=True,
        blank=True,
        help_text=_("On this day the answers, interview notes and contact details are deleted."),
    )
    retention_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    raw_data_deleted_at = models.DateTimeField(
        _("raw data deleted"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["phase", "title"]

    def __str__(self) -> str:
        return self.title

    def coordinator_member(self):
        return self.members.filter(role=AuditMember.Role.COORDINATOR).first()


class TargetGroup(models.Model):
    class Kind(models.TextChoices):
        USERS = "users", _("service users")
        RELATIVES = "relatives", _("relatives")
        CHILDREN = "children", _("children and young people")
        GUARDIANS = "guardians", _("guardians")
        STAFF = "staff", _("staff")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="target_groups")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "name"], name="target_group_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Quota(models.Model):
    """Sample plan: how many respondents are sought per unit and target group."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, verbose_name=_("unit"))
    target_group = models.ForeignKey(
        TargetGroup, on_delete=models.CASCADE, verbose_name=_("target group")
    )
    target = models.PositiveIntegerField(_("respondents sought"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["audit", "unit", "target_group"], name="quota_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.target_group_id}: {self.target}"


class PhaseDate(models.Model):
    """Timeline: when each phase is planned to start and be done."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="phase_dates")
    phase = models.IntegerField(_("phase"), choices=Phase.choices)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    due_on = models.DateField(_("done by"), null=True, blank=True)

    class Meta:
        ordering = ["phase"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "phase"], name="phase_date_unique"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=models.F("starts_on")),
                name="phase_date_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.starts_on}–{self.due_on}"


# Leeway for a time taken a moment before the row is saved (as `added_at` is).
PLEDGE_CLOCK_ALLOWANCE = datetime.timedelta(minutes=1)


class AuditMember(models.Model):
    """A person's role in one audit: the coordinator or one of the auditors."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        AUDITOR = "auditor", _("auditor")

    class Perspective(models.TextChoices):
        USER = "user", _("own experience as a service user")
        RELATIVE = "relative", _("experience as a relative")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    perspective = models.CharField(
        _("perspective"), max_length=20, choices=Perspective.choices, blank=True
    )
    declared_not_current_user_at = models.DateTimeField(null=True, blank=True)
    pledge_signed_at = models.DateTimeField(
        _("confidentiality pledge signed"), null=True, blank=True
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit member")
        verbose_name_plural = _("audit members")
        ordering = ["role", "added_at"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "user"], name="audit_member_unique"),
            models.UniqueConstraint(
                fields=["audit"], condition=Q(role="coordinator"), name="one_coordinator_per_audit"
            ),
            models.CheckConstraint(
                condition=Q(role="coordinator") | Q(declared_not_current_user_at__isnull=False),
                name="auditor_has_declared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        self.check_pledge_date()
        super().save(*args, **kwargs)

    @property
    def has_signed_pledge(self) -> bool:
        return self.pledge_signed_at is not None

    def check_pledge_date(self) -> None:
        """A pledge is signed now, by the person, once: never dated in the future, before
        the person joined the team, or moved once signed (so it cannot be back-dated)."""
        if self.pledge_signed_at is None:
            return
        stored = None
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("pledge_signed_at", flat=True)
                .first()
            )
        if stored is not None:
            if stored != self.pledge_signed_at:
                raise ValidationError(_("A signed pledge keeps the date it was signed."))
            return
        now = timezone.now()
        allowance = PLEDGE_CLOCK_ALLOWANCE
        if not now - allowance <= self.pledge_signed_at <= now + allowance:
            raise ValidationError(_("A pledge is dated when it is signed, not before or after."))
        if self.added_at and self.pledge_signed_at < self.added_at - allowance:
            raise ValidationError(_("A pledge cannot be signed before joining the team."))


class TrainingRecord(models.Model):
    """A course an auditor has completed; belongs to the person, not to one audit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training"
    )
    topic = models.CharField(_("training"), max_length=20, choices=TrainingTopic.choices)
    completed_on = models.DateField(_("completed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["topic"]
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="training_unique")]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.completed_on}"


class PhaseTransition(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.IntegerField(choices=Phase.choices)
    to_phase = models.IntegerField(choices=Phase.choices)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    moved_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("why"))

    class Meta:
        ordering = ["moved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"


class ChecklistTick(models.Model):
    """A manual checklist item marked done."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="ticks")
    key = models.CharField(max_length=60)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "key"], name="tick_unique")]

    def __str__(self) -> str:
        return self.key
