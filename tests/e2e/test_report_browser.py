"""The report and follow-up pages in Chromium: axe-core finds nothing on the report's pages,
the HTML report itself, feedback and actions, and the public pages (on a phone too)."""

from brukarrevision.followup.models import Action
from brukarrevision.reports.models import Proposal

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations


def test_the_report_pages_have_no_violations(page, demo_site):
    sign_in(page, demo_site, "samordnare@demo.example")
    proposal = Proposal.objects.filter(audit__slug="demo").first()
    for path in [
        "/audits/demo/report/",
        "/audits/demo-2027/report/",
        "/audits/demo-2027/report/sections/summary/",
        "/audits/demo/report/assessment/",
        "/audits/demo/report/proposals/",
        f"/audits/demo/report/proposals/{proposal.pk}/",
        "/audits/demo/report/versions/1/",
        "/audits/demo/report/preview/",
        "/audits/demo/report/preview/?easy=1",
        "/audits/demo-2027/report/preview/",
    ]:
        page.goto(demo_site + path)
        assert_no_violations(page)


def test_a_rendering_shows_its_progress_and_the_file(page, demo_site):
    sign_in(page, demo_site, "samordnare@demo.example")
    page.goto(f"{demo_site}/audits/demo/report/")
    page.check("input[name=format][value=pdf]")
    page.click("form[action$='/render/'] button[type=submit]")
    page.wait_for_url("**/renderings/*/")
    page.wait_for_selector("a[download]", timeout=30000)
    assert_no_violations(page)


def test_the_feedback_pages_have_no_violations(page, demo_site):
    sign_in(page, demo_site, "verksamhet@demo.example")
    proposal = Proposal.objects.filter(audit__slug="demo").first()
    action = Action.objects.filter(proposal__audit__slug="demo").first()
    for path in [
        "/audits/demo/feedback/",
        f"/audits/demo/feedback/proposals/{proposal.pk}/",
        f"/audits/demo/feedback/actions/{action.pk}/",
    ]:
        page.goto(demo_site + path)
        assert_no_violations(page)


def test_the_public_pages_have_no_violations_on_a_phone(browser, demo_site):
    page = new_page(browser, width=390)
    for path in ["/public/", "/public/demo/", "/public/demo/?easy=1"]:
        page.goto(demo_site + path)
        assert_no_violations(page)


def test_the_client_sees_a_published_report_as_published(page, demo_site):
    sign_in(page, demo_site, "bestallare@demo.example")
    page.goto(f"{demo_site}/audits/demo/report/")
    review = page.locator("section[aria-labelledby=review-title]")
    said = review.inner_text()
    assert "Väntar på samordnaren" not in said and "Waiting for the coordinator" not in said
    assert review.locator("a[href$='/public/demo/']").count() == 1
    assert_no_violations(page)


def test_the_report_preview_has_contents_colour_ratings_and_no_codes(page, demo_site):
    sign_in(page, demo_site, "samordnare@demo.example")
    page.goto(f"{demo_site}/audits/demo/report/preview/")
    marks = page.locator("main .mark")
    assert marks.count() >= 4
    assert page.locator("main .mark [aria-hidden=true]").count() == marks.count()
    colours = {marks.nth(i).evaluate("e => getComputedStyle(e).backgroundColor") for i in range(4)}
    assert len(colours) == 3  # green, yellow, red
    link = page.locator("nav.contents a").nth(2)
    target = link.get_attribute("href")
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    assert page.locator(target).is_visible()
    text = page.locator("main").inner_text()
    assert "plan_med" not in text and "q5:" not in text
    assert_no_violations(page)
