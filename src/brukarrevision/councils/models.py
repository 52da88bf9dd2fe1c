"""User councils (brukarråd), patient forums and reference groups: their members and staff,
their meetings, and the issues raised (frågor) followed until someone reports back."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brukarrevision.instruments.models import QualityArea
from brukarrevision.organisations.models import Organisation, Unit


class Level(models.TextChoices):
    """The three levels at which influence happens (DESIGN.md §3)."""

    INDIVIDUAL = "individual", _("individual level")
    SERVICE = "service", _("unit level")
    SYSTEM = "system", _("system level")


class Body(models.Model):
    class Kind(models.TextChoices):
        USER_COUNCIL = "user_council", _("user council")
        PATIENT_FORUM = "patient_forum", _("patient forum")
        REFERENCE_GROUP = "reference_group", _("reference group")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="council_bodies",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="council_bodies",
        verbose_name=_("unit"),
        help_text=_("Leave empty for a council of the whole municipality or region."),
    )
    run_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supported_bodies",
        verbose_name=_("user organisation that supports it"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("council or forum")
        verbose_name_plural = _("councils and forums")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.unit_id and self.organisation_id and self.unit.client_id != self.organisation_id:
            raise ValidationError({"unit": _("Choose a unit of this organisation.")})

    def area_units(self):
        """The units this body speaks for: its own unit, or every unit of its organisation."""
        if self.unit_id:
            return Unit.objects.filter(pk=self.unit_id)
        return Unit.objects.filter(client_id=self.organisation_id)


class Member(models.Model):
    class Represents(models.TextChoices):
        USERS = "users", _("users")
        RELATIVES = "relatives", _("relatives")
        ORGANISATION = "organisation", _("an organisation")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    represents = models.CharField(_("represents"), max_length=20, choices=Represents.choices)
    organisation_name = models.CharField(
        _("organisation represented"),
        max_length=200,
        blank=True,
        help_text=_("For example a user or relatives' association."),
    )
    units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("units the member covers")
    )
    term_from = models.DateField(_("term of office from"))
    term_to = models.DateField(_("term of office to"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_memberships",
        verbose_name=_("account"),
    )

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def in_office(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.term_from <= on and (self.term_to is None or self.term_to >= on)


class Staff(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    minutes = models.TextField(_("minutes"), blank=True)
    easy_summary = models.TextField(
        _("easy-to-read summary"),
        blank=True,
        help_text=_("What was said and decided, in short sentences and common words."),
    )
    members_present = models.ManyToManyField(
        Member, blank=True, related_name="meetings", verbose_name=_("members present")
    )
    staff_present = models.ManyToManyField(
        Staff, blank=True, related_name="meetings", verbose_name=_("staff present")
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.body}: {self.held_on.isoformat()}"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class Issue(models.Model):
    """An issue raised (fråga): the unit of follow-up, from raising to reporting back."""

    class Source(models.TextChoices):
        MEETING = "meeting", _("raised at a meeting")
        SUGGESTION = "suggestion", _("from the suggestion box")
        PROPOSAL = "proposal", _("from an audit's action proposal")

    class Status(models.TextChoices):
        RAISED = "raised", _("raised")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    OPEN = (Status.RAISED, Status.IN_PROGRESS)

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="issues")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_issues",
        verbose_name=_("raised at the meeting"),
    )
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_issues",
    )
    proposal = models.ForeignKey(
        "reports.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_issues",
    )
    title = models.CharField(_("issue"), max_length=200)
    text = models.TextField(_("description"), blank=True)
    quality_area = models.CharField(
        _("quality area"), max_length=30, choices=QualityArea.choices, blank=True
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_issues",
        verbose_name=_("unit"),
    )
    recipient = models.CharField(
        _("recipient"),
        max_length=200,
        blank=True,
        help_text=_("Who answers, if not a unit: for example the social services committee."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_council_issues",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RAISED
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    feedback_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_issues",
        verbose_name=_("reported back at the meeting"),
    )
    fed_back_on = models.DateField(_("reported back on"), null=True, blank=True)
    # The due date the owner was last reminded of: one reminder per overdue period.
    reminded_due_on = models.DateField(null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("issue raised")
        verbose_name_plural = _("issues raised")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="council_issue_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | (~models.Q(answer="") & models.Q(fed_back_on__isnull=False)),
                name="council_issue_closed_needs_answer_and_feedback",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN and self.due_on < timezone.localdate()


class IssueChange(models.Model):
    """One move of an issue's status: who, when, from, to and why."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=Issue.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Issue.Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.issue}: {self.from_status} → {self.to_status}"
