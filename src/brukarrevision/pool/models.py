"""The auditor pool of a user organisation, its training courses and "one way in".

Lived experience of care is special-category personal data: the pool stores the least
needed, records consent, and is read only by the organisation's coordinators and the
administrators (see permissions.may_see_pool).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brukarrevision.audits.models import TrainingTopic
from brukarrevision.organisations.models import Organisation, Unit


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Experience(models.TextChoices):
    USER = "user", _("own experience as a service user")
    RELATIVE = "relative", _("experience as a relative")
    BOTH = "both", _("both as a user and as a relative")


class Module(models.TextChoices):
    """Modules of a course; the first three are the topics the team rule reads."""

    LAW = "law", _("law and rights")
    SECRECY = "secrecy", _("secrecy and confidentiality")
    INTERVIEWING = "interviewing", _("interview technique")
    ANALYSIS = "analysis", _("analysis")
    REPORT_WRITING = "report_writing", _("report writing")


# Completing a module writes this training record (the modules without one are kept on
# the course and the certificate only).
MODULE_TOPICS = {
    Module.LAW: TrainingTopic.LAW,
    Module.SECRECY: TrainingTopic.SECRECY,
    Module.INTERVIEWING: TrainingTopic.INTERVIEWING,
}


class PoolMember(models.Model):
    """A person in a user organisation's pool of auditors and user representatives."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="pool_members",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pool_memberships",
        verbose_name=_("account"),
    )
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    payroll_id = models.CharField(
        _("employee number in the payroll system"), max_length=40, blank=True
    )
    experience = models.CharField(
        _("experience"), max_length=20, choices=Experience.choices, blank=True
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    not_to_audit = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("units the person may not audit")
    )
    not_to_audit_service_types = models.JSONField(
        _("service types the person may not audit"), default=list, blank=True
    )
    availability = models.TextField(_("availability"), blank=True)
    available = models.BooleanField(_("takes new assignments"), default=True)
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("pool member")
        verbose_name_plural = _("pool members")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="pool_member_user_unique_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None

    def barred_service_type_labels(self) -> list[str]:
        return [
            Unit.ServiceType(value).label
            for value in self.not_to_audit_service_types or []
            if value in Unit.ServiceType.values
        ]

    def barred_from(self, unit: Unit) -> bool:
        """True if the person uses (or has said they may not audit) this unit or its kind."""
        if unit.service_type in (self.not_to_audit_service_types or []):
            return True
        return self.not_to_audit.filter(pk=unit.pk).exists()


class WayInRequest(models.Model):
    """A request for user representatives through the organisation's "one way in"."""

    class Kind(models.TextChoices):
        AUDIT = "audit", _("user audit")
        WORKING_GROUP = "working_group", _("working group")
        COUNCIL = "council", _("council")
        TRAINING = "training", _("training")
        TALK = "talk", _("talk")

    class RequesterKind(models.TextChoices):
        UNIT = "unit", _("unit")
        MUNICIPALITY = "municipality", _("municipality")
        REGION = "region", _("region")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        MATCHING = "matching", _("matching")
        FILLED = "filled", _("filled")
        CLOSED = "closed", _("closed")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="way_in_requests",
        verbose_name=_("organisation asked"),
    )
    requester_kind = models.CharField(
        _("you ask as"), max_length=20, choices=RequesterKind.choices, default=RequesterKind.UNIT
    )
    requester_name = models.CharField(_("organisation or unit"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit"),
    )
    service_type = models.CharField(
        _("service type"), max_length=20, choices=Unit.ServiceType.choices, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    kind = models.CharField(_("what is it for"), max_length=20, choices=Kind.choices)
    task = models.TextField(_("task"))
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    dates_note = models.CharField(_("times and place"), max_length=300, blank=True)
    people_needed = models.PositiveSmallIntegerField(_("number of people"), default=1)
    compensation = models.CharField(_("compensation offered"), max_length=300, blank=True)
    experience_wanted = models.CharField(
        _("experience wanted"), max_length=20, choices=Experience.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request through one way in")
        verbose_name_plural = _("requests through one way in")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.requester_name} – {self.get_kind_display()} ({self.starts_on})"


class Assignment(models.Model):
    """A pool member offered to a request; they accept or decline through a link."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("offered")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    request = models.ForeignKey(WayInRequest, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OFFERED
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    offered_at = models.DateTimeField(default=timezone.now)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-offered_at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "member"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.request}"


class Course(models.Model):
    """A training course run by a user organisation for its pool."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(_("title"), max_length=200)
    modules = models.JSONField(_("modules"), default=list)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def module_labels(self) -> list[str]:
        return [Module(m).label for m in self.modules if m in Module.values]


class CourseSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    modules = models.JSONField(_("modules covered"), default=list)

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.course} {self.date}"

    def module_labels(self) -> list[str]:
        return [Module(m).label for m in self.modules if m in Module.values]


class Participant(models.Model):
    class Role(models.TextChoices):
        AUDITOR = "auditor", _("auditor")
        COORDINATOR = "coordinator", _("coordinator trainee")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(PoolMember, on_delete=models.CASCADE, related_name="course_places")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AUDITOR)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("course participant")
        verbose_name_plural = _("course participants")
        ordering = ["member__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "member"], name="participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.course}"


class Attendance(models.Model):
    """A participant attended a session (a row per attendance)."""

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.session.date}"
