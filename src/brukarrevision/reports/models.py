"""The report and what it proposes: action proposals, a colour rating per quality area, the
report's editable sections with versions, and its renderings (DOCX, PDF, HTML)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brukarrevision.analysis.models import Finding
from brukarrevision.audits.models import Audit
from brukarrevision.instruments.models import QualityArea


def report_filename(audit: Audit, fmt: str, easy_read: bool) -> str:
    suffix = "-lattlast" if easy_read else ""
    return f"{audit.slug}-rapport{suffix}.{fmt}"


class Proposal(models.Model):
    """An action proposal (åtgärdsförslag) written by the auditors from their findings."""

    class Level(models.TextChoices):
        LOCAL = "local", _("local")
        REGIONAL = "regional", _("regional")
        NATIONAL = "national", _("national")

    class Priority(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("proposal"), max_length=200)
    text = models.TextField(_("why and how"), blank=True)
    easy_text = models.TextField(
        _("in easy-to-read Swedish"),
        blank=True,
        help_text=_(
            "What the proposal means, in short sentences and common words. The easy-to-read "
            "summary shows this instead of the proposal. Aim for a LIX under 30."
        ),
    )
    quality_area = models.CharField(_("quality area"), max_length=30, choices=QualityArea.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default="local")
    priority = models.CharField(
        _("priority"), max_length=20, choices=Priority.choices, default="medium"
    )
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="proposals", verbose_name=_("findings it rests on")
    )
    recipient = models.CharField(
        _("passed on to"),
        max_length=200,
        blank=True,
        help_text=_("For regional and national proposals: who receives and answers it."),
    )

    class Meta:
        verbose_name = _("action proposal")
        verbose_name_plural = _("action proposals")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="unique_proposal_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Assessment(models.Model):
    """The auditors' colour rating of one quality area, with a short reason."""

    class Rating(models.TextChoices):
        WORKS_WELL = "works_well", _("works well")
        PARTLY = "partly", _("works partly")
        NEEDS_IMPROVEMENT = "needs_improvement", _("needs improvement")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="assessments")
    quality_area = models.CharField(_("quality area"), max_length=30, choices=QualityArea.choices)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["audit", "quality_area"], name="one_rating_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.get_quality_area_display()}: {self.get_rating_display()}"


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in review")
        PUBLISHED = "published", _("published")

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    review_note = models.TextField(_("note from the review"), blank=True)
    review_version = models.PositiveIntegerField(
        _("version sent for review"),
        null=True,
        blank=True,
        help_text=_("The one version the client and the unit may read while it is reviewed."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return str(self.audit)

    def text(self, key: str) -> str:
        section = next((s for s in self.sections.all() if s.key == key), None)
        return section.text if section else ""


class ReportSection(models.Model):
    """One editable text of the report; tables, charts, quotes and proposals are added from
    the audit's data when the report is rendered."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=40)
    heading = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="unique_report_section")
        ]

    def __str__(self) -> str:
        return self.heading


class ReportVersion(models.Model):
    """A snapshot of every section, taken at each save, so earlier wording is never lost."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    sections = models.JSONField()
    note = models.CharField(max_length=200, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class Rendering(models.Model):
    """One export of the report, made by a background task that reports its progress."""

    class Format(models.TextChoices):
        DOCX = "docx", "DOCX (Word)"
        PDF = "pdf", "PDF"
        HTML = "html", "HTML"

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="renderings")
    format = models.CharField(max_length=10, choices=Format.choices)
    easy_read = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        return report_filename(self.report.audit, self.format, self.easy_read)


class Edition(models.Model):
    """A published report, frozen: the pages and files exactly as published, with the
    release their figures rest on. A correction publishes a new edition with a change note;
    earlier editions stay, marked as replaced. Nothing here is rendered again."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField(_("version"))
    release = models.ForeignKey(
        "releases.Release", on_delete=models.PROTECT, related_name="editions"
    )
    note = models.TextField(_("what was changed"), blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    page = models.TextField()  # the report as shown on the public page
    easy_page = models.TextField()

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_edition_number")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def file(self, fmt: str, easy_read: bool) -> "EditionFile | None":
        return self.files.filter(format=fmt, easy_read=easy_read).first()


class EditionFile(models.Model):
    """One stored file of a published edition, with its SHA-256."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=10, choices=Rendering.Format.choices)
    easy_read = models.BooleanField(default=False)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "format", "easy_read"], name="one_file_per_edition_format"
            )
        ]

    def __str__(self) -> str:
        suffix = " (easy to read)" if self.easy_read else ""
        return f"{self.edition} {self.format}{suffix}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A published file is never changed.")
        super().save(*args, **kwargs)
