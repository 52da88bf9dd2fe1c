"""The participation ladder: Shier's rule, views side by side, movement between rounds, answer
links that work once and stop when the round closes, and who may see what."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from brukarrevision import permissions
from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.ladder import questions, scoring, services
from brukarrevision.ladder.models import LadderResponse, LadderRound
from brukarrevision.ladder.selectors import latest_summary, rounds_for_unit

pytestmark = pytest.mark.django_db

STAGES = ("openings", "opportunities", "obligations")


def english(client):
    client.cookies["django_language"] = "en"
    return client


def answers(yes=(), partly=(), default="no"):
    """All 15 answered `default`, except the (level, stage) pairs given."""
    result = {key: default for key in questions.KEYS}
    for level, stage in yes:
        result[questions.key(level, stage)] = "yes"
    for level, stage in partly:
        result[questions.key(level, stage)] = "partly"
    return result


def up_to(levels: dict[str, int]):
    return answers(yes=[(n, stage) for stage, top in levels.items() for n in range(1, top + 1)])


@pytest.mark.parametrize(
    "given, expected",
    [
        (answers(), {"openings": 0, "opportunities": 0, "obligations": 0}),
        (answers(default="yes"), {"openings": 5, "opportunities": 5, "obligations": 5}),
        (
            up_to({"openings": 3, "opportunities": 2, "obligations": 1}),
            {"openings": 3, "opportunities": 2, "obligations": 1},
        ),
        # A gap: level 3 yes but level 2 no -> only level 1 is reached.
        (
            answers(yes=[(1, "openings"), (3, "openings"), (4, "openings")]),
            {"openings": 1, "opportunities": 0, "obligations": 0},
        ),
        # "Partly" counts as not yet, and stops the climb just as "no" does.
        (
            answers(
                yes=[(1, "opportunities"), (3, "opportunities")], partly=[(2, "opportunities")]
            ),
            {"openings": 0, "opportunities": 1, "obligations": 0},
        ),
        # Each stage is read on its own: obligations can be higher than openings.
        (
            answers(yes=[(1, "obligations"), (2, "obligations"), (2, "openings")]),
            {"openings": 0, "opportunities": 0, "obligations": 2},
        ),
    ],
)
def test_known_answers_give_the_expected_level_per_stage(given, expected):
    assert scoring.reached_levels(given) == expected


def test_there_are_fifteen_questions_in_plain_swedish_and_english():
    assert len(questions.QUESTIONS) == 15
    texts = [q.text for q in questions.QUESTIONS]
    assert all("?" in t.sv and "?" in t.en for t in texts)
    openings = [q.text.sv for q in questions.QUESTIONS if q.stage.code == "openings"]
    assert all(t.startswith("Är vi redo att") for t in openings)
    chances = [q.text.sv for q in questions.QUESTIONS if q.stage.code == "opportunities"]
    assert all(t.startswith("Finns det rutiner som gör det möjligt") for t in chances)
    duties = [q.text.sv for q in questions.QUESTIONS if q.stage.code == "obligations"]
    assert all(t.startswith("Är det ett krav i vår policy att") for t in duties)
    assert questions.LEVELS[4].name.sv == "Brukarna delar makt och ansvar över beslut"


def _start(world, client, **extra):
    data = {
        "title": "Spring",
        "started_on": "2027-03-01",
        "staff_labels": "Evening staff",
        "user_group_labels": "User group Tuesdays",
        **extra,
    }
    response = client.post(f"/ladder/unit/{world.unit.pk}/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return LadderRound.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _link(round_, label) -> str:
    return f"/ladder/a/{round_.responses.get(label=label).token}/"


def response_token(url: str) -> str:
    return url.rstrip("/").split("/")[-1]


def _post_answers(client, url, given):
    data = {f"q{key.replace('-', '_')}": value for key, value in given.items()}
    return client.post(url, data)


def test_staff_and_user_views_are_shown_side_by_side(world, login, client):
    contact = english(login(world.unit_contact))
    round_ = _start(world, contact)
    assert set(round_.responses.values_list("perspective", flat=True)) == {
        "unit",
        "staff",
        "users",
    }
    anonymous = english(client.__class__())
    staff = up_to({"openings": 4, "opportunities": 3, "obligations": 2})
    users = up_to({"openings": 2, "opportunities": 1, "obligations": 0})
    assert _post_answers(anonymous, _link(round_, "Evening staff"), staff).status_code == 302
    assert _post_answers(anonymous, _link(round_, "User group Tuesdays"), users).status_code == 302

    page = contact.get(f"/ladder/round/{round_.pk}/").content.decode()
    table = page[page.index("<caption>Level reached per stage") : page.index("</table>")]
    header = table[table.index("<thead>") : table.index("</thead>")]
    assert header.index("Evening staff") < header.index("User group Tuesdays")
    openings = re.search(r"<th scope=\"row\">Openings</th>(.*?)</tr>", table, re.S).group(1)
    assert re.findall(r"Level (\d)", openings) == ["4", "2"]
    obligations = re.search(r"<th scope=\"row\">Obligations</th>(.*?)</tr>", table, re.S)
    assert "Level 2" in obligations.group(1) and "No level yet" in obligations.group(1)
    # The ladders are drawn next to each other, one per view, with the rule stated.
    ladders = page[page.index('<ul class="ladders">') :]
    assert ladders.count('class="ladder-card"') == 2
    assert "a yes above a gap does not count" in page
    assert "Not answered yet:" in page and "The whole unit" in page


def test_a_second_round_shows_the_movement_per_stage(world, login, client):
    contact = english(login(world.unit_contact))
    first = _start(world, contact, title="Autumn", started_on="2026-10-01")
    anonymous = english(client.__class__())
    _post_answers(
        anonymous,
        _link(first, "The whole unit"),
        up_to({"openings": 2, "opportunities": 1, "obligations": 1}),
    )
    contact.post(f"/ladder/round/{first.pk}/close/")
    second = _start(world, contact, title="Spring", started_on="2027-03-01")
    _post_answers(
        anonymous,
        _link(second, "The whole unit"),
        up_to({"openings": 3, "opportunities": 1, "obligations": 0}),
    )
    page = contact.get(f"/ladder/round/{second.pk}/").content.decode()
    assert "change since “Autumn”" in page
    table = page[page.index("<caption>Level reached per stage") : page.index("</table>")]
    rows = dict(re.findall(r"<th scope=\"row\">(\w+)</th>(.*?)</tr>", table, re.S))
    assert "up 1 step" in rows["Openings"] and "(was 2)" in rows["Openings"]
    assert "unchanged" in rows["Opportunities"]
    assert "down 1 step" in rows["Obligations"]
    # The first round, read on its own, has nothing to compare with.
    assert "change since" not in contact.get(f"/ladder/round/{first.pk}/").content.decode()
    summary = latest_summary(world.unit)
    assert summary.round == second and summary.previous == first
    assert [r.title for r in rounds_for_unit(world.unit)] == ["Spring", "Autumn"]


def test_an_answer_link_works_once_and_is_refused_after_closing(world, login, client):
    contact = english(login(world.unit_contact))
    round_ = _start(world, contact)
    anonymous = english(client.__class__())
    url = _link(round_, "User group Tuesdays")
    page = anonymous.get(url)
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert page.content.decode().count("<fieldset") == 15
    assert "Level reached per stage" not in page.content.decode()

    missing = answers(default="yes")
    missing.pop("5-obligations")
    refused = _post_answers(anonymous, url, missing)
    assert refused.status_code == 400 and "Choose yes, partly or no." in refused.content.decode()

    assert _post_answers(anonymous, url, answers(default="yes")).status_code == 302
    assert "Thank you! Your answers are sent." in anonymous.get(url).content.decode()
    # The same answers resent are stored once; other answers are refused and logged.
    assert _post_answers(anonymous, url, answers(default="yes")).status_code == 302
    again = _post_answers(anonymous, url, answers())
    assert again.status_code == 410
    assert "Thank you! Your answers are sent." in again.content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SUBMISSION_CONFLICT)
    assert "participation ladder" in event.detail and response_token(url) not in event.path
    response = LadderResponse.objects.get(label="User group Tuesdays")
    assert scoring.reached_levels(response.answers)["obligations"] == 5

    other = _link(round_, "Evening staff")
    contact.post(f"/ladder/round/{round_.pk}/close/")
    closed = _post_answers(anonymous, other, answers(default="yes"))
    assert closed.status_code == 410 and "The round is closed" in closed.content.decode()
    assert LadderResponse.objects.get(label="Evening staff").submitted_at is None
    assert anonymous.get("/ladder/a/not-a-real-code/").status_code == 404


def test_the_submit_service_refuses_a_second_answer(world):
    round_ = services.start_round(
        unit=world.unit, by=world.unit_contact, title="R", started_on=timezone.localdate()
    )
    response = round_.responses.get()
    services.submit_answers(response=response, answers=answers(default="yes"))
    with translation.override("en"), pytest.raises(ValidationError, match="already"):
        services.submit_answers(response=response, answers=answers())
    assert scoring.reached_levels(response.answers)["openings"] == 5


def test_links_can_be_added_to_an_open_round(world, login):
    contact = english(login(world.unit_contact))
    round_ = _start(world, contact)
    done = contact.post(
        f"/ladder/round/{round_.pk}/links/", {"perspective": "users", "label": "Group Fridays"}
    )
    assert done.status_code == 302
    page = contact.get(f"/ladder/round/{round_.pk}/").content.decode()
    token = round_.responses.get(label="Group Fridays").token
    assert f"/ladder/a/{token}/" in page
    twice = contact.post(
        f"/ladder/round/{round_.pk}/links/", {"perspective": "users", "label": "group fridays"}
    )
    assert twice.status_code == 400


@pytest.mark.parametrize(
    "persona, runs, views",
    [
        ("admin", True, True),
        ("unit_contact", True, True),
        ("coordinator", True, True),  # the user organisation that audits the unit
        ("org_coordinator", True, True),
        ("client_contact", False, True),
        ("auditor", False, False),
        ("other_coordinator", False, False),
        ("other_client_contact", False, False),
        ("other_unit_contact", False, False),
        ("outsider", False, False),
    ],
)
def test_who_may_run_rounds_and_see_results(world, login, persona, runs, views):
    user = getattr(world, persona)
    round_ = services.start_round(
        unit=world.unit, by=world.unit_contact, title="R", started_on=datetime.date(2027, 1, 1)
    )
    assert permissions.may_run_ladder(user, world.unit) is runs
    assert permissions.may_view_ladder(user, world.unit) is views
    assert (world.unit in permissions.ladder_units(user)) is views
    client = english(login(user))
    page = client.get(f"/ladder/round/{round_.pk}/")
    assert page.status_code == (200 if views else 403)
    if views:
        assert ("Answer links" in page.content.decode()) is runs
    assert client.get(f"/ladder/unit/{world.unit.pk}/new/").status_code == (200 if runs else 403)
    assert client.post(f"/ladder/round/{round_.pk}/close/").status_code == (302 if runs else 403)


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    round_ = services.start_round(
        unit=world.unit, by=world.unit_contact, title="R", started_on=datetime.date(2027, 1, 1)
    )
    for url in ["/ladder/", f"/ladder/unit/{world.unit.pk}/", f"/ladder/round/{round_.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_summary_tag_shows_the_latest_result_for_a_certification_page(world, rf):
    from django.template import Context, Template

    first = services.start_round(
        unit=world.unit, by=world.unit_contact, title="Autumn", started_on=datetime.date(2026, 9, 1)
    )
    services.submit_answers(
        response=first.responses.get(),
        answers=up_to({"openings": 1, "opportunities": 0, "obligations": 0}),
    )
    second = services.start_round(
        unit=world.unit, by=world.unit_contact, title="Spring", started_on=datetime.date(2027, 3, 1)
    )
    services.submit_answers(
        response=second.responses.get(),
        answers=up_to({"openings": 2, "opportunities": 0, "obligations": 0}),
    )
    template = Template("{% load ladder_tags %}{% ladder_summary unit %}")
    for user, sees_link in [(world.client_contact, True), (world.outsider, False)]:
        with translation.override("en"):
            html = template.render(Context({"unit": world.unit, "user": user}))
        assert "Spring" in html and "Level 2" in html and "up 1 step" in html
        assert (f"/ladder/round/{second.pk}/" in html) is sees_link
