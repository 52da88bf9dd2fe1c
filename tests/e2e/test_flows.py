"""Whole tasks done in a real browser: by keyboard, and with JavaScript turned off."""

from brukarrevision.audits.models import Application, Audit

from .conftest import sign_in


def test_the_skip_link_is_the_first_stop_and_focus_is_visible(page, demo_site):
    page.goto(demo_site + "/")
    page.wait_for_load_state("load")
    page.bring_to_front()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_signing_in_with_the_keyboard_alone(page, demo_site):
    page.goto(demo_site + "/accounts/login/")
    page.focus("input[name=username]")
    page.keyboard.type("samordnare@demo.example")
    page.keyboard.press("Tab")
    from brukarrevision.core.demo import DEMO_PASSWORD

    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(demo_site + "/")
    assert page.locator("#coordinator-title").is_visible()


def test_error_summary_takes_focus_and_links_to_the_field(page, demo_site):
    sign_in(page, demo_site, "bestallare@demo.example")
    page.goto(demo_site + "/offers/")
    page.click("a[href$='/apply/']")
    page.click("main button[type=submit]")
    page.locator(".error-summary").wait_for()
    assert page.evaluate("document.activeElement.closest('.error-summary') !== null")
    first_link = page.locator(".error-summary a").first
    target = first_link.get_attribute("href")
    first_link.click()
    assert page.evaluate("document.activeElement.id") == target.lstrip("#") or page.url.endswith(
        target
    )


def test_application_to_planned_audit_without_javascript(no_js_page, demo_site):
    page = no_js_page
    sign_in(page, demo_site, "bestallare@demo.example")
    page.goto(demo_site + "/offers/")
    page.click("a[href$='/apply/']")
    page.check("input[name=units] >> nth=0")
    for name in [
        "purpose",
        "anchoring",
        "recruitment",
        "use_of_results",
        "participation",
        "follow_up",
    ]:
        page.fill(f"textarea[name={name}]", f"Vårt svar om {name} i webbläsaren.")
    page.click("main button[type=submit]")
    application = Application.objects.get(purpose__contains="i webbläsaren")
    assert f"/applications/{application.pk}/" in page.url

    page.context.clear_cookies()
    sign_in(page, demo_site, "samordnare@demo.example")
    page.goto(f"{demo_site}/applications/{application.pk}/")
    page.check("input[name=decision][value=accept]")
    page.fill("textarea[name=message]", "Välkomna!")
    page.click("main form button[type=submit]")
    audit = Audit.objects.get(application=application)
    page.goto(f"{demo_site}/audits/{audit.slug}/plan/")
    plan_form = page.locator("form:has(input[name=section][value=plan])")
    plan_form.locator("input[name=method]").first.check()
    plan_form.locator("input[name=budget_sek]").fill("120000")
    plan_form.locator("button[type=submit]").click()
    audit.refresh_from_db()
    assert audit.budget_sek == 120000
    assert audit.method
    page.goto(f"{demo_site}/audits/{audit.slug}/")
    assert audit.client.name in page.content()
