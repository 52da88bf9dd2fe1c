"""axe-core (WCAG 2.1 A and AA) on the pages of the foundation, in Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import sign_in

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def assert_no_violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accessibility/", "/offers/"])
def test_public_pages_have_no_violations(page, demo_site, path):
    page.goto(demo_site + path)
    assert_no_violations(page)


@pytest.mark.parametrize(
    "email, paths",
    [
        (
            "samordnare@demo.example",
            [
                "/",
                "/audits/demo/",
                "/audits/demo/plan/",
                "/audits/demo/team/",
                "/audits/demo/phase/",
                "/offers/new/",
            ],
        ),
        ("bestallare@demo.example", ["/", "/audits/demo/"]),
        ("revisor@demo.example", ["/", "/audits/demo/"]),
        ("verksamhet@demo.example", ["/"]),
    ],
)
def test_role_pages_have_no_violations(page, demo_site, email, paths):
    sign_in(page, demo_site, email)
    for path in paths:
        page.goto(demo_site + path)
        assert_no_violations(page)


def test_the_application_form_and_its_errors_have_no_violations(page, demo_site):
    sign_in(page, demo_site, "bestallare@demo.example")
    page.goto(demo_site + "/offers/")
    page.click("a[href$='/apply/']")
    assert_no_violations(page)
    page.click("main button[type=submit]")
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert summary.locator("a").count() >= 1
    assert_no_violations(page)


def test_a_phone_sized_page_has_no_violations_and_no_sideways_scrolling(browser, demo_site):
    from .conftest import new_page

    page = new_page(browser, width=360)
    sign_in(page, demo_site, "samordnare@demo.example")
    page.goto(demo_site + "/audits/demo/plan/")
    assert_no_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.context.close()
