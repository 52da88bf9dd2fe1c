"""Ballot stuffing on anonymous links: one-time answer codes, a limit per address and hour,
and the coordinator's view of unusual bursts of answers."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.collection import answer_codes, bursts, limits, services
from brukarrevision.collection.models import AnswerCode, Distribution, Draft, Response
from brukarrevision.lib import ratelimit

CODE = re.compile(r"\b[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}\b")


@pytest.fixture(autouse=True)
def _fresh_counts(monkeypatch):
    cache.clear()
    monkeypatch.setattr(ratelimit, "hour", lambda: 480000)  # no hour ends during a test
    yield
    cache.clear()


def link() -> Distribution:
    return Distribution.objects.get(token="demo")


def coordinator() -> User:
    return User.objects.get(email="samordnare@demo.example")


def codes_for(distribution, count=3) -> list[str]:
    distribution.requires_code = True
    distribution.save(update_fields=["requires_code"])
    return answer_codes.make_codes(user=coordinator(), distribution=distribution, count=count)


def fill(html: str) -> dict:
    """The second option of every radio group, the first checkbox, a word in every text."""
    data: dict = {}
    for name, value in re.findall(r'type="radio" name="([\w-]+)" value="([\w-]+)"', html):
        data.setdefault(name, []).append(value)
    data = {name: values[1] for name, values in data.items()}
    for name, value in re.findall(r'type="checkbox" name="([\w-]+)" value="([\w-]+)"', html):
        data.setdefault(name, value)
    for name in re.findall(r'<textarea name="([\w-]+)"', html):
        data[name] = "Bra"
    for name in re.findall(r'type="text" name="([\w-]+)"', html):
        data[name] = "Bra"
    return data


def begin(client, code=None):
    data = {"respondent": "self", "consent": "on"}
    if code is not None:
        data["code"] = code
    return client.post("/s/demo/", data)


def to_last_page(client, code=None) -> tuple[int, dict]:
    """Start and answer every page but the last; the last page's number and answers."""
    assert begin(client, code).status_code == 302
    response = client.post("/s/demo/1/", {"stod": "bada", "plan": "no", "go": "next"})
    number = int(response["Location"].rstrip("/").split("/")[-1])
    while True:
        data = fill(client.get(f"/s/demo/{number}/").content.decode())
        response = client.post(f"/s/demo/{number}/", {**data, "go": "enter"})
        if "unsent=1" in response["Location"]:  # Enter on the last page sends nothing
            return number, data
        number = int(response["Location"].rstrip("/").split("/")[-1])


def send_all(client, code=None):
    number, data = to_last_page(client, code)
    return client.post(f"/s/demo/{number}/", {**data, "go": "next"})


# Answer codes on the survey ---------------------------------------------------------------


def test_a_link_that_needs_a_code_refuses_no_code_and_a_wrong_code(demo_data, client):
    codes_for(link())
    html = client.get("/s/demo/").content.decode()
    assert '<label for="id_code">Svarskod</label>' in html
    missing = begin(client).content.decode()
    assert "Skriv svarskoden från din inbjudan." in missing
    assert 'href="#id_code"' in missing  # the error summary leads to the field
    wrong = begin(client, "ABCD-EFGH").content.decode()
    assert "Koden stämmer inte." in wrong and 'aria-invalid="true"' in wrong
    assert not Draft.objects.exists()
    assert client.get("/s/demo/1/")["Location"].endswith("/s/demo/")


def test_a_code_works_once_letter_case_and_dashes_aside(demo_data, client):
    code = codes_for(link())[0]
    before = Response.objects.count()
    typed = code.lower().replace("-", " ")
    assert "/s/demo/thanks/" in send_all(client, typed)["Location"]
    assert Response.objects.count() == before + 1
    assert AnswerCode.objects.filter(distribution=link(), used=True).count() == 1
    client.cookies.clear()  # someone else, with the same invitation
    html = begin(client, code).content.decode()
    assert "Koden har redan använts." in html
    assert not Draft.objects.exists()


def test_guessing_codes_from_one_address_is_stopped_even_for_a_right_code(demo_data, client):
    right = codes_for(link())[0]
    client.defaults["REMOTE_ADDR"] = "198.51.100.9"
    for _try in range(limits.WRONG_CODES_PER_HOUR):
        assert begin(client, "ABCD-EFGH").status_code == 200
    stopped = begin(client, right)
    assert stopped.status_code == 429
    assert "Många felaktiga koder" in stopped.content.decode()
    assert not Draft.objects.exists()
    other = Client(REMOTE_ADDR="198.51.100.10")
    assert begin(other, right).status_code == 302  # someone else's typing is not stopped


def test_the_qr_code_of_an_invitation_fills_in_the_code(demo_data, client):
    code = codes_for(link())[0]
    html = client.get(f"/s/demo/?code={code}").content.decode()
    assert f'value="{code}"' in html


def test_a_double_submit_uses_the_code_once_and_stores_one_response(demo_data, client):
    code, other = codes_for(link(), 2)
    number, data = to_last_page(client, code)
    key = Draft.objects.get().submission_key
    data["submission_key"] = key
    results = [client.post(f"/s/demo/{number}/", {**data, "go": "next"}) for _ in range(3)]
    assert all("/s/demo/thanks/" in r["Location"] for r in results)
    assert Response.objects.filter(submission_key=key).count() == 1
    assert AnswerCode.objects.filter(distribution=link(), used=True).count() == 1
    assert answer_codes.check(link(), other)  # the other code is still good


def test_an_unfinished_answer_leaves_its_code_and_two_browsers_store_one_answer(demo_data, client):
    from django.test import Client

    code, spare = codes_for(link(), 2)
    second = Client()
    number, data = to_last_page(client, code)
    assert not link().answer_codes.filter(used=True).exists()  # a draft uses nothing up
    to_last_page(second, code)  # the same invitation in another browser, before sending
    before = Response.objects.count()
    assert "/thanks/" in client.post(f"/s/demo/{number}/", {**data, "go": "next"})["Location"]
    refused = second.post(f"/s/demo/{number}/", {**data, "go": "next"})
    assert Response.objects.count() == before + 1
    # Nothing of the second browser's is lost: a new code sends its answers.
    assert "again=1" in refused["Location"]
    html = second.get(refused["Location"]).content.decode()
    assert "Dina svar är inte skickade" in html and 'name="code"' in html
    assert Draft.objects.get().answers["stod"] == "bada"
    assert second.post("/s/demo/", {"respondent": "self", "consent": "on", "code": spare})
    assert "/thanks/" in second.post(f"/s/demo/{number}/", {**data, "go": "next"})["Location"]
    assert Response.objects.count() == before + 2


def test_a_stored_code_is_a_digest_only_and_nothing_joins_it_to_the_response(demo_data, client):
    code = codes_for(link(), 1)[0]
    send_all(client, code)
    stored = Response.objects.latest("pk")
    row = AnswerCode.objects.filter(distribution=link()).values().get()
    assert set(row) == {"id", "distribution_id", "digest", "used"}  # no time, no response
    assert row["used"] is True
    assert answer_codes.normalise(code) not in str(row) and code not in str(row)
    response_values = " ".join(
        str(v) for v in Response.objects.filter(pk=stored.pk).values().get().values()
    )
    assert row["digest"] not in response_values and str(row["id"]) != str(stored.submission_key)
    assert not [f for f in Response._meta.get_fields() if f.related_model is AnswerCode]
    assert not Draft.objects.filter(code_digest=row["digest"]).exists()
    assert stored.submitted_hour.minute == 0 and stored.submitted_hour.second == 0


# Coordinators make codes and print invitations ----------------------------------------------


def test_the_coordinator_makes_codes_shown_once_as_invitations(demo_data, client):
    client.force_login(coordinator())
    url = f"/audits/demo/collection/links/{link().pk}/codes/"
    page = client.get(url).content.decode()
    batch = re.search(r'name="batch" value="([^"]+)"', page).group(1)
    response = client.post(url, {"count": "5", "batch": batch})
    html = response.content.decode()
    shown = set(CODE.findall(html))
    assert response.status_code == 200 and len(shown) == 5
    assert "no-store" in response["Cache-Control"]
    assert html.count('src="data:image/svg+xml;base64,') == 5
    assert all(answer_codes.check(link(), code) for code in shown)
    assert not any(code.replace("-", "") in str(AnswerCode.objects.values_list()) for code in shown)
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ANSWER_CODES_MADE).latest("pk")
    assert event.audit == link().audit and event.user == coordinator() and "5" in event.detail
    # A reload of the invitations makes no more codes and shows none.
    again = client.post(url, {"count": "5", "batch": batch}, follow=True)
    assert not CODE.findall(again.content.decode().replace("K7QX-M4TR", ""))
    assert AnswerCode.objects.filter(distribution=link()).count() == 5
    client.post(url, {"required": "1"})
    assert link().requires_code


@pytest.mark.parametrize("email", ["revisor@demo.example", "bestallare@demo.example"])
def test_only_those_who_manage_collection_make_codes(demo_data, client, email):
    client.force_login(User.objects.get(email=email))
    url = f"/audits/demo/collection/links/{link().pk}/codes/"
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"count": "5", "batch": "x"}).status_code in (403, 404)
    assert client.post(url, {"required": "1"}).status_code in (403, 404)
    assert not AnswerCode.objects.filter(distribution=link()).exists()
    assert not link().requires_code


# A limit per address and hour ------------------------------------------------------------


@override_settings(SURVEY_SUBMISSIONS_PER_HOUR=2)
def test_one_address_is_limited_while_another_still_gets_through(demo_data, client):
    from django.test import Client

    client.defaults["REMOTE_ADDR"] = "198.51.100.7"
    before = Response.objects.count()
    for _ in range(2):
        assert "/thanks/" in send_all(client)["Location"]
        client.cookies.clear()
    number, data = to_last_page(client)
    limited = client.post(f"/s/demo/{number}/", {**data, "go": "next"})
    assert limited.status_code == 429
    assert "Försök igen lite senare" in limited.content.decode()
    assert "pappersenkät" in limited.content.decode()
    assert Response.objects.count() == before + 2
    assert Draft.objects.get().answers  # the answers wait
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SURVEY_RATE_LIMITED)
    assert event.audit == link().audit and event.ip_address is None
    assert "198.51.100.7" not in str(SecurityEvent.objects.values_list())
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert "/thanks/" in send_all(other)["Location"]
    assert Response.objects.count() == before + 3


# Unusual bursts --------------------------------------------------------------------------


def store_at(distribution, hour, count, prefix):
    for number in range(count):
        response, _created = services.submit_response(
            instrument=distribution.instrument,
            unit=distribution.unit,
            target_group=distribution.target_group,
            channel="web",
            language="sv",
            answers={},
            submission_key=f"{prefix}-{number}",
            distribution=distribution,
        )
        Response.objects.filter(pk=response.pk).update(submitted_hour=hour)


def test_a_crafted_burst_is_marked_unusual_on_the_coordinators_page(demo_data, client):
    distribution = Distribution.objects.exclude(token="demo").get(audit__slug="demo")
    Response.objects.filter(distribution=distribution).delete()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    store_at(distribution, now - datetime.timedelta(hours=30), 2, "usual-a")
    store_at(distribution, now - datetime.timedelta(hours=20), 3, "usual-b")
    store_at(distribution, now - datetime.timedelta(hours=10), 2, "usual-c")
    store_at(distribution, now - datetime.timedelta(hours=2), 25, "burst")
    store_at(distribution, now - datetime.timedelta(days=9), 40, "too-old")
    found = {entry.distribution.pk: entry for entry in bursts.by_link(distribution.audit)}
    hours = found[distribution.pk].hours
    assert [(h.count, h.unusual) for h in hours] == [(25, True), (2, False), (3, False), (2, False)]

    client.force_login(User.objects.get(email="revisor@demo.example"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/audits/demo/collection/activity/").content.decode()
    table = html.split(f'id="caption-{distribution.pk}"')[1].split("</table>")[0]
    assert '<th scope="col">Answers</th>' in table
    unusual_rows = re.findall(
        r'<tr class="unusual"><th scope="row">[^<]+</th><td>(\d+)</td>', table
    )
    assert unusual_rows == ["25"]
    assert "more than 10 answers came in it and more than 5 times the median" in html


def test_a_steady_link_and_a_first_small_hour_are_not_unusual():
    start = timezone.now()
    steady = {start - datetime.timedelta(hours=n): 8 for n in range(5)}
    assert not any(h.unusual for h in bursts._marked(steady))
    assert not bursts._marked({start: 10})[0].unusual
    assert bursts._marked({start: 11})[0].unusual


def test_the_demo_has_a_link_with_codes_and_an_unusual_evening(demo_data):
    small = Distribution.objects.exclude(token="demo").get(audit__slug="demo")
    assert small.requires_code
    assert answer_codes.counts(small) == {"made": 20, "used": 3, "unused": 17}
    found = {entry.distribution.token: entry for entry in bursts.by_link(small.audit)}
    assert found["demo"].unusual == 1 and found[small.token].unusual == 0
