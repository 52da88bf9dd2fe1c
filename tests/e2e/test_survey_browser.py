"""The demo survey in Chromium: with the keyboard alone, without JavaScript, and under axe."""

from brukarrevision.collection import services
from brukarrevision.collection.models import Interview, Response
from brukarrevision.instruments.models import Instrument

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e) return {};
  const group = e.name ? document.querySelectorAll(`[name="${e.name}"]:checked`).length : 0;
  return {tag: e.tagName, type: e.type || "", name: e.name || "", value: e.value || "",
          filled: (e.value || "") !== "", checkedInGroup: group};
}"""


def expected_codes() -> set[str]:
    """Every answerable question the first-option path shows: choosing "boendestöd" hides
    the drop-in question `gor`; "yes" to having a plan shows `plan_med`."""
    instrument = Instrument.objects.get(audit__slug="demo", kind="questionnaire")
    return {i.code for i in instrument.all_items() if i.answers_anything()} - {"gor"}


def keyboard_page(page) -> None:
    """Answer the page's questions and press its main button, by keyboard only."""
    for _ in range(200):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUSED)
        if state.get("tag") == "BUTTON" and state["name"] == "go" and state["value"] == "next":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        if state.get("type") in ("radio", "checkbox") and state["checkedInGroup"] == 0:
            page.keyboard.press("Space")
        elif state.get("type") == "number" and not state["filled"]:
            page.keyboard.type("3")
        elif (
            state.get("tag") in ("TEXTAREA", "INPUT")
            and state.get("type")
            in (
                "text",
                "textarea",
            )
            and not state["filled"]
        ):
            page.keyboard.type("Bra stöd, ring 070-123 45 67")
    raise AssertionError("never reached the next button")


def keyboard_switch_language(page, code: str) -> None:
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        state = page.evaluate(FOCUSED)
        if state.get("name") == "switch_language" and state["value"] == code:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"no language button {code}")


def test_the_demo_survey_with_the_keyboard_alone(page, demo_site):
    before = Response.objects.filter(channel="web").count()
    page.goto(f"{demo_site}/s/demo/")
    page.keyboard.press("Tab")  # skip link
    keyboard_start(page)
    for number in range(1, 10):
        page.wait_for_load_state()
        if "/thanks/" in page.url:
            break
        if number == 2:
            keyboard_switch_language(page, "en")
            assert page.evaluate("document.documentElement.lang") == "en"
        if number == 3:
            keyboard_switch_language(page, "sv-x-easy")
        keyboard_page(page)
    assert "/thanks/" in page.url
    assert Response.objects.filter(channel="web").count() == before + 1
    stored = Response.objects.filter(channel="web").latest("pk")
    assert set(services.stored_answers(stored)) == expected_codes()
    assert stored.language == "sv-x-easy"


def keyboard_start(page) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUSED)
        if state.get("name") == "consent":
            page.keyboard.press("Space")
            with page.expect_navigation():
                page.keyboard.press("Enter")  # Enter submits the form with its default button
            assert page.url.endswith("/s/demo/1/")
            return
    raise AssertionError("no consent box")


def fill_first_options(page) -> None:
    for group in page.locator("fieldset.question:not(.matrix)").all():
        first = group.locator("input").first
        if first.get_attribute("type") in ("radio", "checkbox"):
            first.check()
    for field in page.locator("input[type=number]").all():
        field.fill("3")
    for field in page.locator("main input[type=text], main textarea").all():
        field.fill("Bra stöd")


def test_the_demo_survey_without_javascript(no_js_page, demo_site):
    page = no_js_page
    before = Response.objects.filter(channel="web").count()
    page.goto(f"{demo_site}/s/demo/")
    page.check("input[name=consent]")
    page.click("form#start-form .actions button, form#start-form > button")
    for number in range(1, 10):
        if "/thanks/" in page.url:
            break
        if number == 2:
            page.click("button[name=switch_language][value=sv-x-easy]")
            assert page.locator("html").get_attribute("lang") == "sv"
            assert "Sida" in page.content()
        if number == 3:
            page.click("button[name=switch_language][value=en]")
        fill_first_options(page)
        page.click("button[name=go][value=next]:visible")
    assert "/thanks/" in page.url
    assert Response.objects.filter(channel="web").count() == before + 1
    stored = Response.objects.filter(channel="web").latest("pk")
    assert set(services.stored_answers(stored)) == expected_codes()


def test_every_page_of_the_demo_survey_in_every_version_has_no_violations(browser, demo_site):
    for lang in ["sv", "sv-x-easy", "en"]:
        page = new_page(browser, width=390)
        page.goto(f"{demo_site}/s/demo/?lang={lang}")
        assert_no_violations(page)
        page.click("form#start-form > button:not([name])")  # no consent: the error state
        assert_no_violations(page)
        page.check("input[name=consent]")
        page.click("form#start-form > button:not([name])")
        for _ in range(10):
            if "/thanks/" in page.url:
                break
            assert_no_violations(page)
            fill_first_options(page)
            page.click("button[name=go][value=next]:visible")
        assert "/thanks/" in page.url
        assert_no_violations(page)
        page.context.close()


def test_the_staff_collection_pages_have_no_violations(page, demo_site):
    sign_in(page, demo_site, "revisor@demo.example")
    booked = Interview.objects.get(status="booked")
    for path in [
        "/audits/demo/collection/",
        "/audits/demo/collection/paper/",
        "/audits/demo/collection/interviews/",
        f"/audits/demo/collection/interviews/{booked.pk}/",
    ]:
        page.goto(demo_site + path)
        assert_no_violations(page)
    page.goto(demo_site + "/audits/demo/collection/paper/")
    page.click("button[name=choose]")
    assert_no_violations(page)
