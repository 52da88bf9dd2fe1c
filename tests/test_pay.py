"""Fees and travel: the fee valid on the work date, mileage, approval and return, locking,
the payroll basis as PAXml and XLSX with equal sums, the yearly warning, and who may see
and do what."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.pay import payroll, selectors, services
from brukarrevision.pay.models import Activity, FeeKind, Status
from brukarrevision.pool.models import PoolMember

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\xdac\xfc\xcf\xc0P\x0f\x00\x04\x85\x01\x80\x84"
    b"\xa9\x8c!\x00\x00\x00\x00IEND\xaeB`\x82"
)
TODAY = datetime.date.today()
LAST_MONTH = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
MONTH = LAST_MONTH.strftime("%Y-%m")


@pytest.fixture
def pay(world):
    org = world.performer
    for kind, amount in [
        (FeeKind.HOUR, "150"),
        (FeeKind.HALF_DAY, "600"),
        (FeeKind.MEETING, "400"),
        (FeeKind.INTERVIEW, "500"),
    ]:
        services.set_fee(
            by=world.coordinator,
            organisation=org,
            kind=kind,
            amount=amount,
            valid_from=datetime.date(2000, 1, 1),
        )
    world.member = PoolMember.objects.create(
        organisation=org, user=world.auditor, full_name="Rami Revisor", payroll_id="1001"
    )
    world.other_member = PoolMember.objects.create(
        organisation=org, user=world.pool_auditor, full_name="Kim Karlsson", payroll_id="1002"
    )
    return world


def hours(world, quantity="3", date=LAST_MONTH, member=None, **extra):
    member = member or world.member
    return services.add_time_report(
        by=member.user,
        member=member,
        date=date,
        fee_kind=FeeKind.HOUR,
        quantity=Decimal(quantity),
        activity=Activity.PREPARATION,
        audit=world.audit if member == world.member else None,
        **extra,
    )


def test_the_fee_is_the_one_valid_on_the_work_date(pay):
    services.set_fee(
        by=pay.coordinator,
        organisation=pay.performer,
        kind=FeeKind.HOUR,
        amount="200",
        valid_from=TODAY,
    )
    before = hours(pay, date=TODAY - datetime.timedelta(days=1))
    after = hours(pay, date=TODAY)
    assert (before.rate, before.amount) == (Decimal("150.00"), Decimal("450.00"))
    assert (after.rate, after.amount) == (Decimal("200.00"), Decimal("600.00"))


def test_a_report_without_a_fee_for_its_date_is_refused(pay):
    with pytest.raises(ValidationError) as refused:
        hours(pay, date=datetime.date(1999, 12, 31))
    assert "fee_kind" in refused.value.error_dict


def test_mileage_is_kilometres_times_the_organisations_rate(pay):
    claim = services.add_travel_claim(
        by=pay.auditor,
        member=pay.member,
        date=LAST_MONTH,
        route_from="Åsby",
        route_to="Västerby",
        kilometres=Decimal("42"),
    )
    assert claim.mileage_rate == Decimal("2.50")
    assert claim.amount == Decimal("105.00")
    services.save_settings(
        by=pay.coordinator, organisation=pay.performer, mileage_rate=Decimal("3")
    )
    claim = services.add_travel_claim(
        by=pay.auditor,
        member=pay.member,
        date=LAST_MONTH,
        route_from="Åsby",
        route_to="Västerby",
        kilometres=Decimal("10.5"),
    )
    assert claim.amount == Decimal("31.50")


def test_the_coordinator_returns_with_a_comment_the_person_sees_it_and_resends(pay, login):
    report = hours(pay)
    services.return_to_person(by=pay.coordinator, record=report, comment="Fel datum, 3 mars?")
    page = login(pay.auditor).get(reverse("pay:mine"))
    assert "Fel datum, 3 mars?" in page.content.decode()
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    services.change_time_report(by=pay.auditor, report=report, quantity=Decimal("2"))
    report.refresh_from_db()
    assert (report.status, report.amount) == (Status.SUBMITTED, Decimal("300.00"))


def test_an_approved_report_is_locked(pay, login):
    report = hours(pay)
    client = login(pay.coordinator)
    response = client.post(
        reverse("pay:queue", args=[pay.performer.pk]),
        {"kind": "time", "pk": report.pk, "decision": "approve"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    with pytest.raises(ValidationError):
        services.change_time_report(by=pay.auditor, report=report, quantity=Decimal("9"))
    with pytest.raises(ValidationError):
        services.withdraw(by=pay.auditor, record=report)
    page = login(pay.auditor).get(reverse("pay:time_edit", args=[report.pk]))
    assert "kan inte längre ändras" in page.content.decode() or "no longer be changed" in (
        page.content.decode()
    )


def test_the_return_needs_a_comment(pay, login):
    report = hours(pay)
    page = login(pay.coordinator).post(
        reverse("pay:queue", args=[pay.performer.pk]),
        {"kind": "time", "pk": report.pk, "decision": "return", f"time-{report.pk}-comment": ""},
    )
    assert page.status_code == 200
    assert 'class="error-summary"' in page.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def _approved_month(world):
    records = [
        hours(world, "3"),
        services.add_time_report(
            by=world.auditor,
            member=world.member,
            date=LAST_MONTH,
            fee_kind=FeeKind.INTERVIEW,
            quantity=Decimal("2"),
            activity=Activity.INTERVIEWS,
            audit=world.audit,
        ),
        services.add_travel_claim(
            by=world.auditor,
            member=world.member,
            date=LAST_MONTH,
            route_from="Åsby",
            route_to="Boendestöd",
            kilometres=Decimal("42"),
            ticket_amount=Decimal("64"),
            receipt=PNG,
            audit=world.audit,
        ),
    ]
    for record in records:
        services.approve(by=world.coordinator, record=record)
    hours(world, "5")  # waiting: not in the payroll basis
    return records


def test_the_paxml_parses_and_uses_the_standards_names(pay):
    _approved_month(pay)
    data, _name = services.export_payroll(
        by=pay.coordinator, organisation=pay.performer, month=MONTH, fmt="paxml"
    )
    root = etree.fromstring(data)
    assert root.tag == "paxml"
    assert root.find("header/version").text == "2.0"
    assert root.find("header/datum") is not None
    rows = root.findall("lonetransaktioner/lonetrans")
    assert len(rows) == 4  # hours, interviews, mileage, tickets
    for row in rows:
        assert row.get("anstid") == "1001"
        for name in ["lonart", "datum", "antal", "apris", "belopp"]:
            assert row.find(name) is not None, name
        assert row.find("belopp").text.count(".") == 1
        assert len(row.find("belopp").text.split(".")[1]) == 2
    assert [r.find("lonart").text for r in rows] == ["ARVTIM", "ARVINTERVJU", "MILERS", "UTLAGG"]
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA_EXPORTED).exists()


def shown(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def _paxml_total(data: bytes) -> Decimal:
    root = etree.fromstring(data)
    return sum((Decimal(e.text) for e in root.iter("belopp")), Decimal("0"))


def _xlsx_total(data: bytes) -> Decimal:
    sheet = load_workbook(io.BytesIO(data)).worksheets[-1]
    rows = list(sheet.iter_rows(values_only=True))
    body = [Decimal(str(r[-1])) for r in rows[1:-1]]
    total = Decimal(str(rows[-1][-1]))
    assert sum(body) == total
    return total


def test_paxml_xlsx_and_the_audit_cost_page_show_the_same_sum(pay, login):
    _approved_month(pay)
    paxml = payroll.paxml_bytes(payroll.basis(pay.performer, MONTH))
    xlsx = payroll.xlsx_bytes(payroll.basis(pay.performer, MONTH))
    expected = Decimal("450.00") + Decimal("1000.00") + Decimal("105.00") + Decimal("64.00")
    assert _paxml_total(paxml) == _xlsx_total(xlsx) == expected
    page = login(pay.coordinator).get(reverse("pay:audit_costs", args=[pay.audit.slug]))
    # The page is in Swedish: a decimal comma, and "kr" once the translations are compiled.
    assert re.search(rf"data-total><strong>{shown(expected)} (kr|SEK)<", page.content.decode())


def test_the_page_downloads_the_paxml(pay, login):
    _approved_month(pay)
    response = login(pay.coordinator).get(
        reverse("pay:organisation", args=[pay.performer.pk]), {"month": MONTH, "format": "paxml"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _paxml_total(response.content) == Decimal("1619.00")


def test_export_payroll_writes_both_formats(pay, tmp_path):
    _approved_month(pay)
    xml_path, xlsx_path = tmp_path / "m.xml", tmp_path / "m.xlsx"
    call_command(
        "export_payroll",
        organisation=str(pay.performer.pk),
        month=MONTH,
        format="paxml",
        out=str(xml_path),
    )
    call_command(
        "export_payroll", organisation="brukarkraft", month=MONTH, format="xlsx", out=str(xlsx_path)
    )
    assert _paxml_total(xml_path.read_bytes()) == _xlsx_total(xlsx_path.read_bytes())


def test_the_yearly_warning_appears_when_the_limit_is_passed(pay, login, settings):
    settings.PAY_YEARLY_WARNING_SEK = 1000
    first = hours(pay, "6", date=TODAY)  # 900 SEK
    assert services.approve(by=pay.coordinator, record=first) is False
    page = login(pay.auditor).get(reverse("pay:mine"))
    assert "data-year-warning" in page.content.decode()  # close to the limit
    assert "above the limit" not in page.content.decode()
    second = hours(pay, "1", date=TODAY)
    queue = login(pay.coordinator).get(reverse("pay:queue", args=[pay.performer.pk]))
    assert "över varningsgränsen" in queue.content.decode() or "above the warning limit" in (
        queue.content.decode()
    )
    response = login(pay.coordinator).post(
        reverse("pay:queue", args=[pay.performer.pk]),
        {"kind": "time", "pk": second.pk, "decision": "approve"},
        follow=True,
    )
    assert "1000" in response.content.decode()
    assert "message--warning" in response.content.decode()
    overview = login(pay.coordinator).get(reverse("pay:organisation", args=[pay.performer.pk]))
    assert "tag--overdue" in overview.content.decode()
    own = login(pay.auditor).get(reverse("pay:mine"))
    assert (
        shown(Decimal("1050.00")) in own.content.decode()
        and "data-year-warning" in own.content.decode()
    )


def test_a_person_sees_only_their_own_reports(pay, login):
    own = hours(pay)
    others = hours(pay, member=pay.other_member)
    client = login(pay.auditor)
    assert client.get(reverse("pay:time_edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("pay:time_edit", args=[others.pk])).status_code == 403
    assert "Kim Karlsson" not in client.get(reverse("pay:mine")).content.decode()


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("coordinator", True),
        ("org_coordinator", True),
        ("admin", True),
        ("other_coordinator", False),
        ("client_contact", False),
        ("unit_contact", False),
        ("auditor", False),
    ],
)
def test_who_may_approve_and_see_the_organisations_pay(pay, login, persona, allowed):
    report = hours(pay)
    client = login(getattr(pay, persona))
    for url in [
        reverse("pay:organisation", args=[pay.performer.pk]),
        reverse("pay:queue", args=[pay.performer.pk]),
        reverse("pay:schedule", args=[pay.performer.pk]),
    ]:
        assert client.get(url).status_code == (200 if allowed else 403), url
    response = client.post(
        reverse("pay:queue", args=[pay.performer.pk]),
        {"kind": "time", "pk": report.pk, "decision": "approve"},
    )
    report.refresh_from_db()
    assert (report.status == Status.APPROVED) == allowed
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize(
    "persona, status",
    [
        ("coordinator", 200),
        ("org_coordinator", 200),
        ("admin", 200),
        ("auditor", 403),
        ("client_contact", 403),
        ("unit_contact", 403),
        ("other_coordinator", 404),
    ],
)
def test_who_sees_an_audits_cost_and_invoice_basis(pay, login, persona, status):
    client = login(getattr(pay, persona))
    assert client.get(reverse("pay:audit_costs", args=[pay.audit.slug])).status_code == status
    assert client.get(reverse("pay:invoice", args=[pay.audit.slug])).status_code == status


def test_the_receipt_refuses_what_is_not_an_image_or_pdf(pay):
    with pytest.raises(ValidationError) as refused:
        services.add_travel_claim(
            by=pay.auditor,
            member=pay.member,
            date=LAST_MONTH,
            route_from="A",
            route_to="B",
            ticket_amount=Decimal("50"),
            receipt=b"<html><script>alert(1)</script></html>",
        )
    assert "receipt" in refused.value.error_dict
    with pytest.raises(ValidationError):
        services.add_travel_claim(
            by=pay.auditor,
            member=pay.member,
            date=LAST_MONTH,
            route_from="A",
            route_to="B",
            ticket_amount=Decimal("50"),
            receipt=b"%PDF-" + b"0" * (10 * 1024 * 1024),
        )


def test_the_receipt_upload_page_refuses_a_text_file(pay, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = login(pay.auditor).post(
        reverse("pay:travel_new"),
        {
            "member": pay.member.pk,
            "date": LAST_MONTH.isoformat(),
            "route_from": "Åsby",
            "route_to": "Västerby",
            "ticket_amount": "64",
            "receipt": SimpleUploadedFile("kvitto.jpg", b"not an image", "image/jpeg"),
        },
    )
    assert page.status_code == 200
    assert 'class="error-summary"' in page.content.decode()
    assert not pay.member.travel_claims.exists()


def test_the_receipt_is_served_only_to_the_person_and_the_coordinators(pay, login):
    claim = services.add_travel_claim(
        by=pay.auditor,
        member=pay.member,
        date=LAST_MONTH,
        route_from="A",
        route_to="B",
        ticket_amount=Decimal("64"),
        receipt=PNG,
    )
    url = reverse("pay:receipt", args=[claim.pk])
    for persona, status in [
        ("auditor", 200),
        ("coordinator", 200),
        ("admin", 200),
        ("pool_auditor", 403),
        ("other_coordinator", 403),
        ("client_contact", 403),
        ("unit_contact", 403),
    ]:
        response = login(getattr(pay, persona)).get(url)
        assert response.status_code == status, persona
        if status == 200:
            assert response["Content-Type"] == "image/png"
            assert response.content == PNG


def test_someone_outside_the_pool_cannot_report(pay, login):
    with pytest.raises(PermissionDenied):
        services.add_time_report(
            by=pay.outsider,
            member=pay.member,
            date=LAST_MONTH,
            fee_kind=FeeKind.HOUR,
            quantity=1,
            activity=Activity.OTHER,
        )
    assert login(pay.outsider).get(reverse("pay:time_new")).status_code == 403


def test_the_report_form_reports_hours_for_the_audit(pay, login):
    response = login(pay.auditor).post(
        reverse("pay:time_new"),
        {
            "member": pay.member.pk,
            "date": LAST_MONTH.isoformat(),
            "audit": pay.audit.pk,
            "activity": Activity.ANALYSIS,
            "fee_kind": FeeKind.HOUR,
            "quantity": "2,5",
        },
    )
    assert response.status_code == 302
    report = pay.member.time_reports.get()
    assert (report.amount, report.status) == (Decimal("375.00"), Status.SUBMITTED)
    assert selectors.audit_cost(pay.audit).waiting == Decimal("375.00")
