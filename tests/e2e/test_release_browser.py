"""Releases in Chromium: axe-core finds nothing on the release pages, the released results on
a phone, the page before any release and the public page with its versions; the coordinator
previews and makes a release without JavaScript."""

from brukarrevision.releases.models import Release

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations


def test_the_release_pages_have_no_violations(page, demo_site):
    sign_in(page, demo_site, "samordnare@demo.example")
    for path in [
        "/audits/demo/results/releases/",
        "/audits/demo/results/releases/1/",
        "/audits/demo/results/releases/new/",
        "/audits/demo/results/?by=unit",
    ]:
        page.goto(demo_site + path)
        assert_no_violations(page)


def test_a_client_reads_released_results_on_a_phone(browser, demo_site):
    page = new_page(browser, width=390)
    sign_in(page, demo_site, "bestallare@demo.example")
    page.goto(f"{demo_site}/audits/demo/results/?by=unit")
    assert "utgåva 1" in page.content().lower()
    assert page.locator(".suppressed").count() > 0
    assert_no_violations(page)
    Release.objects.filter(audit__slug="demo-2027").delete()
    page.goto(f"{demo_site}/audits/demo-2027/results/")
    assert "Inga resultat är utgivna" in page.content()
    assert_no_violations(page)
    page.context.close()


def test_the_public_page_lists_its_versions_without_violations(page, demo_site):
    page.goto(f"{demo_site}/public/demo/")
    assert page.get_by_text("Version 1, publicerad").count() == 1
    assert_no_violations(page)
    page.goto(f"{demo_site}/public/demo/?version=1")
    assert "har ersatts" in page.content()
    assert_no_violations(page)


def test_the_coordinator_makes_a_release_without_javascript(no_js_page, demo_site):
    from tests.test_releases import add_responses

    add_responses("demo", "Boendestöd", 5)
    sign_in(no_js_page, demo_site, "samordnare@demo.example")
    no_js_page.goto(f"{demo_site}/audits/demo/results/releases/new/")
    no_js_page.fill("input[name=note]", "Kontroll")
    no_js_page.click("main button[type=submit]")
    no_js_page.wait_for_url("**/releases/2/")
    assert "Utgåva 2" in no_js_page.content()
    assert Release.objects.get(audit__slug="demo", number=2).note == "Kontroll"
