"""Audit questions, questionnaires and interview guides.

Every respondent-facing text is a dict from language code (see languages.py) to text, so one
item carries its plain, easy-to-read, children's and other language versions together. An
instrument is frozen when collection starts; changing it afterwards copies it into a new
version (a new Instrument row), so answers always point to the version they were given on.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from brukarrevision.audits.models import Audit, TargetGroup

from . import languages


class QualityArea(models.TextChoices):
    TREATMENT = "treatment", _("Treatment")
    INFORMATION = "information", _("Information")
    NEEDS_ASSESSMENT = "needs_assessment", _("Assessment of needs")
    GOALS = "goals", _("Goals and sub-goals")
    SUPPORT = "support", _("Support")
    COOPERATION = "cooperation", _("Cooperation with others")
    FOLLOW_UP = "follow_up", _("Follow-up")
    TRAINING = "training", _("Staff training")
    USER_INFLUENCE = "user_influence", _("User influence policy")
    QUALITY_SYSTEM = "quality_system", _("Quality management system")


class AuditQuestion(models.Model):
    """One of the few things the auditors want to find out (frågeställning)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="audit_questions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("audit question"))
    quality_areas = models.JSONField(_("quality areas"), default=list, blank=True)

    class Meta:
        verbose_name = _("audit question")
        verbose_name_plural = _("audit questions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="unique_audit_question")
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"

    def quality_area_labels(self) -> list[str]:
        return [str(QualityArea(code).label) for code in self.quality_areas]


class Instrument(models.Model):
    class Kind(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("questionnaire")
        INTERVIEW_GUIDE = "interview_guide", _("interview guide")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="instruments")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    respondent = models.CharField(_("who answers"), max_length=20, choices=TargetGroup.Kind.choices)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="instruments", verbose_name=_("target groups")
    )
    languages = models.JSONField(_("language versions"), default=list)
    intro = models.JSONField(_("introduction to the respondent"), default=dict, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["audit", "kind", "pk"]

    def __str__(self):
        return f"{self.title} ({_('version')} {self.version})"

    def clean(self):
        if not self.languages or self.languages[0] != languages.PLAIN:
            raise ValidationError({"languages": _("Plain Swedish is always the first version.")})

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_current(self) -> bool:
        return not Instrument.objects.filter(previous=self).exists()

    @property
    def is_guide(self) -> bool:
        return self.kind == self.Kind.INTERVIEW_GUIDE

    def all_items(self):
        """Every item and matrix row, in the order a respondent meets them."""
        return Item.objects.filter(section__instrument=self).order_by(
            "section__position", "position", "pk"
        )


class Section(models.Model):
    """A page of a questionnaire, or a theme of an interview guide."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.JSONField(_("heading"), default=dict)
    # The group's name in the XLSForm it was imported from, written back on export; blank
    # for a section made here, which is exported as section_<n>.
    name = models.SlugField(_("name in XLSForm"), max_length=40, blank=True, db_index=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return languages.text_in(self.title, languages.PLAIN)


class Item(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        RATING = "rating", _("rating scale")
        YES_NO = "yes_no", _("yes or no")
        NUMBER = "number", _("number")
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        MATRIX = "matrix", _("matrix of rating items")
        NOTE = "note", _("information text (no answer)")

    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE}
    SCALE_KINDS = {Kind.RATING, Kind.MATRIX}
    TEXT_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rows",
        verbose_name=_("matrix"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("A short code, printed on paper forms and used in exports, e.g. q7."),
    )
    kind = models.CharField(_("type of question"), max_length=20, choices=Kind.choices)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    quality_area = models.CharField(
        _("quality area"), max_length=30, choices=QualityArea.choices, blank=True
    )
    audit_question = models.ForeignKey(
        AuditQuestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("audit question"),
    )
    scale_steps = models.PositiveSmallIntegerField(
        _("steps on the scale"), null=True, blank=True, choices=[(4, "4"), (5, "5")]
    )
    scale_low = models.JSONField(_("label of the lowest step"), default=dict, blank=True)
    scale_high = models.JSONField(_("label of the highest step"), default=dict, blank=True)
    dont_know = models.BooleanField(_("offer “don't know / don't want to answer”"), default=False)
    not_applicable = models.BooleanField(_("offer “not applicable”"), default=False)
    # Names in the XLSForm the item was imported from, written back on export: the answer
    # list (on a matrix, the list of its rows) and the answers stored as dont_know and
    # not_applicable (e.g. 9 and 98). Blank for an item made here: the export derives them.
    list_name = models.SlugField(
        _("answer list name in XLSForm"), max_length=40, blank=True, db_index=False
    )
    dont_know_name = models.SlugField(
        _("name of “don't know” in XLSForm"), max_length=40, blank=True, db_index=False
    )
    not_applicable_name = models.SlugField(
        _("name of “not applicable” in XLSForm"), max_length=40, blank=True, db_index=False
    )
    condition = models.JSONField(_("show only if"), null=True, blank=True)
    prompts = models.JSONField(_("follow-up prompts"), default=dict, blank=True)
    interviewer_note = models.JSONField(_("note to the interviewer"), default=dict, blank=True)
    bank_key = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return f"{self.code}: {languages.text_in(self.text, languages.PLAIN)}"

    @property
    def instrument(self) -> Instrument:
        return self.section.instrument

    @property
    def is_row(self) -> bool:
        return self.parent_id is not None

    @property
    def scale(self) -> "Item":
        """The item whose scale this item uses: its matrix for a row, else itself."""
        return self.parent if self.parent_id else self

    def answers_anything(self) -> bool:
        return self.kind not in (self.Kind.NOTE, self.Kind.MATRIX)


class Choice(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    value = models.SlugField(_("code"), max_length=40)
    label = models.JSONField(_("label"), default=dict)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.value}: {languages.text_in(self.label, languages.PLAIN)}"
