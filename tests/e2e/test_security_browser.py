"""The security pages of issue 12 in Chromium: axe-core finds no violations on the security
log's review page, the record of processing, the retention date, the activity page, the
answer codes, the survey start with its code field and the two-step sign-in."""

from brukarrevision.collection.models import Distribution
from brukarrevision.core import demo_security

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations


def test_the_administrators_security_log_has_no_violations(page, demo_site):
    sign_in(page, demo_site, "admin@demo.example")
    page.goto(f"{demo_site}/security/log/")
    assert page.locator("main .notice, main [role=alert], main .warning").count() >= 1 or (
        "203.0.113.45" in page.content()
    )
    assert_no_violations(page)
    page.goto(f"{demo_site}/security/log/?person=okand&kind=sign_in_failed")
    assert "okand@example.com" in page.content()
    assert_no_violations(page)


def test_the_coordinators_privacy_and_collection_pages_have_no_violations(browser, demo_site):
    page = new_page(browser, width=390)
    sign_in(page, demo_site, "samordnare@demo.example")
    coded = Distribution.objects.filter(audit__slug="demo", requires_code=True).first()
    for path in [
        "/audits/demo/processing/",
        "/audits/demo/retention/",
        "/audits/demo/collection/activity/",
        f"/audits/demo/collection/links/{coded.pk}/codes/",
    ]:
        page.goto(demo_site + path)
        assert_no_violations(page)


def test_the_survey_asks_for_a_code_without_violations(browser, demo_site):
    coded = Distribution.objects.filter(audit__slug="demo", requires_code=True).first()
    page = new_page(browser, javascript=False, width=390)
    page.goto(f"{demo_site}/s/{coded.token}/")
    assert page.locator("input[name=code]").count() == 1
    page.click("#start-form button[type=submit]:visible")
    assert page.locator(".error-summary a[href='#id_code']").count() == 1
    checked = new_page(browser, width=390)  # axe-core runs as JavaScript
    checked.goto(f"{demo_site}/s/{coded.token}/")
    checked.click("#start-form button[type=submit]:visible")
    checked.locator(".error-summary").wait_for()
    assert_no_violations(checked)


def test_the_two_step_sign_in_has_no_violations(page, demo_site):
    page.goto(f"{demo_site}/accounts/login/")
    page.fill("input[name=username]", demo_security.TWO_STEP_EMAIL)
    page.fill("input[name=password]", "demo-brukare-2026")
    page.click("main button[type=submit]")
    page.goto(f"{demo_site}/")
    assert "/two-step/" in page.url
    assert_no_violations(page)
    page.fill("input[name=otp_token]", demo_security.RECOVERY_CODES[1])
    page.click("main button[type=submit]")
    page.wait_for_url(f"{demo_site}/**")
    assert "/two-step/" not in page.url
