"""The monthly payroll basis (löneunderlag): the approved fees and travel of one organisation
in one month, as PAXml 2.0 and as XLSX, the same rows and the same total in both.

PAXml is the Swedish exchange format for payroll data (paxml.se) that Fortnox Lön, Crona,
Kontek and others import. Each row becomes a `lonetrans` (a pay transaction) under
`lonetransaktioner`, with the person's employee number as `anstid`, the pay code (`lonart`)
set per fee kind by the organisation, and `antal`, `apris` and `belopp` with two decimals and
a decimal point. Fees are priced by the organisation, so pay transactions (with amounts) are
used rather than time transactions, whose codes the standard fixes."""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from brukarrevision.lib import spreadsheet

from . import selectors
from .models import Status, money

PAXML_VERSION = "2.0"
PAXML_SCHEMA = "http://www.paxml.se/2.0/paxml.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROGRAM = "Brukarrevision"


@dataclass
class Row:
    anstid: str
    name: str
    date: datetime.date
    lonart: str
    text: str
    antal: Decimal
    apris: Decimal
    belopp: Decimal
    audit: str = ""


@dataclass
class Basis:
    organisation: object
    month: str
    first: datetime.date
    last: datetime.date
    rows: list[Row] = field(default_factory=list)
    missing_payroll_id: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return money(sum((row.belopp for row in self.rows), Decimal("0")))

    @property
    def people(self) -> set[str]:
        return {row.anstid for row in self.rows}


def month_range(month: str) -> tuple[datetime.date, datetime.date]:
    try:
        year, number = (int(part) for part in month.split("-"))
        first = datetime.date(year, number, 1)
    except (ValueError, TypeError):
        raise ValidationError(_("Give the month as YYYY-MM, for example 2026-03.")) from None
    return first, first.replace(day=calendar.monthrange(year, number)[1])


def _anstid(member) -> str:
    # Without an employee number the payroll system cannot match the row; the page lists
    # such people so the coordinator can add their numbers before importing.
    return member.payroll_id or f"POOL-{member.pk}"


def basis(organisation, month: str) -> Basis:
    first, last = month_range(month)
    codes = selectors.pay_settings(organisation)
    found = Basis(organisation, month, first, last)
    missing = set()
    reports = selectors.time_reports(
        member__organisation=organisation, status=Status.APPROVED, date__range=(first, last)
    ).order_by("member__full_name", "member_id", "date", "pk")
    for report in reports:
        if not report.member.payroll_id:
            missing.add(report.member.full_name)
        found.rows.append(
            Row(
                anstid=_anstid(report.member),
                name=report.member.full_name,
                date=report.date,
                lonart=codes.code_for(report.fee_kind),
                text=f"{report.get_fee_kind_display()}: {report.get_activity_display()}",
                antal=money(report.quantity),
                apris=money(report.rate),
                belopp=money(report.amount),
                audit=report.purpose,
            )
        )
    claims = selectors.travel_claims(
        member__organisation=organisation, status=Status.APPROVED, date__range=(first, last)
    ).order_by("member__full_name", "member_id", "date", "pk")
    for claim in claims:
        if not claim.member.payroll_id:
            missing.add(claim.member.full_name)
        route = f"{claim.route_from}–{claim.route_to}"
        common = {
            "anstid": _anstid(claim.member),
            "name": claim.member.full_name,
            "date": claim.date,
            "audit": claim.purpose,
        }
        if claim.kilometres:
            found.rows.append(
                Row(
                    lonart=codes.code_for("mileage"),
                    text=_("Mileage allowance %(route)s") % {"route": route},
                    antal=money(claim.kilometres),
                    apris=money(claim.mileage_rate),
                    belopp=claim.mileage_amount,
                    **common,
                )
            )
        if claim.ticket_amount:
            found.rows.append(
                Row(
                    lonart=codes.code_for("ticket"),
                    text=_("Tickets %(route)s") % {"route": route},
                    antal=Decimal("1.00"),
                    apris=money(claim.ticket_amount),
                    belopp=money(claim.ticket_amount),
                    **common,
                )
            )
    found.rows.sort(key=lambda row: (row.name, row.anstid, row.date))
    found.missing_payroll_id = sorted(missing)
    return found


def _two(value: Decimal) -> str:
    return f"{money(value):.2f}"


def paxml_bytes(basis: Basis) -> bytes:
    settings_row = selectors.pay_settings(basis.organisation)
    root = etree.Element("paxml", nsmap={"xsi": XSI})
    root.set(f"{{{XSI}}}noNamespaceSchemaLocation", PAXML_SCHEMA)
    header = etree.SubElement(root, "header")
    etree.SubElement(header, "format").text = "LÖNIN"
    etree.SubElement(header, "version").text = PAXML_VERSION
    etree.SubElement(header, "datum").text = (
        timezone.localtime().replace(microsecond=0, tzinfo=None).isoformat()
    )
    if settings_row.company_orgnr:
        etree.SubElement(header, "foretagorgnr").text = settings_row.company_orgnr
    etree.SubElement(header, "foretagnamn").text = basis.organisation.name
    etree.SubElement(header, "programnamn").text = PROGRAM
    etree.SubElement(header, "info").text = f"{basis.first.isoformat()} – {basis.last.isoformat()}"
    transactions = etree.SubElement(root, "lonetransaktioner")
    for number, row in enumerate(basis.rows, start=1):
        trans = etree.SubElement(transactions, "lonetrans", anstid=row.anstid, postid=str(number))
        etree.SubElement(trans, "lonart").text = row.lonart
        etree.SubElement(trans, "benamning").text = row.text[:100]
        etree.SubElement(trans, "datum").text = row.date.isoformat()
        etree.SubElement(trans, "antal").text = _two(row.antal)
        etree.SubElement(trans, "apris").text = _two(row.apris)
        etree.SubElement(trans, "belopp").text = _two(row.belopp)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def header() -> list[str]:
    return [
        _("Employee number"),
        _("Name"),
        _("Date"),
        _("Pay code"),
        _("Description"),
        _("Audit or assignment"),
        _("Quantity"),
        _("Unit price (SEK)"),
        _("Amount (SEK)"),
    ]


def xlsx_bytes(basis: Basis) -> bytes:
    rows = [
        [
            row.anstid,
            row.name,
            row.date.isoformat(),
            row.lonart,
            row.text,
            row.audit,
            row.antal,
            row.apris,
            row.belopp,
        ]
        for row in basis.rows
    ]
    rows.append([_("Total"), "", "", "", "", "", None, None, basis.total])
    about = [
        [_("About")],
        [_("Organisation"), basis.organisation.name],
        [_("Month"), basis.month],
        [_("Contents"), _("Approved fees and travel claims with a date in the month.")],
    ]
    return spreadsheet.xlsx_bytes({_("Payroll basis"): (header(), rows)}, about=about)


def invoice_xlsx(audit, cost) -> bytes:
    """The invoice basis for the client: activities, quantities, fees and travel of the
    audit. No names and no personal identity numbers."""
    header_row = [_("Activity"), _("Fee kind"), _("Quantity"), _("Fee (SEK)"), _("Amount (SEK)")]
    rows = [
        [line["activity"], line["fee_kind"], line["quantity"], line["rate"], line["amount"]]
        for line in cost.by_activity
    ]
    if cost.mileage:
        rows.append([_("Travel"), _("Mileage allowance (km)"), cost.mileage_km, None, cost.mileage])
    if cost.tickets:
        rows.append([_("Travel"), _("Tickets"), None, None, cost.tickets])
    rows.append([_("Total"), "", None, None, cost.total])
    about = [
        [_("About")],
        [_("Audit"), audit.title],
        [_("Client"), audit.client.name],
        [_("Contents"), _("Approved fees and travel for the audit.")],
    ]
    return spreadsheet.xlsx_bytes({_("Invoice basis"): (header_row, rows)}, about=about)
