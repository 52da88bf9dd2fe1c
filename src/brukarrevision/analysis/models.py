"""Qualitative coding and findings.

A codebook belongs to an audit: codes with descriptions, grouped into themes, each tied to
quality areas. A coding is one auditor's code on one passage of a text answer or interview
note (an Answer with text), kept by character offsets and with the passage's own words, so
several auditors can code the same material independently and be compared. A finding is a
good example or an area to improve, tied to quality areas and to its evidence.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Answer
from brukarrevision.instruments.models import Item, QualityArea

COLOR = RegexValidator(
    r"^#[0-9a-f]{6}$", _("Give the colour as # and six hex digits, like #a1b2c3.")
)


class Theme(models.Model):
    """A group of codes. In REFI-QDA a theme is a code that holds codes and is not codable."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="themes")
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    color = models.CharField(_("colour"), max_length=7, blank=True, validators=[COLOR])

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["audit", "name"], name="unique_theme_name")]

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    """A code of the codebook. Its GUID stays the same in every REFI-QDA export, so NVivo,
    MAXQDA and QualCoder recognise it as the same code."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="codes")
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="codes",
        verbose_name=_("theme"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    color = models.CharField(_("colour"), max_length=7, blank=True, validators=[COLOR])
    quality_areas = models.JSONField(_("quality areas"), default=list, blank=True)

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["audit", "name"], name="unique_code_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        unknown = set(self.quality_areas) - set(QualityArea.values)
        if unknown:
            raise ValidationError({"quality_areas": _("Choose quality areas from the list.")})
        if self.theme_id and self.theme.audit_id != self.audit_id:
            raise ValidationError({"theme": _("Choose a theme of this audit.")})

    @property
    def quality_area_labels(self) -> list[str]:
        return [str(QualityArea(code).label) for code in self.quality_areas]


class Coding(models.Model):
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    passage = models.TextField(_("passage"))
    is_quote = models.BooleanField(_("quote for the report"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        ordering = ["answer_id", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="passage_not_empty"
            ),
            models.UniqueConstraint(
                fields=["code", "answer", "coder", "start", "end"], name="unique_coding"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.passage[:40]}"


class Finding(models.Model):
    class Kind(models.TextChoices):
        GOOD_EXAMPLE = "good_example", _("good example")
        IMPROVEMENT = "improvement", _("area to improve")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"))
    quality_areas = models.JSONField(_("quality areas"), default=list)
    items = models.ManyToManyField(
        Item, blank=True, related_name="+", verbose_name=_("results it rests on")
    )
    codings = models.ManyToManyField(
        Coding, blank=True, related_name="findings", verbose_name=_("coded passages and quotes")
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def quality_area_labels(self) -> list[str]:
        return [str(QualityArea(code).label) for code in self.quality_areas]
