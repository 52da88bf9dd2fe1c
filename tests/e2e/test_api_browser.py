"""The API's documentation page under the strict Content-Security-Policy, and the token page
in a phone-wide browser: make a token, use it, revoke it."""

from tests.e2e.conftest import new_page, sign_in
from tests.e2e.test_accessibility import assert_no_violations


def test_the_swagger_ui_runs_from_our_own_files_without_breaking_the_csp(page, demo_site):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "request",
        lambda r: problems.append(r.url) if not r.url.startswith(demo_site) else None,
    )
    page.goto(f"{demo_site}/api/docs/")
    page.get_by_text("/api/v1/audits/{slug}/releases/{number}/").first.wait_for()
    assert page.get_by_text("Brukarrevision API").first.is_visible()
    assert not problems, problems


def test_a_client_makes_uses_and_revokes_a_token_on_a_phone(browser, demo_site):
    page = new_page(browser, width=390)
    sign_in(page, demo_site, "bestallare@demo.example")
    page.goto(f"{demo_site}/accounts/api-tokens/")
    # By names and values, not texts: the page reads the same in any language.
    page.fill("input[name=name]", "Kommunens statistik")
    page.check("input[name=scopes][value='read:audits']")
    page.click("section[aria-labelledby=new-title] button[type=submit]")
    secret = page.locator("#new-token").input_value()
    assert secret.startswith("br_")
    assert_no_violations(page)
    answer = page.request.get(
        f"{demo_site}/api/v1/audits/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status == 200 and answer.json()["count"] >= 1
    page.click("form[action$='/revoke/'] button[type=submit]")
    page.wait_for_load_state()
    answer = page.request.get(
        f"{demo_site}/api/v1/audits/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status == 401
    page.context.close()
