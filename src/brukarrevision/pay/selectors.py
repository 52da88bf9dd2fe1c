"""Reads for fees and travel: the fee valid on a date, a person's records and sums per year,
the approval queue, an audit's cost. Permission is checked by the views and services."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from brukarrevision.pool.models import PoolMember

from .models import FeeRate, PaySettings, Status, TimeReport, TravelClaim, money

ZERO = Decimal("0.00")
NEAR = Decimal("0.9")


def pay_settings(organisation) -> PaySettings:
    """The organisation's settings, or the defaults (unsaved) if it has none yet."""
    found = PaySettings.objects.filter(organisation=organisation).first()
    return found or PaySettings(organisation=organisation)


def fee_on(organisation, kind: str, date: datetime.date) -> FeeRate | None:
    """The fee of `kind` valid on `date`: the newest one that took effect on or before it."""
    return (
        FeeRate.objects.filter(organisation=organisation, kind=kind, valid_from__lte=date)
        .order_by("-valid_from")
        .first()
    )


def current_fees(organisation, today: datetime.date) -> dict[str, FeeRate | None]:
    from .models import FeeKind

    return {kind: fee_on(organisation, kind, today) for kind in FeeKind}


def members_of(user):
    """The pool memberships through which `user` reports (one per organisation)."""
    if not user.is_authenticated:
        return PoolMember.objects.none()
    return PoolMember.objects.filter(user=user, erased_at__isnull=True).select_related(
        "organisation"
    )


def _related(queryset):
    return queryset.select_related(
        "member", "member__organisation", "audit", "assignment", "assignment__request"
    )


def time_reports(**filters):
    return _related(TimeReport.objects.filter(**filters))


def travel_claims(**filters):
    return _related(TravelClaim.objects.filter(**filters)).defer("receipt")


def approved_fees(member, year: int) -> Decimal:
    total = TimeReport.objects.filter(
        member=member, status=Status.APPROVED, date__year=year
    ).aggregate(total=Sum("amount"))["total"]
    return money(total or 0)


@dataclass
class YearSum:
    member: PoolMember
    fees: Decimal = ZERO
    waiting: Decimal = ZERO
    travel: Decimal = ZERO
    limit: Decimal = ZERO

    @property
    def over_limit(self) -> bool:
        return self.fees > self.limit

    @property
    def near_limit(self) -> bool:
        """Within a tenth of the limit, or over it once what waits is approved."""
        if self.over_limit:
            return False
        return self.fees + self.waiting > self.limit or self.fees >= self.limit * NEAR


def year_sums(organisation, year: int, members=None) -> list[YearSum]:
    """Each person's approved fees, fees waiting for approval and approved travel in a
    calendar year. Travel is a reimbursement at the tax-free rate and does not count
    towards the limit."""
    limit = pay_settings(organisation).yearly_limit
    everyone = members is None
    if everyone:
        members = PoolMember.objects.filter(organisation=organisation)
    sums = {m.pk: YearSum(member=m, limit=limit) for m in members}
    fees = (
        TimeReport.objects.filter(member__in=sums, date__year=year)
        .values("member", "status")
        .annotate(total=Sum("amount"))
    )
    for row in fees:
        target = sums[row["member"]]
        if row["status"] == Status.APPROVED:
            target.fees += money(row["total"])
        elif row["status"] == Status.SUBMITTED:
            target.waiting += money(row["total"])
    for claim in TravelClaim.objects.filter(
        member__in=sums, date__year=year, status=Status.APPROVED
    ).defer("receipt"):
        sums[claim.member_id].travel += claim.amount
    return [s for s in sums.values() if s.fees or s.waiting or s.travel or not everyone]


def would_pass_limit(report: TimeReport) -> bool:
    """Would approving `report` bring the person's approved fees that year over the limit?"""
    limit = pay_settings(report.member.organisation).yearly_limit
    return approved_fees(report.member, report.date.year) + report.amount > limit


@dataclass
class Queue:
    reports: list = field(default_factory=list)
    claims: list = field(default_factory=list)


def queue(organisation) -> Queue:
    reports = list(
        time_reports(member__organisation=organisation, status=Status.SUBMITTED).order_by(
            "member__full_name", "date"
        )
    )
    for report in reports:
        report.passes_limit = would_pass_limit(report)
    claims = list(
        travel_claims(member__organisation=organisation, status=Status.SUBMITTED).order_by(
            "member__full_name", "date"
        )
    )
    return Queue(reports, claims)


@dataclass
class AuditCost:
    budget: Decimal | None
    fees: Decimal
    travel: Decimal
    by_activity: list
    mileage_km: Decimal
    mileage: Decimal
    tickets: Decimal
    waiting: Decimal

    @property
    def total(self) -> Decimal:
        return self.fees + self.travel

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.total

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.total > self.budget


def audit_cost(audit) -> AuditCost:
    """Approved fees and travel for an audit against its budget (the pay budget, or the
    budget in the audit's plan if none is set here)."""
    from .models import Activity, AuditBudget, FeeKind

    budget_row = AuditBudget.objects.filter(audit=audit).first()
    budget = budget_row.amount if budget_row else audit.budget_sek
    approved = TimeReport.objects.filter(audit=audit, status=Status.APPROVED)
    lines = (
        approved.values("activity", "fee_kind", "rate")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by("activity", "fee_kind", "rate")
    )
    by_activity = [
        {
            "activity": Activity(line["activity"]).label,
            "fee_kind": FeeKind(line["fee_kind"]).label,
            "quantity": line["quantity"],
            "rate": money(line["rate"]),
            "amount": money(line["amount"]),
        }
        for line in lines
    ]
    fees = money(sum((line["amount"] for line in by_activity), ZERO))
    claims = list(TravelClaim.objects.filter(audit=audit, status=Status.APPROVED).defer("receipt"))
    mileage = money(sum((c.mileage_amount for c in claims), ZERO))
    tickets = money(sum((c.ticket_amount for c in claims), ZERO))
    waiting = TimeReport.objects.filter(audit=audit, status=Status.SUBMITTED).aggregate(
        total=Sum("amount")
    )["total"]
    return AuditCost(
        budget=money(budget) if budget is not None else None,
        fees=fees,
        travel=mileage + tickets,
        by_activity=by_activity,
        mileage_km=sum((c.kilometres for c in claims), Decimal("0")),
        mileage=mileage,
        tickets=tickets,
        waiting=money(waiting or 0),
    )
