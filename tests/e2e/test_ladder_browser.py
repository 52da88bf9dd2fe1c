"""The participation ladder in a real browser, without JavaScript, at phone width: the unit's
contact starts a round, a user group answers the 15 questions through its link without
signing in, and the contact sees the ladder. axe-core (which needs JavaScript itself) on the
question and result pages, opened in a second page with JavaScript on."""

import re

from brukarrevision.ladder.models import LadderRound
from brukarrevision.organisations.models import Unit

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations

# The user group's answers: openings yes up to level 3, opportunities up to 1, obligations none;
# level 4 openings "partly".
YES = {"1_openings", "2_openings", "3_openings", "1_opportunities"}
PARTLY = {"4_openings"}


def test_a_user_group_answers_on_a_phone_and_the_ladder_is_drawn(browser, demo_site):
    unit = Unit.objects.get(name="Boendestöd Åsby")
    contact = new_page(browser, javascript=False, width=390)
    sign_in(contact, demo_site, "verksamhet@demo.example")
    checker = new_page(browser, width=390)
    sign_in(checker, demo_site, "verksamhet@demo.example")

    def check(url):
        checker.goto(url)
        assert_no_violations(checker)

    # The demo's two rounds: the latest shows movement since the first.
    contact.goto(f"{demo_site}/ladder/unit/{unit.pk}/")
    assert "Delaktighetstrappan våren" in contact.content()
    check(contact.url)
    latest = LadderRound.objects.get(unit=unit, title="Delaktighetstrappan våren")
    contact.goto(f"{demo_site}/ladder/round/{latest.pk}/")
    assert "upp 1 steg" in contact.content() or "up 1 step" in contact.content()
    check(contact.url)

    # A new round with an answer link for one user group.
    contact.goto(f"{demo_site}/ladder/unit/{unit.pk}/new/")
    contact.fill("input[name=title]", "Delaktighetstrappan hösten igen")
    contact.fill("textarea[name=user_group_labels]", "Brukargrupp onsdagar")
    contact.click("main form button[type=submit]")
    contact.wait_for_url(re.compile(r".*/ladder/round/\d+/$"))
    check(contact.url)
    new_round = LadderRound.objects.get(title="Delaktighetstrappan hösten igen")
    link_field = contact.locator(
        f"#link-{new_round.responses.get(label='Brukargrupp onsdagar').pk}"
    )
    link = link_field.input_value()
    assert "/ladder/a/" in link

    # The user group answers on a phone, without signing in and without JavaScript.
    phone = new_page(browser, javascript=False, width=390)
    phone.goto(link)
    assert phone.locator("main fieldset").count() == 15
    assert "Är vi redo att lyssna på brukarna?" in phone.content()
    check(link)
    phone.click("main form button[type=submit]")  # nothing chosen: the errors are listed
    assert phone.locator(".error-summary li").count() == 15
    for level in range(1, 6):
        for stage in ("openings", "opportunities", "obligations"):
            key = f"{level}_{stage}"
            value = "yes" if key in YES else "partly" if key in PARTLY else "no"
            phone.check(f"input[name=q{key}][value={value}]")
    phone.click("main form button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator(".message--success").count() == 1
    assert phone.locator("main form").count() == 0
    # The link works once.
    phone.goto(link)
    assert phone.locator("main form").count() == 0

    # The contact sees the ladder: level 3 at openings, 1 at opportunities, none at obligations.
    contact.goto(f"{demo_site}/ladder/round/{new_round.pk}/")
    table = contact.locator("table.ladder-table")
    rows = {
        table.locator("tbody tr").nth(i).locator("th").inner_text(): table.locator("tbody tr")
        .nth(i)
        .locator("td")
        .first.inner_text()
        for i in range(3)
    }
    assert list(rows.values())[0].startswith(("Nivå 3", "Level 3"))
    assert list(rows.values())[1].startswith(("Nivå 1", "Level 1"))
    assert contact.locator(".ladder-card").count() == 1
    assert contact.locator(".ladder-card .rung-stage--reached").count() == 4
    check(contact.url)
    for page in (contact, phone, checker):
        page.context.close()
