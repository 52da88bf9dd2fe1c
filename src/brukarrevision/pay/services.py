"""Every write to fees and travel. Keyword-only, checked against brukarrevision.permissions,
inside one transaction. Other apps report fees through `add_time_report` (for example a
council's meeting fees, or hours for a request through one way in)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.models import AuditMember
from brukarrevision.lib import uploads
from brukarrevision.permissions import (
    may_manage_pay,
    may_report_pay,
    may_see_audit_costs,
)

from . import selectors
from .models import (
    AuditBudget,
    FeeKind,
    FeeRate,
    PaySettings,
    Status,
    TimeReport,
    TravelClaim,
    money,
)

# Receipts: what the first bytes of a file say it is, and the type it is served as.
RECEIPT_TYPES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]
MAX_HOURS_A_DAY = Decimal("24")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter a number.")}) from None


def receipt_type(data: bytes) -> str:
    """The receipt's type, judged by its first bytes (never by its name); refuses files
    over the size limit and anything that is not an image or a PDF."""
    try:
        uploads.check(data)  # the size limit (10 MB) shared by every upload
    except uploads.TooLarge as error:
        raise ValidationError({"receipt": str(error)}) from None
    for magic, content_type in RECEIPT_TYPES:
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "image/heic"
    raise ValidationError(
        {"receipt": _("The receipt must be a photo (JPEG, PNG, WebP, HEIC) or a PDF.")}
    )


# Settings and fee schedule -----------------------------------------------------------------


@transaction.atomic
def save_settings(*, by, organisation, **fields) -> PaySettings:
    _require(may_manage_pay(by, organisation))
    settings_row, _created = PaySettings.objects.get_or_create(organisation=organisation)
    for name, value in fields.items():
        setattr(settings_row, name, value)
    settings_row.full_clean()
    settings_row.save()
    return settings_row


@transaction.atomic
def set_fee(*, by, organisation, kind: str, amount, valid_from: datetime.date) -> FeeRate:
    """A fee from a date on. A fee already set for that date is replaced; earlier work keeps
    the fee it was reported with."""
    _require(may_manage_pay(by, organisation))
    amount = money(_decimal(amount, "amount"))
    if amount < 0:
        raise ValidationError({"amount": _("The fee cannot be negative.")})
    rate, _created = FeeRate.objects.update_or_create(
        organisation=organisation,
        kind=kind,
        valid_from=valid_from,
        defaults={"amount": amount, "created_by": by},
    )
    return rate


# Time reports -------------------------------------------------------------------------------


def _check_purpose(by, member, audit, assignment) -> None:
    if audit is not None:
        if audit.performer_id != member.organisation_id:
            raise ValidationError({"audit": _("Choose an audit of your own organisation.")})
        in_team = AuditMember.objects.filter(audit=audit, user_id=member.user_id).exists()
        if not in_team and not may_manage_pay(by, member.organisation):
            raise ValidationError({"audit": _("You are not in this audit's team.")})
    if assignment is not None:
        if assignment.member_id != member.pk or assignment.status != "accepted":
            raise ValidationError({"assignment": _("Choose an assignment you have accepted.")})


def _check_date(date: datetime.date) -> None:
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})


def _priced(member, date, fee_kind, quantity) -> tuple[Decimal, Decimal, Decimal]:
    quantity = _decimal(quantity, "quantity")
    if quantity <= 0:
        raise ValidationError({"quantity": _("Enter more than 0.")})
    if fee_kind == FeeKind.HOUR and quantity > MAX_HOURS_A_DAY:
        raise ValidationError({"quantity": _("At most 24 hours in one day.")})
    if fee_kind != FeeKind.HOUR and quantity != quantity.to_integral_value():
        raise ValidationError({"quantity": _("Enter a whole number.")})
    fee = selectors.fee_on(member.organisation, fee_kind, date)
    if fee is None:
        raise ValidationError(
            {
                "fee_kind": _(
                    "Your organisation has no fee %(kind)s for this date. Ask your coordinator."
                )
                % {"kind": FeeKind(fee_kind).label}
            }
        )
    return quantity, fee.amount, money(quantity * fee.amount)


@transaction.atomic
def add_time_report(
    *,
    by,
    member,
    date: datetime.date,
    fee_kind: str,
    quantity,
    activity: str,
    audit=None,
    assignment=None,
    note: str = "",
) -> TimeReport:
    """A time report, sent for approval, priced with the fee valid on its date."""
    _require(may_report_pay(by, member))
    _check_date(date)
    _check_purpose(by, member, audit, assignment)
    quantity, rate, amount = _priced(member, date, fee_kind, quantity)
    report = TimeReport(
        member=member,
        audit=audit,
        assignment=assignment,
        date=date,
        activity=activity,
        fee_kind=fee_kind,
        quantity=quantity,
        rate=rate,
        amount=amount,
        note=note,
        created_by=by,
    )
    report.full_clean()
    report.save()
    return report


def _lock(record):
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if record.is_locked:
        raise ValidationError(_("This has been approved and can no longer be changed."))
    return record


@transaction.atomic
def change_time_report(*, by, report: TimeReport, **fields) -> TimeReport:
    """Change a report not yet approved; a returned report is sent for approval again."""
    _require(may_report_pay(by, report.member))
    report = _lock(report)
    for name, value in fields.items():
        setattr(report, name, value)
    _check_date(report.date)
    _check_purpose(by, report.member, report.audit, report.assignment)
    report.quantity, report.rate, report.amount = _priced(
        report.member, report.date, report.fee_kind, report.quantity
    )
    report.status = Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    return report


# Travel claims ------------------------------------------------------------------------------


def _travel_values(member, kilometres, ticket_amount, mileage_rate):
    kilometres = _decimal(kilometres or 0, "kilometres")
    ticket_amount = money(_decimal(ticket_amount or 0, "ticket_amount"))
    if kilometres < 0:
        raise ValidationError({"kilometres": _("Enter 0 or more.")})
    if ticket_amount < 0:
        raise ValidationError({"ticket_amount": _("Enter 0 or more.")})
    if not kilometres and not ticket_amount:
        raise ValidationError(_("Enter kilometres by car, a ticket amount, or both."))
    if mileage_rate is None:
        mileage_rate = selectors.pay_settings(member.organisation).mileage_rate
    return kilometres, ticket_amount, money(_decimal(mileage_rate, "mileage_rate"))


@transaction.atomic
def add_travel_claim(
    *,
    by,
    member,
    date: datetime.date,
    route_from: str,
    route_to: str,
    kilometres=0,
    ticket_amount=0,
    receipt: bytes | None = None,
    mileage_rate=None,
    audit=None,
    assignment=None,
    note: str = "",
) -> TravelClaim:
    """A travel claim sent for approval: kilometres × the mileage rate (the organisation's
    unless given), plus tickets; a ticket needs its receipt."""
    _require(may_report_pay(by, member))
    _check_date(date)
    _check_purpose(by, member, audit, assignment)
    kilometres, ticket_amount, rate = _travel_values(
        member, kilometres, ticket_amount, mileage_rate
    )
    content_type = receipt_type(receipt) if receipt else ""
    if ticket_amount and not receipt:
        raise ValidationError({"receipt": _("Attach a photo of the receipt for the tickets.")})
    claim = TravelClaim(
        member=member,
        audit=audit,
        assignment=assignment,
        date=date,
        route_from=route_from,
        route_to=route_to,
        kilometres=kilometres,
        mileage_rate=rate,
        ticket_amount=ticket_amount,
        receipt=receipt or None,
        receipt_type=content_type,
        note=note,
        created_by=by,
    )
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def change_travel_claim(
    *, by, claim: TravelClaim, receipt: bytes | None = None, **fields
) -> TravelClaim:
    _require(may_report_pay(by, claim.member))
    claim = _lock(claim)
    for name, value in fields.items():
        setattr(claim, name, value)
    _check_date(claim.date)
    _check_purpose(by, claim.member, claim.audit, claim.assignment)
    claim.kilometres, claim.ticket_amount, claim.mileage_rate = _travel_values(
        claim.member, claim.kilometres, claim.ticket_amount, claim.mileage_rate
    )
    if receipt:
        claim.receipt_type = receipt_type(receipt)
        claim.receipt = receipt
    if claim.ticket_amount and not claim.receipt_type:
        raise ValidationError({"receipt": _("Attach a photo of the receipt for the tickets.")})
    claim.status = Status.SUBMITTED
    claim.submitted_at = timezone.now()
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def withdraw(*, by, record) -> None:
    """The person (or a coordinator) removes a report or claim that is not yet approved."""
    _require(may_report_pay(by, record.member))
    _lock(record).delete()


# Approval -----------------------------------------------------------------------------------


@transaction.atomic
def approve(*, by, record, request=None) -> bool:
    """Approve a waiting report or claim; it is locked from now on. Returns True if the
    person's approved fees this year now pass the warning limit."""
    _require(may_manage_pay(by, record.member.organisation))
    record = _lock(record)
    if record.status != Status.SUBMITTED:
        raise ValidationError(_("Only what is waiting for approval can be approved."))
    record.status = Status.APPROVED
    record.decided_by = by
    record.decided_at = timezone.now()
    record.save(update_fields=["status", "decided_by", "decided_at"])
    if isinstance(record, TimeReport):
        limit = selectors.pay_settings(record.member.organisation).yearly_limit
        return selectors.approved_fees(record.member, record.date.year) > limit
    return False


@transaction.atomic
def return_to_person(*, by, record, comment: str) -> None:
    """Send a report or claim back to the person with a comment saying what to change."""
    _require(may_manage_pay(by, record.member.organisation))
    record = _lock(record)
    if not comment.strip():
        raise ValidationError({"comment": _("Write what the person should change.")})
    record.status = Status.RETURNED
    record.comment = comment.strip()[:500]
    record.decided_by = by
    record.decided_at = timezone.now()
    record.save(update_fields=["status", "comment", "decided_by", "decided_at"])


# Budget and payroll -------------------------------------------------------------------------


@transaction.atomic
def set_budget(*, by, audit, amount) -> AuditBudget:
    _require(may_see_audit_costs(by, audit))
    amount = money(_decimal(amount, "amount"))
    if amount < 0:
        raise ValidationError({"amount": _("The budget cannot be negative.")})
    budget, _created = AuditBudget.objects.update_or_create(
        audit=audit, defaults={"amount": amount, "set_by": by, "set_at": timezone.now()}
    )
    return budget


def export_payroll(*, by, organisation, month: str, fmt: str, request=None) -> tuple[bytes, str]:
    """The month's payroll basis as PAXml or XLSX; every export is logged."""
    from . import payroll

    _require(may_manage_pay(by, organisation))
    basis = payroll.basis(organisation, month)
    data = payroll.paxml_bytes(basis) if fmt == "paxml" else payroll.xlsx_bytes(basis)
    record_event(
        SecurityEvent.Kind.PERSONAL_DATA_EXPORTED,
        request=request,
        user=by,
        detail=(
            f"payroll basis {month} ({fmt}) for {organisation.name}: "
            f"{len(basis.rows)} rows, {len(basis.people)} people, total {basis.total}"
        ),
    )
    ending = "xml" if fmt == "paxml" else "xlsx"
    return data, f"loneunderlag-{organisation.pk}-{month}.{ending}"
