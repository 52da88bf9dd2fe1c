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
    sign_in(page, demo_site, "bestallare@demo.example")
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
