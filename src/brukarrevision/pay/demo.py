"""Demo fees and travel for Brukarkraft Väst: a fee schedule that changed at the new year,
last month's approved time reports and travel claims for the demo audit, one report waiting
for approval, and one auditor near the yearly limit. Every name and number is invented."""

import base64
import datetime
from decimal import Decimal

from django.utils import timezone

from brukarrevision.pool.models import PoolMember

from . import services
from .models import Activity, FeeKind, PaySettings

# A 1×1 PNG standing in for a photographed bus ticket receipt.
RECEIPT = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PAYROLL_IDS = {
    "revisor@demo.example": "1001",
    "revisor2@demo.example": "1002",
    "revisor3@demo.example": "1003",
    "revisor4@demo.example": "1004",
}


def _member(performer, user) -> PoolMember:
    """The pool demo makes the members; if it has not, the demo auditors are added here."""
    member = PoolMember.objects.filter(organisation=performer, user=user).first()
    if member is None:
        member = PoolMember.objects.create(
            organisation=performer,
            user=user,
            full_name=user.full_name,
            email=user.email,
            payroll_id=PAYROLL_IDS.get(user.email, ""),
            consent_given_at=timezone.now(),
        )
    elif not member.payroll_id and user.email in PAYROLL_IDS:
        member.payroll_id = PAYROLL_IDS[user.email]
        member.save(update_fields=["payroll_id"])
    return member


def load(performer, audit, coordinator, auditors) -> None:
    today = timezone.localdate()
    new_year = today.replace(month=1, day=1)
    PaySettings.objects.get_or_create(
        organisation=performer, defaults={"company_orgnr": "802499-0001"}
    )
    older = new_year.replace(year=new_year.year - 1)
    for kind, old, new in [
        (FeeKind.HOUR, "150", "170"),
        (FeeKind.HALF_DAY, "600", "650"),
        (FeeKind.MEETING, "400", "400"),
        (FeeKind.INTERVIEW, "500", "550"),
    ]:
        services.set_fee(
            by=coordinator, organisation=performer, kind=kind, amount=old, valid_from=older
        )
        services.set_fee(
            by=coordinator, organisation=performer, kind=kind, amount=new, valid_from=new_year
        )
    members = [_member(performer, user) for user in auditors]
    first_of_month = today.replace(day=1)
    last_month = (first_of_month - datetime.timedelta(days=1)).replace(day=1)

    def day(n):
        return last_month + datetime.timedelta(days=n)

    approved = []
    rami, kim, leila = members[:3]
    for member, n, kind, quantity, activity in [
        (rami, 2, FeeKind.HOUR, "3", Activity.PREPARATION),
        (rami, 5, FeeKind.INTERVIEW, "2", Activity.INTERVIEWS),
        (rami, 9, FeeKind.MEETING, "1", Activity.MEETINGS),
        (leila, 5, FeeKind.INTERVIEW, "2", Activity.INTERVIEWS),
        (leila, 12, FeeKind.HOUR, "4.5", Activity.ANALYSIS),
        (kim, 14, FeeKind.HALF_DAY, "1", Activity.REPORT_WRITING),
    ]:
        approved.append(
            services.add_time_report(
                by=member.user,
                member=member,
                date=day(n),
                fee_kind=kind,
                quantity=Decimal(quantity),
                activity=activity,
                audit=audit,
            )
        )
    approved.append(
        services.add_travel_claim(
            by=rami.user,
            member=rami,
            date=day(5),
            route_from="Åsby centrum",
            route_to="Boendestöd Åsby",
            kilometres=Decimal("42"),
            audit=audit,
        )
    )
    approved.append(
        services.add_travel_claim(
            by=leila.user,
            member=leila,
            date=day(5),
            route_from="Västerby",
            route_to="Träffpunkten Åsby",
            ticket_amount=Decimal("64"),
            receipt=RECEIPT,
            audit=audit,
            note="Buss 12 tur och retur.",
        )
    )
    # Kim has had many fees this year: the warning limit is close.
    for n in range(12):
        when = min(today, new_year + datetime.timedelta(days=7 * n))
        approved.append(
            services.add_time_report(
                by=coordinator,
                member=kim,
                date=when,
                fee_kind=FeeKind.HOUR,
                quantity=Decimal("11.5"),
                activity=Activity.OTHER,
                note="Utbildningsinsats i regionen",
            )
        )
    for record in approved:
        services.approve(by=coordinator, record=record)
    services.add_time_report(
        by=rami.user,
        member=rami,
        date=today,
        fee_kind=FeeKind.HOUR,
        quantity=Decimal("3"),
        activity=Activity.ANALYSIS,
        audit=audit,
        note="Genomgång av enkätsvaren.",
    )
