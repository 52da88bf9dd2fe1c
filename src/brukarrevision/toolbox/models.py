"""The toolbox (verktygslåda): methods, activities, study materials, audit manuals and
templates for user influence, each with an easy-to-read version and attachments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from brukarrevision.instruments.models import QualityArea


class Level(models.TextChoices):
    """The three levels at which influence happens (DESIGN.md §3)."""

    INDIVIDUAL = "individual", _("individual level")
    SERVICE = "service", _("service level")
    SYSTEM = "system", _("system level")


class Entry(models.Model):
    class Kind(models.TextChoices):
        METHOD = "method", _("method")
        ACTIVITY = "activity", _("activity")
        STUDY_MATERIAL = "study_material", _("study material")
        AUDIT_MANUAL = "audit_manual", _("audit manual")
        TEMPLATE = "template", _("template")

    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("in one sentence"), max_length=300)
    purpose = models.TextField(_("purpose"))
    suits = models.TextField(_("who it suits"))
    levels = models.JSONField(_("levels"), default=list)
    quality_areas = models.JSONField(_("quality areas"), default=list, blank=True)
    steps = models.TextField(_("steps"), help_text=_("One step per line."))
    time_needed = models.CharField(_("time needed"), max_length=200)
    easy_text = models.TextField(
        _("easy-to-read version"),
        help_text=_("Short sentences and common words, the most important first."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("toolbox entry")
        verbose_name_plural = _("toolbox entries")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("toolbox:entry", args=[self.slug])

    def clean(self):
        if not self.levels or set(self.levels) - set(Level.values):
            raise ValidationError({"levels": _("Choose at least one level.")})
        if set(self.quality_areas) - set(QualityArea.values):
            raise ValidationError({"quality_areas": _("Choose quality areas from the list.")})
        if not self.easy_text.strip():
            raise ValidationError({"easy_text": _("Every entry needs an easy-to-read version.")})

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def easy_paragraphs(self) -> list[str]:
        return [part.strip() for part in self.easy_text.split("\n\n") if part.strip()]

    @property
    def level_labels(self) -> list[str]:
        return [str(Level(code).label) for code in self.levels if code in Level.values]

    @property
    def quality_area_labels(self) -> list[str]:
        return [
            str(QualityArea(code).label)
            for code in self.quality_areas
            if code in QualityArea.values
        ]


class Attachment(models.Model):
    """A file for an entry (a template, a handout), kept in the database like rendered
    reports so that every app server serves the same files."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
