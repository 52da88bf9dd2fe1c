"""Fees (arvode) and travel claims (reseräkning) of the pool's people, their approval, and
each audit's budget. Amounts are Decimal SEK with two decimals; a report keeps the fee that
was valid on its work date, so a later change to the schedule never changes what was paid."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brukarrevision.organisations.models import Organisation

CENT = Decimal("0.01")
# Skatteverket's tax-free mileage allowance for one's own car: 25 kronor per 10 km.
DEFAULT_MILEAGE_RATE = Decimal("2.50")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class FeeKind(models.TextChoices):
    HOUR = "hour", _("per hour")
    HALF_DAY = "half_day", _("per half day")
    MEETING = "meeting", _("per meeting")
    INTERVIEW = "interview", _("per interview")


class Activity(models.TextChoices):
    PREPARATION = "preparation", _("preparation")
    INTERVIEWS = "interviews", _("interviews")
    ANALYSIS = "analysis", _("analysis")
    REPORT_WRITING = "report_writing", _("report writing")
    MEETINGS = "meetings", _("meetings")
    OTHER = "other", _("other")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for approval")
    RETURNED = "returned", _("returned to you")
    APPROVED = "approved", _("approved")


# The payroll codes (PAXml lonart) used unless the organisation sets its own.
DEFAULT_CODES = {
    FeeKind.HOUR: "ARVTIM",
    FeeKind.HALF_DAY: "ARVHALVDAG",
    FeeKind.MEETING: "ARVMOTE",
    FeeKind.INTERVIEW: "ARVINTERVJU",
    "mileage": "MILERS",
    "ticket": "UTLAGG",
}


class PaySettings(models.Model):
    """One organisation's settings for fees and travel."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="pay_settings"
    )
    mileage_rate = models.DecimalField(
        _("mileage allowance per km (SEK)"),
        max_digits=6,
        decimal_places=2,
        default=DEFAULT_MILEAGE_RATE,
        help_text=_(
            "The tax-free allowance for one's own car is 2.50 SEK per km (25 SEK per 10 km)."
        ),
    )
    yearly_warning_sek = models.DecimalField(
        _("warn when a person's fees in a year pass (SEK)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the site's default."),
    )
    company_orgnr = models.CharField(
        _("organisation number (for the payroll file)"), max_length=20, blank=True
    )
    code_hour = models.CharField(_("pay code: fee per hour"), max_length=20, default="ARVTIM")
    code_half_day = models.CharField(
        _("pay code: fee per half day"), max_length=20, default="ARVHALVDAG"
    )
    code_meeting = models.CharField(
        _("pay code: fee per meeting"), max_length=20, default="ARVMOTE"
    )
    code_interview = models.CharField(
        _("pay code: fee per interview"), max_length=20, default="ARVINTERVJU"
    )
    code_mileage = models.CharField(
        _("pay code: mileage allowance"), max_length=20, default="MILERS"
    )
    code_ticket = models.CharField(
        _("pay code: tickets and outlays"), max_length=20, default="UTLAGG"
    )

    class Meta:
        verbose_name = _("settings for fees and travel")
        verbose_name_plural = _("settings for fees and travel")

    def __str__(self) -> str:
        return str(self.organisation)

    def code_for(self, kind: str) -> str:
        return getattr(self, f"code_{kind}", "") or DEFAULT_CODES.get(kind, kind)

    @property
    def yearly_limit(self) -> Decimal:
        if self.yearly_warning_sek is not None:
            return self.yearly_warning_sek
        return Decimal(str(settings.PAY_YEARLY_WARNING_SEK))


class FeeRate(models.Model):
    """The fee of one kind from a date on; the one valid on a work date is the newest
    with valid_from on or before it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="fee_rates"
    )
    kind = models.CharField(_("fee kind"), max_length=20, choices=FeeKind.choices)
    amount = models.DecimalField(_("amount (SEK)"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fee schedule")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "valid_from"], name="fee_rate_unique_per_date"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="fee_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.valid_from})"


class Decided(models.Model):
    """What a time report and a travel claim share: who, for what, and the approval."""

    member = models.ForeignKey(
        "pool.PoolMember", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    audit = models.ForeignKey(
        "audits.Audit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("audit"),
    )
    assignment = models.ForeignKey(
        "pool.Assignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assignment through one way in"),
    )
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    comment = models.CharField(_("coordinator's comment"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]

    @property
    def is_locked(self) -> bool:
        return self.status == Status.APPROVED

    @property
    def purpose(self) -> str:
        if self.audit_id:
            return self.audit.title
        if self.assignment_id:
            return str(self.assignment.request)
        return ""


class TimeReport(Decided):
    """Hours, or a count of half days, meetings or interviews, for one activity."""

    member = models.ForeignKey(
        "pool.PoolMember",
        on_delete=models.PROTECT,
        related_name="time_reports",
        verbose_name=_("person"),
    )
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    fee_kind = models.CharField(_("fee kind"), max_length=20, choices=FeeKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=6, decimal_places=2)
    rate = models.DecimalField(_("fee (SEK)"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount (SEK)"), max_digits=12, decimal_places=2)

    class Meta(Decided.Meta):
        verbose_name = _("time report")
        verbose_name_plural = _("time reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="time_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.date} {self.get_activity_display()} {self.quantity}"


class TravelClaim(Decided):
    """A journey: kilometres by own car at the mileage rate, and tickets with a receipt."""

    member = models.ForeignKey(
        "pool.PoolMember",
        on_delete=models.PROTECT,
        related_name="travel_claims",
        verbose_name=_("person"),
    )
    route_from = models.CharField(_("from"), max_length=200)
    route_to = models.CharField(_("to"), max_length=200)
    kilometres = models.DecimalField(
        _("kilometres by own car"), max_digits=7, decimal_places=1, default=Decimal("0")
    )
    mileage_rate = models.DecimalField(
        _("mileage allowance per km (SEK)"), max_digits=6, decimal_places=2
    )
    ticket_amount = models.DecimalField(
        _("tickets (SEK)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    receipt = models.BinaryField(null=True, blank=True, editable=False)
    receipt_type = models.CharField(max_length=40, blank=True, editable=False)

    class Meta(Decided.Meta):
        verbose_name = _("travel claim")
        verbose_name_plural = _("travel claims")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kilometres__gte=0, ticket_amount__gte=0),
                name="travel_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.date} {self.route_from}–{self.route_to}"

    @property
    def mileage_amount(self) -> Decimal:
        return money(self.kilometres * self.mileage_rate)

    @property
    def amount(self) -> Decimal:
        return self.mileage_amount + money(self.ticket_amount)

    @property
    def has_receipt(self) -> bool:
        return bool(self.receipt_type)


class AuditBudget(models.Model):
    """The budget for fees and travel in one audit, set by the coordinator."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="pay_budget"
    )
    amount = models.DecimalField(
        _("budget for fees and travel (SEK)"), max_digits=12, decimal_places=2
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("budget for fees and travel")
        verbose_name_plural = _("budgets for fees and travel")

    def __str__(self) -> str:
        return f"{self.audit} {self.amount}"
