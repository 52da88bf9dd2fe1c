"""The suggestion box in Chromium: written on a phone without signing in and without
JavaScript, moderated and answered by the unit contact, shown on the wall; axe-core on the
public pages of the box and the toolbox and on the queue."""

from brukarrevision.organisations.models import Unit

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations

ABOUT = "Väntetiden i telefon"
CHANGE = "Ring tillbaka samma dag. Mitt nummer är 070-765 43 21."


def _unit():
    return Unit.objects.get(name="Boendestöd Åsby")


def test_a_suggestion_from_a_phone_is_moderated_answered_and_shown_on_the_wall(
    browser, page, demo_site
):
    unit = _unit()
    phone = new_page(browser, javascript=False, width=390)
    try:
        phone.goto(f"{demo_site}/suggestions/")
        phone.get_by_role("link", name="Boendestöd Åsby", exact=True).click()
        phone.wait_for_url(f"{demo_site}/suggestions/{unit.pk}/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.get_by_label("Vad gäller det?").fill(ABOUT)
        phone.get_by_label("Vad skulle du vilja ändra?").fill(CHANGE)
        phone.get_by_label("Information", exact=True).check()
        phone.get_by_role("button", name="Skicka synpunkten").click()
        phone.wait_for_url(f"{demo_site}/suggestions/{unit.pk}/thanks/**")
        assert "Tack för din synpunkt!" in phone.content()
        assert "Vi dolde något" in phone.content()
    finally:
        phone.context.close()

    sign_in(page, demo_site, "verksamhet@demo.example")
    page.goto(f"{demo_site}/suggestions/queue/")
    page.get_by_role("link", name="Boendestöd Åsby").click()
    page.get_by_role("link", name=ABOUT).click()
    assert "[telefonnummer]" in page.content() and "765 43 21" not in page.content()
    page.locator("input[name=decision][value=approved]").check()
    page.fill("textarea[name=answer]", "Från i morgon ringer vi upp samma dag.")
    page.click("main form button[type=submit] >> nth=0")
    page.wait_for_url(f"{demo_site}/suggestions/{unit.pk}/queue/")

    wall = new_page(browser, javascript=False, width=390)
    try:
        wall.goto(f"{demo_site}/suggestions/{unit.pk}/wall/")
        content = wall.content()
        assert ABOUT in content and "Från i morgon ringer vi upp samma dag." in content
        assert "Klagomål på en person" not in content  # the demo's rejected suggestion
        assert wall.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        wall.context.close()


def test_the_public_pages_have_no_axe_violations(page, demo_site):
    unit = _unit()
    for path in [
        "/suggestions/",
        f"/suggestions/{unit.pk}/",
        f"/suggestions/{unit.pk}/?lang=sv-x-easy",
        f"/suggestions/{unit.pk}/?lang=en",
        f"/suggestions/{unit.pk}/wall/",
        f"/suggestions/{unit.pk}/poster/",
        "/toolbox/",
        "/toolbox/?level=individual&quality_area=goals",
        "/toolbox/delaktighetstrappan/",
        "/toolbox/delaktighetstrappan/easy/",
    ]:
        page.goto(demo_site + path)
        assert_no_violations(page)


def test_the_box_with_errors_has_no_axe_violations(page, demo_site):
    page.goto(f"{demo_site}/suggestions/{_unit().pk}/")
    page.get_by_role("button", name="Skicka synpunkten").click()
    page.locator(".error-summary").wait_for()
    assert_no_violations(page)


def test_the_moderation_pages_have_no_axe_violations(page, demo_site):
    unit = _unit()
    sign_in(page, demo_site, "verksamhet@demo.example")
    for path in ["/suggestions/queue/", f"/suggestions/{unit.pk}/queue/"]:
        page.goto(demo_site + path)
        assert_no_violations(page)
    page.get_by_role("link", name="Personalen byts ofta").click()
    assert_no_violations(page)


def test_the_toolbox_editing_pages_have_no_axe_violations(page, demo_site):
    sign_in(page, demo_site, "samordnare@demo.example")
    for path in ["/toolbox/new/", "/toolbox/fokusgrupp/edit/"]:
        page.goto(demo_site + path)
        assert_no_violations(page)
