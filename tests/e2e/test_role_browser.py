"""Each role's day in Chromium: every demo role signs in, sees its task list with links to the
demo's open work and follows one; axe-core finds nothing on the start pages, the plan, coding,
agreement, public and 404 pages, at 375 px and at 1280 px, and no page is wider than a
375 px phone screen."""

import pytest

from brukarrevision.audits.models import Application
from brukarrevision.collection.models import Interview

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations

PHONE, DESKTOP = 375, 1280

# The pages each role works on, as named in the issue: start page, plan, coding, agreement.
ROLE_PAGES = {
    "samordnare@demo.example": ["/", "/audits/demo/plan/", "/audits/asby-lss/plan/"],
    "revisor@demo.example": [
        "/",
        "/audits/demo/analysis/coding/",
        "/audits/demo/analysis/coding/?status=coded&all=1&page=2",
        "/audits/demo/analysis/agreement/",
    ],
    "bestallare@demo.example": ["/"],
    "verksamhet@demo.example": ["/"],
    "admin@demo.example": ["/"],
}
PUBLIC_PAGES = ["/public/", "/public/demo/", "/public/demo/?easy=1", "/finns-inte/"]


def check_pages(page, site, paths, width):
    for path in paths:
        page.goto(site + path)
        assert_no_violations(page)
        if width == PHONE:
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= PHONE, f"{path} is {wide} px wide at {PHONE} px"


def task_links(page, section):
    return page.locator(f"section[aria-labelledby={section}-title] li.task > a")


def expected_task(email):
    """For each role: the section, a link its task list must hold, and the heading of the page
    that link opens."""
    if email == "samordnare@demo.example":
        waiting = Application.objects.get(status=Application.Status.SUBMITTED)
        return "coordinator", f"/applications/{waiting.pk}/", "h1"
    if email == "revisor@demo.example":
        booked = Interview.objects.get(audit__slug="demo", status=Interview.Status.BOOKED)
        return "auditor", f"/audits/demo/collection/interviews/{booked.pk}/", "h1"
    if email == "bestallare@demo.example":
        return "client", "/audits/demo/report/", "h1"
    if email == "verksamhet@demo.example":
        return "unit", "/audits/demo-2027/collection/interviews/", "h1"
    return "admin", "/admin/", "#site-name"


@pytest.mark.parametrize("email", list(ROLE_PAGES))
def test_each_role_sees_its_tasks_follows_one_and_its_pages_pass_axe(browser, demo_site, email):
    section, href, heading = expected_task(email)
    page = new_page(browser, width=PHONE)
    sign_in(page, demo_site, email)
    if section == "admin":
        links = page.locator("section[aria-labelledby=admin-title] a")
    else:
        links = task_links(page, section)
        assert links.count() >= 1
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert href in hrefs, hrefs
    check_pages(page, demo_site, ROLE_PAGES[email], PHONE)
    page.goto(demo_site + "/")
    page.locator(f"main a[href='{href}']").first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith(href)
    assert page.locator(heading).first.is_visible()
    page.context.close()

    page = new_page(browser, width=DESKTOP)
    sign_in(page, demo_site, email)
    check_pages(page, demo_site, ROLE_PAGES[email], DESKTOP)
    page.context.close()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_public_pages_and_the_404_page_pass_axe_and_fit_a_phone(browser, demo_site, width):
    page = new_page(browser, width=width)
    check_pages(page, demo_site, PUBLIC_PAGES, width)
    page.goto(demo_site + "/finns-inte/")
    assert page.locator("h1").inner_text()
    page.click("main a[href='/']")
    page.wait_for_url(demo_site + "/")
    page.context.close()


def test_the_plan_refuses_bad_input_with_one_summary_that_names_the_section(browser, demo_site):
    page = new_page(browser, width=PHONE)
    sign_in(page, demo_site, "samordnare@demo.example")
    page.goto(demo_site + "/audits/asby-lss/plan/")
    form = page.locator("#plan-form")
    assert form.locator("button[type=submit]").count() == 1
    page.fill("input[name=budget_sek]", "-100")
    page.fill("input[name=timeline-start_2]", "1900-01-01")
    form.locator("button[type=submit]").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    sections = summary.locator("strong").all_inner_texts()
    assert len(sections) == 2  # scope and method; timeline
    assert page.locator("input[name=budget_sek]").input_value() == "-100"
    assert_no_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.context.close()


def test_the_coding_page_pages_and_filters_without_javascript(browser, demo_site):
    page = new_page(browser, javascript=False, width=PHONE)
    sign_in(page, demo_site, "revisor@demo.example")
    page.goto(demo_site + "/audits/demo/analysis/coding/")
    assert page.locator("article.answer").count() == 10
    page.locator("nav.pager a[rel=next]").click()
    assert "page=2" in page.url
    page.select_option("select[name=status]", "uncoded")
    page.click("form.coding-filters button[type=submit]")
    assert "status=uncoded" in page.url and "page=" not in page.url
    assert page.locator("article.answer").count() == 10
    page.context.close()
