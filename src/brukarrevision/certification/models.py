"""Certification of user influence (certifiering av brukarinflytande): a unit works through a
checklist per quality area and level together with its users, gathers evidence, agrees an
action plan, is certified by a user organisation and followed up on a fixed interval.

A checklist is versioned like an instrument: a certification keeps the version it started
with, and changing a version in use copies it into a new version (services.editable_checklist).
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brukarrevision.instruments.models import QualityArea
from brukarrevision.organisations.models import Organisation, Unit


class Level(models.TextChoices):
    """The three levels at which influence happens (DESIGN.md §3)."""

    INDIVIDUAL = "individual", _("individual level")
    SERVICE = "service", _("unit level")
    SYSTEM = "system", _("system level")


class TakingPart(models.TextChoices):
    """Who takes part in a meeting or an assessment, by role."""

    STAFF = "staff", _("staff")
    UNION = "union", _("union representatives")
    MANAGERS = "managers", _("managers")
    USERS = "users", _("users")


class Checklist(models.Model):
    """One version of a certification checklist. The shipped default belongs to no
    organisation; a user organisation's own checklist starts as a copy of it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certification_checklists",
        verbose_name=_("user organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("based on"),
    )
    frozen_at = models.DateTimeField(_("in use since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certification checklist")
        verbose_name_plural = _("certification checklists")
        ordering = ["organisation_id", "-version", "-pk"]

    def __str__(self):
        return f"{self.title} ({_('version')} {self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Criterion(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="criteria")
    quality_area = models.CharField(_("quality area"), max_length=30, choices=QualityArea.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("criterion"))
    guidance = models.TextField(_("guidance"), blank=True)
    easy_text = models.TextField(_("in easy-to-read Swedish"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Certification(models.Model):
    """One round of certification of a unit, led by a user organisation."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("offered")
        DECLINED = "declined", _("declined")
        IN_PROGRESS = "in_progress", _("in progress")
        NOT_YET = "not_yet", _("not yet certified")
        CERTIFIED = "certified", _("certified")
        LAPSED = "lapsed", _("lapsed")
        EXPIRED = "expired", _("expired")
        RENEWED = "renewed", _("replaced by a renewal")

    class Decision(models.TextChoices):
        CERTIFIED = "certified", _("certified")
        NOT_YET = "not_yet", _("not yet")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("unit")
    )
    performer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="certifications_led",
        verbose_name=_("user organisation"),
    )
    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="certifications"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    renewal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renewal of"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OFFERED
    )
    offer_text = models.TextField(_("the offer"), blank=True)
    offered_on = models.DateField(_("offered on"), default=timezone.localdate)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    presented_on = models.DateField(_("action plan presented on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_reasoning = models.TextField(_("reasoning"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    follow_up_months = models.PositiveSmallIntegerField(_("follow-up every (months)"), default=6)
    lapsed_on = models.DateField(_("lapsed on"), null=True, blank=True)
    lapse_reason = models.TextField(_("why it lapsed"), blank=True)
    code = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-offered_on", "-pk"]

    def __str__(self):
        return f"{self.unit} ({_('round')} {self.round})"

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = secrets.token_urlsafe(18)[:24]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("certification:detail", args=[self.pk])

    def verification_path(self) -> str:
        return reverse("certification:verify", args=[self.code])

    @property
    def client(self) -> Organisation:
        return self.unit.client

    @property
    def is_open(self) -> bool:
        """Still being worked on: the steps before the decision can be done."""
        return self.status in (self.Status.IN_PROGRESS, self.Status.NOT_YET)

    def standing(self, today: datetime.date | None = None) -> str:
        """What the verification link says: valid, lapsed, expired, or none (no certificate)."""
        today = today or timezone.localdate()
        if self.status == self.Status.LAPSED:
            return "lapsed"
        if self.certified_on is None:
            return "none"
        if self.status == self.Status.EXPIRED or (self.valid_until and self.valid_until < today):
            return "expired"
        if self.status in (self.Status.CERTIFIED, self.Status.RENEWED):
            return "valid"
        return "none"


class Participant(models.Model):
    """An invited staff member or user representative with an account, who takes part."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certification_roles"
    )
    role = models.CharField(_("takes part as"), max_length=20, choices=TakingPart.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "user"], name="certification_participant_once"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class InformationMeeting(models.Model):
    certification = models.OneToOneField(
        Certification, on_delete=models.CASCADE, related_name="meeting"
    )
    held_on = models.DateField(_("date"))
    staff = models.PositiveSmallIntegerField(_("staff"), default=0)
    union = models.PositiveSmallIntegerField(_("union representatives"), default=0)
    managers = models.PositiveSmallIntegerField(_("managers"), default=0)
    users = models.PositiveSmallIntegerField(_("users"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return str(self.held_on)


class Assessment(models.Model):
    """A criterion assessed together by staff and users."""

    class Result(models.TextChoices):
        MET = "met", _("met")
        PARTLY = "partly", _("partly met")
        NOT_MET = "not_met", _("not met")

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("assessment"), max_length=20, choices=Result.choices)
    comment = models.TextField(_("comment"), blank=True)
    taking_part = models.JSONField(_("who took part"), default=list)
    names = models.CharField(_("names (optional)"), max_length=300, blank=True)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "criterion"], name="certification_assessed_once"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.get_result_display()}"

    def taking_part_labels(self) -> list[str]:
        return [str(TakingPart(code).label) for code in self.taking_part]


class Evidence(models.Model):
    """A document, a photo, a link, an audit finding or proposal, or a council issue about the
    same unit."""

    class Kind(models.TextChoices):
        FILE = "file", _("document or photo")
        LINK = "link", _("link")
        FINDING = "finding", _("audit finding")
        PROPOSAL = "proposal", _("action proposal")
        COUNCIL_ISSUE = "council_issue", _("council issue")

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    data = models.BinaryField(null=True, blank=True, editable=False)
    content_type = models.CharField(max_length=60, blank=True, editable=False)
    filename = models.CharField(max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)
    finding = models.ForeignKey(
        "analysis.Finding", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        "reports.Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    council_issue = models.ForeignKey(
        "councils.Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.description or self.filename or self.url


class CheckIn(models.Model):
    """An avstämning: the user organisation and the unit take stock together."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="check_ins"
    )
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return str(self.held_on)


class Action(models.Model):
    """One action of the action plan, usually from a criterion not met or partly met."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        STARTED = "started", _("started")
        DONE = "done", _("done")

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="actions"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("action"))
    owner = models.CharField(_("who is responsible"), max_length=200, blank=True)
    due_on = models.DateField(_("to be done by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    done_evidence = models.TextField(_("what shows it is done"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != self.Status.DONE and bool(self.due_on) and self.due_on < today


class FollowUp(models.Model):
    """A follow-up due at a set interval after certification."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return str(self.due_on)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.done_on is None and self.due_on < today
