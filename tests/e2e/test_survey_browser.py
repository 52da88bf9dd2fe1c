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


PHONE, DESKTOP = 375, 1280


def assert_fits(page, width=PHONE) -> None:
    """Nothing sticks out sideways: the page is no wider than a phone's screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def assert_accessible(page, width) -> None:
    assert_no_violations(page)
    if width == PHONE:
        assert_fits(page)


def test_every_page_of_the_demo_survey_in_every_version_has_no_violations(browser, demo_site):
    for width, lang in [(PHONE, "sv"), (PHONE, "sv-x-easy"), (PHONE, "en"), (DESKTOP, "sv")]:
        page = new_page(browser, width=width)
        page.goto(f"{demo_site}/s/demo/?lang={lang}")
        assert_accessible(page, width)
        page.click("form#start-form > button:not([name])")  # no consent: the error state
        assert_accessible(page, width)
        page.check("input[name=consent]")
        page.click("form#start-form > button:not([name])")
        page.click("#main-button")  # nothing chosen: the error summary
        assert page.locator(".error-summary").count() == 1
        assert_accessible(page, width)
        for _ in range(10):
            assert_accessible(page, width)
            if page.locator("#main-button").inner_text() in ("Skicka svaren", "Skicka", "Send"):
                page.goto(page.url + "?unsent=1#not-sent")  # where Enter without JavaScript leads
                page.locator("#not-sent").wait_for()
                assert_accessible(page, width)
            fill_first_options(page)
            page.click("#main-button")
            if "/thanks/" in page.url:
                break
        assert "/thanks/" in page.url
        assert_accessible(page, width)
        page.go_back()  # the answers were sent
        assert page.locator("form").count() == 0
        assert_accessible(page, width)
        page.context.close()


def test_the_staff_collection_pages_have_no_violations(browser, demo_site):
    booked = Interview.objects.get(status="booked")
    for width in [PHONE, DESKTOP]:
        page = new_page(browser, width=width)
        sign_in(page, demo_site, "revisor@demo.example")
        for path in [
            "/audits/demo/collection/",
            "/audits/demo/collection/paper/",
            "/audits/demo/collection/interviews/",
            f"/audits/demo/collection/interviews/{booked.pk}/",
        ]:
            page.goto(demo_site + path)
            assert_accessible(page, width)
        page.goto(demo_site + "/audits/demo/collection/paper/")
        page.click("button[name=choose]")  # nothing chosen: the error state
        assert_accessible(page, width)
        choose_paper_form(page)
        assert_accessible(page, width)
        page.fill("input[name=stod]", "9")  # an unknown code: the error state
        page.click("#save-paper")
        assert page.locator(".error-summary").count() == 1
        assert_accessible(page, width)
        page.goto(demo_site + "/audits/demo/collection/interviews/")
        book_with_one_interviewer(page)
        assert_accessible(page, width)
        page.context.close()


# Enter never sends ------------------------------------------------------------------------


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def to_the_last_page(page) -> None:
    """From the first page, answer the first options until the send button shows."""
    for _ in range(10):
        fill_first_options(page)
        if page.locator("#main-button").inner_text() == "Skicka svaren":
            return
        page.click("#main-button")
    raise AssertionError("no last page")


def begin(page, site) -> None:
    page.goto(f"{site}/s/demo/")
    page.check("input[name=consent]")
    page.click("form#start-form > button:not([name])")
    page.wait_for_url("**/s/demo/1/")


def test_enter_moves_to_the_next_field_or_page_and_never_sends(page, demo_site):
    before = Response.objects.count()
    begin(page, demo_site)
    page.check("input[name=stod] >> nth=0")
    page.focus("input[name=ar]")
    page.keyboard.type("3")
    page.keyboard.press("Enter")  # to the next question, not the next page
    assert page.url.endswith("/s/demo/1/")
    assert focused(page)["name"] == "plan"
    page.keyboard.press("Space")  # "yes", so the next page asks about the plan
    with page.expect_navigation():
        page.keyboard.press("Enter")  # after the last question: the next page
    assert page.url.endswith("/s/demo/2/")
    to_the_last_page(page)
    page.focus("input[name=ord]")
    page.keyboard.type("Lugnt")
    page.keyboard.press("Enter")
    assert focused(page)["name"] == "andra"  # the next field: the long answer
    page.focus("input[type=radio] >> nth=-1")
    page.keyboard.press("Enter")  # from the last choice question to the next shown field
    assert focused(page)["name"] == "ord"
    assert "/thanks/" not in page.url and Response.objects.count() == before
    page.click("#main-button")  # only the send button sends
    page.wait_for_url("**/thanks/**")
    assert Response.objects.count() == before + 1


def test_enter_without_javascript_goes_on_but_never_sends(no_js_page, demo_site):
    page = no_js_page
    before = Response.objects.count()
    begin(page, demo_site)
    page.check("input[name=stod] >> nth=0")
    page.fill("input[name=ar]", "3")
    with page.expect_navigation():
        page.locator("input[name=ar]").press("Enter")
    assert not page.url.endswith("/s/demo/1/")
    to_the_last_page(page)
    page.fill("input[name=ord]", "Lugnt")
    with page.expect_navigation():
        page.locator("input[name=ord]").press("Enter")
    notice = page.locator("#not-sent")
    assert "Dina svar är inte skickade än" in notice.inner_text()
    assert page.locator("input[name=ord]").input_value() == "Lugnt"
    assert Response.objects.count() == before
    page.click("#main-button")
    page.wait_for_url("**/thanks/**")
    assert Response.objects.count() == before + 1


# Back after sending -------------------------------------------------------------------------


def test_back_after_sending_shows_that_the_answers_were_sent(browser, demo_site):
    for javascript in (True, False):
        page = new_page(browser, javascript=javascript, width=PHONE)
        begin(page, demo_site)
        to_the_last_page(page)
        page.click("#main-button")
        page.wait_for_url("**/thanks/**")
        back = page.go_back()
        assert back is None or "no-store" in back.headers["cache-control"]
        assert page.locator("h1").inner_text() == "Dina svar är skickade"
        assert page.locator("input").count() == 0  # no survey to answer again by mistake
        page.go_back()
        assert page.locator("h1").inner_text() == "Dina svar är skickade"
        page.click("text=Börja ett nytt svar")
        assert page.locator("input[name=consent]").count() == 1
        page.context.close()


# Larger text --------------------------------------------------------------------------------

SIZES = """() => {
  const size = (css) => parseFloat(getComputedStyle(document.querySelector(css)).fontSize);
  return {question: size("fieldset.question > legend"), answer: size(".option span"),
          heading: size("h1"), note: size("p.muted")};
}"""


def test_larger_text_makes_everything_grow_and_the_question_most(browser, demo_site):
    page = new_page(browser, width=PHONE)
    begin(page, demo_site)
    normal = page.evaluate(SIZES)
    assert normal["question"] > normal["answer"]
    page.click("button[name=view][value='large:on']")
    page.wait_for_load_state()
    large = page.evaluate(SIZES)
    assert all(large[part] > normal[part] for part in normal), (normal, large)
    assert large["question"] > large["answer"]
    assert large["question"] / normal["question"] >= large["answer"] / normal["answer"]
    assert_accessible(page, PHONE)
    page.click("button[name=view][value='contrast:on']")
    page.wait_for_load_state()
    for _ in range(10):  # every page in large text, high contrast, fits a phone
        assert_accessible(page, PHONE)
        fill_first_options(page)
        page.click("#main-button")
        if "/thanks/" in page.url:
            break
    assert "/thanks/" in page.url
    assert_accessible(page, PHONE)
    page.context.close()


# The QR code, paper entry and booking ---------------------------------------------------------


def test_the_qr_code_is_drawn_with_its_link_as_text(page, demo_site):
    sign_in(page, demo_site, "samordnare@demo.example")
    page.goto(demo_site + "/audits/demo/collection/")
    download = page.locator(".distribution a[download]").first.get_attribute("href")
    drawn = page.request.get(demo_site + download)
    assert drawn.ok and drawn.headers["content-type"] == "image/svg+xml"
    qr = page.locator(".distribution img").first
    qr.scroll_into_view_if_needed()
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["height"] >= 150
    drawn_width = "image => image.decode().then(() => image.naturalWidth, () => 0)"
    assert qr.evaluate(drawn_width) > 0  # drawn, not a broken image
    assert f"{demo_site}/s/demo/" in qr.get_attribute("alt")


def test_a_paper_form_is_typed_in_with_the_keyboard_alone(page, demo_site):
    import time

    sign_in(page, demo_site, "revisor@demo.example")
    page.goto(demo_site + "/audits/demo/collection/paper/")
    choose_paper_form(page)
    codes = {"stod": "bada", "ar": "4", "plan": "j", "plan_med": "5", "q5": "4", "gor": "fika"}
    before = Response.objects.filter(channel="paper").count()
    began = time.monotonic()
    for number in ["201", "202"]:
        assert focused(page)["name"] == "paper_number"  # ready for the next form
        page.keyboard.type(number)
        state = focused(page)
        for _ in range(40):
            # Enter moves on, as Tab does; in a box for longer text it is a new line.
            page.keyboard.press("Tab" if state["tag"] == "TEXTAREA" else "Enter")
            state = focused(page)
            if state["tag"] == "BUTTON":
                break
            if state["name"] in codes:
                page.keyboard.type(codes[state["name"]])
        assert state["name"] == "answers"  # after the last question: the save button
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".message--success").count() == 1
    assert time.monotonic() - began < 60
    stored = Response.objects.filter(channel="paper").order_by("-pk")[:2]
    assert sorted(r.paper_number for r in stored) == ["201", "202"]
    assert Response.objects.filter(channel="paper").count() == before + 2
    assert services.stored_answers(stored[0])["gor"] == ["fika"]


def choose_paper_form(page) -> None:
    """The questionnaire, the first unit and the users, as at the top of the paper."""
    for name in ["instrument", "unit", "target_group"]:
        page.select_option(f"select[name={name}]", index=1)
    page.click("button[name=choose]")
    page.locator("input[name=stod]").wait_for()


def book_with_one_interviewer(page) -> None:
    card = page.locator(".card", has=page.locator("summary", has_text="Boka en tid")).first
    card.locator("summary").click()
    card.locator("input[type=datetime-local]").fill("2030-05-04T10:30")
    card.locator("input[name$=place]").fill("Biblioteket, rum 2")
    card.locator("input[type=checkbox]").first.check()
    with page.expect_navigation():
        card.locator("button", has_text="Boka").click()


def test_a_booking_error_keeps_what_was_typed(page, demo_site):
    sign_in(page, demo_site, "revisor@demo.example")
    page.goto(demo_site + "/audits/demo/collection/interviews/")
    book_with_one_interviewer(page)
    summary = page.locator(".error-summary")
    assert "Välj två intervjuare" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    card = page.locator("details[open]")
    assert card.locator("input[name$=place]").input_value() == "Biblioteket, rum 2"
    assert card.locator("input[type=datetime-local]").input_value() == "2030-05-04T10:30"
    assert card.locator("input[type=checkbox]:checked").count() == 1
    summary.locator("a").first.click()  # the error links to the interviewers
    assert focused(page)["type"] == "checkbox"
