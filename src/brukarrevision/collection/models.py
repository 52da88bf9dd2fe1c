"""Anonymous responses from the web, paper and interviews, and what it takes to get them.

A response stores no name, no IP address and no cookie: only which distribution, unit, target
group, instrument version, language and channel it came from, whether it was a proxy or an
assisted answer, and the day it was given. Answers are one row per answer with typed columns so
the database computes results.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brukarrevision.audits.models import Audit, TargetGroup
from brukarrevision.instruments.models import Instrument, Item
from brukarrevision.organisations.models import Unit


class Channel(models.TextChoices):
    WEB = "web", _("web")
    PAPER = "paper", _("paper")
    INTERVIEW = "interview", _("interview")
    OFFLINE = "offline", _("offline (ODK)")


def new_token() -> str:
    return secrets.token_urlsafe(9)


class Distribution(models.Model):
    """One link (and QR code) for one audit, unit, target group and instrument version."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="distributions")
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="distributions"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    target_group = models.ForeignKey(TargetGroup, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("first language shown"), max_length=20, default="sv")
    token = models.SlugField(_("link code"), max_length=40, unique=True, default=new_token)
    is_open = models.BooleanField(_("open for answers"), default=True)
    requires_code = models.BooleanField(_("a one-time answer code is needed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["unit__name", "target_group__name", "pk"]

    def __str__(self):
        return f"{self.unit} · {self.target_group} · {self.instrument.title}"

    def get_absolute_url(self) -> str:
        return f"/s/{self.token}/"


class Response(models.Model):
    class Respondent(models.TextChoices):
        SELF = "self", _("answered alone")
        ASSISTED = "assisted", _("answered with help to read or tick")
        PROXY = "proxy", _("answered by a guardian or other proxy")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    distribution = models.ForeignKey(
        Distribution, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    target_group = models.ForeignKey(TargetGroup, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=20)
    respondent = models.CharField(
        _("who answered"), max_length=20, choices=Respondent.choices, default=Respondent.SELF
    )
    submission_key = models.CharField(max_length=64, unique=True)
    content_hash = models.CharField(max_length=64)
    submitted_on = models.DateField(_("date"))
    # The hour only (minutes and seconds are cut off), for spotting bursts of submissions:
    # never an exact moment that could single out a respondent.
    submitted_hour = models.DateTimeField(_("hour submitted"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paper_number = models.CharField(_("number on the paper form"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["audit", "unit", "target_group"])]

    def __str__(self):
        return f"{self.get_channel_display()} {self.submitted_on}"

    @property
    def is_proxy(self) -> bool:
        return self.respondent == self.Respondent.PROXY


def _copy_from_response(answer) -> None:
    """An answer made without its unit and target group takes its response's."""
    if answer.unit_id is None or answer.target_group_id is None:
        response = answer.response
        answer.unit_id = answer.unit_id or response.unit_id
        answer.target_group_id = answer.target_group_id or response.target_group_id


class AnswerQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for answer in objs:
            _copy_from_response(answer)
        return super().bulk_create(objs, *args, **kwargs)


class Answer(models.Model):
    """One answer: a choice code (single, yes/no, and one row per ticked box of a multiple
    choice), a number (rating step or number item), or a text; `special` holds "don't know"
    and "not applicable", which are never a scale value."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # No index of its own: the (item, response) index below serves every lookup by item.
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers", db_index=False)
    # The response's unit and target group, copied onto each answer when it is stored, so a
    # breakdown by unit or group counts answers without joining millions of them to their
    # responses. A response's unit and group never change; the response's own foreign keys
    # hold the constraint (none here: no check per answer row), and no index (see Meta).
    unit = models.ForeignKey(
        Unit, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    choice = models.CharField(max_length=40, blank=True)
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    special = models.CharField(max_length=20, blank=True)
    needs_review = models.BooleanField(_("possible name to review"), default=False)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        # Results read whole items (a scan, grouped), so one index by item serves them and
        # counts each respondent once; every index more is work on every submission.
        indexes = [models.Index(fields=["item", "response"])]

    def __str__(self):
        return f"{self.item.code}={self.choice or self.number or self.special or '…'}"

    def save(self, *args, **kwargs):
        _copy_from_response(self)
        super().save(*args, **kwargs)


class Draft(models.Model):
    """A web respondent's answers between pages, kept on the server under a random key that
    only the respondent's own browser holds in a cookie. Gone once the response is stored."""

    key = models.CharField(max_length=64, unique=True)
    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="+")
    submission_key = models.CharField(max_length=64)
    language = models.CharField(max_length=20)
    respondent = models.CharField(max_length=20, default=Response.Respondent.SELF)
    consented = models.BooleanField(default=False)
    answers = models.JSONField(default=dict)
    page = models.PositiveSmallIntegerField(default=1)
    large_text = models.BooleanField(default=False)
    # The digest of the answer code typed on the start page, until the response is stored
    # (the draft is deleted then): never the code itself.
    code_digest = models.CharField(max_length=64, blank=True)
    high_contrast = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"draft {self.pk}"

    def save(self, *args, **kwargs):
        """Free text is masked as it is saved here too, not only in the stored response:
        a draft can wait for days, and raw personal data must not wait with it."""
        from .cleaning import clean

        self.answers = {
            code: clean(value).text if isinstance(value, str) else value
            for code, value in (self.answers or {}).items()
        }
        super().save(*args, **kwargs)


class AnswerCode(models.Model):
    """A one-time answer code of a distribution, for no one in particular. Only a keyed
    digest of the code is stored, and whether it has been used: not when, nor by which
    response, so a used code cannot be joined to any answers."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="answer_codes"
    )
    digest = models.CharField(max_length=64)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("answer code")
        verbose_name_plural = _("answer codes")
        constraints = [
            models.UniqueConstraint(fields=["distribution", "digest"], name="one_code_digest")
        ]

    def __str__(self):
        return f"answer code {self.pk}"


class InterviewContact(models.Model):
    """Someone willing to be interviewed, passed on by the unit. Kept apart from any answer
    and erased when the interview is done or cancelled."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="interview_contacts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    target_group = models.ForeignKey(TargetGroup, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name or first name"), max_length=120)
    how_to_reach = models.CharField(_("phone or e-mail"), max_length=200)
    needs = models.CharField(
        _("wishes and needs (e.g. interpreter, place)"), max_length=300, blank=True
    )
    passed_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interview contact")
        verbose_name_plural = _("interview contacts")

    def __str__(self):
        return self.name


class Interview(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting to be booked")
        BOOKED = "booked", _("booked")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="interviews")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    target_group = models.ForeignKey(TargetGroup, on_delete=models.PROTECT, related_name="+")
    contact = models.OneToOneField(
        InterviewContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interview",
    )
    guide = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="interviews", verbose_name=_("interviewers")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    response = models.OneToOneField(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="interview"
    )
    notes = models.JSONField(default=dict, blank=True)  # item code -> {"answer", "note"}

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.unit} {self.starts_at or ''}"
