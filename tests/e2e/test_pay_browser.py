"""Fees and travel in Chromium (acceptance 2): an auditor reports hours and a car trip on a
phone without JavaScript, the coordinator approves them on a phone, and the month's PAXml
downloaded from the page parses; axe-core finds nothing on the new pages."""

from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from lxml import etree

from brukarrevision.organisations.models import Organisation
from brukarrevision.pay.models import Status, TimeReport, TravelClaim

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations


def _fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_an_auditor_reports_on_a_phone_and_the_coordinator_approves(browser, demo_site, tmp_path):
    today = timezone.localdate()
    auditor = new_page(browser, javascript=False, width=390)
    sign_in(auditor, demo_site, "revisor@demo.example")
    auditor.goto(f"{demo_site}/pay/time/new/")
    _fits_a_phone(auditor)
    auditor.fill("input[name=date]", today.isoformat())
    auditor.select_option(
        "select[name=audit]", label="Brukarrevision av boendestöd och träffpunkt i Åsby"
    )
    auditor.select_option("select[name=activity]", value="interviews")
    auditor.check("input[name=fee_kind][value=hour]")
    auditor.fill("input[name=quantity]", "2,5")
    auditor.click("main form button[type=submit]")
    auditor.wait_for_url(f"{demo_site}/pay/")

    auditor.goto(f"{demo_site}/pay/travel/new/")
    _fits_a_phone(auditor)
    auditor.fill("input[name=date]", today.isoformat())
    auditor.fill("input[name=route_from]", "Åsby centrum")
    auditor.fill("input[name=route_to]", "Träffpunkten Åsby")
    auditor.fill("input[name=kilometres]", "42")
    auditor.click("main form button[type=submit]")
    auditor.wait_for_url(f"{demo_site}/pay/")
    _fits_a_phone(auditor)
    report = TimeReport.objects.get(
        member__user__email="revisor@demo.example", quantity=Decimal("2.5")
    )
    claim = TravelClaim.objects.get(member__user__email="revisor@demo.example", date=today)
    assert (report.amount, claim.amount) == (Decimal("425.00"), Decimal("105.00"))
    assert (
        auditor.locator(".tag", has_text="väntar").count()
        + auditor.locator(".tag", has_text="waiting").count()
        >= 2
    )
    auditor.context.close()

    performer = Organisation.objects.get(name="Brukarkraft Väst")
    coordinator = new_page(browser, javascript=False, width=390)
    sign_in(coordinator, demo_site, "samordnare@demo.example")
    coordinator.goto(f"{demo_site}/pay/organisations/{performer.pk}/approval/")
    _fits_a_phone(coordinator)
    for _ in range(10):
        buttons = coordinator.locator("button[name=decision][value=approve]")
        if not buttons.count():
            break
        buttons.first.click()
        coordinator.wait_for_load_state()
    report.refresh_from_db()
    claim.refresh_from_db()
    assert report.status == claim.status == Status.APPROVED

    coordinator.goto(f"{demo_site}/pay/organisations/{performer.pk}/")
    _fits_a_phone(coordinator)
    coordinator.fill("input[name=month]", today.strftime("%Y-%m"))
    with coordinator.expect_download() as download:
        coordinator.click("button[name=format][value=paxml]")
    path = tmp_path / "loneunderlag.xml"
    download.value.save_as(path)
    root = etree.fromstring(Path(path).read_bytes())
    assert root.tag == "paxml" and root.findtext("header/version") == "2.0"
    rows = [
        {child.tag: child.text for child in row} | {"anstid": row.get("anstid")}
        for row in root.iter("lonetrans")
    ]
    ours = [r for r in rows if r["anstid"] == "1001" and r["datum"] == today.isoformat()]
    assert {
        "lonart": "MILERS",
        "antal": "42.00",
        "apris": "2.50",
        "belopp": "105.00",
    }.items() <= next(r for r in ours if r["lonart"] == "MILERS").items()
    assert any(r["belopp"] == "425.00" and r["antal"] == "2.50" for r in ours)
    coordinator.context.close()


def test_the_pay_pages_have_no_violations(browser, demo_site):
    performer = Organisation.objects.get(name="Brukarkraft Väst")
    page = new_page(browser, width=390)
    sign_in(page, demo_site, "revisor@demo.example")
    for path in ["/pay/", "/pay/time/new/", "/pay/travel/new/"]:
        page.goto(demo_site + path)
        assert_no_violations(page)
    page.goto(f"{demo_site}/pay/time/new/")
    page.click("main form button[type=submit]")
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert summary.locator("a").count() >= 1
    assert_no_violations(page)
    page.context.close()

    page = new_page(browser)
    sign_in(page, demo_site, "samordnare@demo.example")
    for path in [
        f"/pay/organisations/{performer.pk}/",
        f"/pay/organisations/{performer.pk}/approval/",
        f"/pay/organisations/{performer.pk}/fees/",
        "/pay/audits/demo/costs/",
        "/pay/audits/demo/invoice/",
        "/",
    ]:
        page.goto(demo_site + path)
        assert_no_violations(page)
    page.context.close()
