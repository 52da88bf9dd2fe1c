"""Acceptance 1 in a real browser: a suggestion written on a phone without signing in is
moderated and answered by the unit, shown on the public wall, becomes a council issue, is
discussed at a meeting, answered, and closed with the date it was reported back. And
axe-core on the council pages."""

import datetime

from django.utils import timezone

from brukarrevision.councils.models import Body, Issue
from brukarrevision.organisations.models import Unit

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations

SUGGESTION = "Kvällsaktiviteter på träffpunkten"


def _signed_in(browser, site, email):
    page = new_page(browser)
    sign_in(page, site, email)
    return page


def test_a_suggestion_becomes_a_council_issue_and_is_closed_when_reported_back(browser, demo_site):
    unit = Unit.objects.get(name="Boendestöd Åsby")
    council = Body.objects.get(name="Brukarrådet i Åsby kommun")
    today = timezone.localdate()

    # Someone writes a suggestion on a phone, without signing in.
    phone = new_page(browser, width=390)
    phone.goto(f"{demo_site}/suggestions/{unit.pk}/")
    phone.fill("textarea[name=about]", SUGGESTION)
    phone.fill("textarea[name=change]", "Öppet två kvällar i veckan, med fika.")
    phone.click("main form button[type=submit]")
    phone.wait_for_url(f"**/suggestions/{unit.pk}/thanks/**")

    # The unit's contact approves and answers it.
    from brukarrevision.suggestions.models import Suggestion

    suggestion = Suggestion.objects.get(about=SUGGESTION)
    contact = _signed_in(browser, demo_site, "verksamhet@demo.example")
    moderate_url = f"{demo_site}/suggestions/{unit.pk}/queue/{suggestion.pk}/"
    contact.goto(moderate_url)
    contact.check("input[name=decision][value=approved]")
    contact.fill("textarea[name=answer]", "Vi provar med öppet på tisdagar från mars.")
    contact.click("main form:not([action]) button[type=submit]")
    contact.wait_for_url(f"**/suggestions/{unit.pk}/queue/")

    # It shows on the public wall.
    phone.goto(f"{demo_site}/suggestions/{unit.pk}/wall/")
    assert SUGGESTION in phone.content()
    assert "Vi provar med öppet på tisdagar" in phone.content()

    # The unit's contact makes it an issue of the municipality's user council.
    contact.goto(moderate_url)
    contact.select_option("select[name=body]", str(council.pk))
    contact.click("form[action$='/council/'] button[type=submit]")
    contact.wait_for_url(f"**/suggestions/{unit.pk}/queue/")
    issue = Issue.objects.get(suggestion=suggestion)
    assert issue.body == council and issue.source == Issue.Source.SUGGESTION

    # The client's contact holds a meeting where it is discussed.
    client = _signed_in(browser, demo_site, "bestallare@demo.example")
    client.goto(f"{demo_site}/councils/{council.pk}/meetings/new/")
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    client.fill("input[name=held_on]", yesterday)
    client.fill("textarea[name=agenda]", "Synpunkt: kvällsaktiviteter")
    client.click("main form button[type=submit]")
    client.wait_for_url("**/meetings/*/")
    client.goto(f"{demo_site}/councils/issues/{issue.pk}/")
    client.click("button[name=start]")
    client.wait_for_load_state()
    assert "pågår" in client.locator("#issue-status").inner_text().lower()

    # The unit answers.
    contact.goto(f"{demo_site}/councils/issues/{issue.pk}/")
    contact.fill("textarea[name=answer-answer]", "Träffpunkten har öppet tisdagar 17–20 från mars.")
    contact.click("button[name=answer]")
    contact.wait_for_load_state()
    assert "tisdagar 17–20" in contact.locator("#issue-answer").inner_text()

    # At the next meeting the answer is reported back, and the issue is closed.
    client.goto(f"{demo_site}/councils/{council.pk}/meetings/new/")
    client.fill("input[name=held_on]", today.isoformat())
    client.click("main form button[type=submit]")
    client.wait_for_url("**/meetings/*/")
    report_back = client.locator("section[aria-labelledby=report-back-title]")
    assert SUGGESTION in report_back.inner_text()
    report_back.locator(f"button[name=close][value='{issue.pk}']").click()
    client.wait_for_load_state()
    client.goto(f"{demo_site}/councils/issues/{issue.pk}/")
    assert "avslutad" in client.locator("#issue-status").inner_text().lower()
    fed_back = client.locator("#issue-fed-back").inner_text()
    assert fed_back != "–"
    issue.refresh_from_db()
    assert issue.status == Issue.Status.CLOSED and issue.fed_back_on == today
    for page in (phone, contact, client):
        page.context.close()


def test_the_council_pages_have_no_violations(browser, demo_site):
    council = Body.objects.get(name="Brukarrådet i Åsby kommun")
    forum = Body.objects.get(kind=Body.Kind.PATIENT_FORUM)
    issue = forum.issues.order_by("pk").first()
    meeting = forum.meetings.order_by("held_on").first()
    region = _signed_in(browser, demo_site, "region@demo.example")
    for path in [
        "/councils/",
        f"/councils/{forum.pk}/",
        f"/councils/{forum.pk}/members/",
        f"/councils/{forum.pk}/meetings/{meeting.pk}/",
        f"/councils/{forum.pk}/meetings/new/",
        f"/councils/{forum.pk}/issues/",
        f"/councils/issues/{issue.pk}/",
        f"/councils/organisations/{forum.organisation_id}/issues/?overdue=on",
        f"/units/{forum.unit_id}/",
        "/councils/new/",
    ]:
        region.goto(demo_site + path)
        assert_no_violations(region)
    # The error summary on a form sent empty.
    region.goto(f"{demo_site}/councils/{forum.pk}/members/")
    region.click("button[name=member]")
    region.locator(".error-summary").wait_for()
    assert_no_violations(region)
    region.context.close()

    coordinator = _signed_in(browser, demo_site, "samordnare@demo.example")
    proposal = Issue.objects.get(body=council, source=Issue.Source.PROPOSAL).proposal
    for path in [
        f"/audits/demo/feedback/proposals/{proposal.pk}/",
        f"/audits/demo/feedback/proposals/{proposal.pk}/council/",
        f"/councils/{council.pk}/",
    ]:
        coordinator.goto(demo_site + path)
        assert_no_violations(coordinator)
    phone = new_page(browser, width=390)
    sign_in(phone, demo_site, "bestallare@demo.example")
    phone.goto(f"{demo_site}/councils/{council.pk}/")
    assert_no_violations(phone)
    coordinator.context.close()
    phone.context.close()
