"""The fast paths of the web survey and the results keep every behaviour: a survey page kept
for everyone never carries one respondent's answers, a submission is stored once in few
queries, and every answer carries its response's unit and target group for breakdowns."""

import re

import pytest
from django.test import Client

from brukarrevision.analysis import results
from brukarrevision.collection import services
from brukarrevision.collection.models import Answer, Draft, Response
from brukarrevision.instruments import respondent

from .test_collection import answer_everything, fill, post_page, questionnaire, start


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'name="submission_key" value="[^"]+"', "", html)


def test_a_page_kept_for_everyone_never_shows_one_respondents_answers(demo_data, client):
    start(client)
    fresh = _without_tokens(client.get("/s/demo/1/").content.decode())
    # This respondent changes the view: the page's answers are kept in the draft.
    client.post("/s/demo/1/", {"stod": "traffpunkt", "view": "large:on"})
    own = client.get("/s/demo/1/").content.decode()
    assert re.search(r'value="traffpunkt"[^>]* checked', own)

    other = Client()
    start(other)
    html = other.get("/s/demo/1/").content.decode()
    assert "checked" not in html
    assert _without_tokens(html) == fresh  # the kept page is the page as rendered afresh
    assert re.search(r'value="traffpunkt"[^>]* checked', client.get("/s/demo/1/").content.decode())


def test_errors_on_a_page_are_never_taken_from_the_kept_page(demo_data, client):
    start(client)
    client.get("/s/demo/1/")  # the empty page is now kept
    response = post_page(client, 1, {"ar": "fyra"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html and 'value="fyra"' in html


def test_each_stored_answer_carries_its_responses_unit_and_target_group(demo_data, client):
    answer_everything(client)
    stored = Response.objects.latest("pk")
    answers = Answer.objects.filter(response=stored)
    assert answers.count() > 10
    assert set(answers.values_list("unit_id", "target_group_id")) == {
        (stored.unit_id, stored.target_group_id)
    }
    assert not Draft.objects.exists()


def test_a_submission_resent_stores_nothing_more_and_keeps_its_answers(demo_data):
    instrument = questionnaire()
    distribution = instrument.distributions.first()
    sent = {"stod": "bada", "ar": 4, "plan": "yes"}
    first, created = services.submit_response(
        instrument=instrument,
        unit=distribution.unit,
        target_group=distribution.target_group,
        channel="paper",
        language="sv",
        answers=sent,
        submission_key="speed-1",
    )
    assert created and first.pk
    again, created = services.submit_response(
        instrument=instrument,
        unit=distribution.unit_id,
        target_group=distribution.target_group_id,
        channel="paper",
        language="sv",
        answers=sent,
        submission_key="speed-1",
    )
    assert not created and again.pk == first.pk
    assert Answer.objects.filter(response=first).count() == 3
    assert services.stored_answers(first) == {"stod": "bada", "ar": 4, "plan": "yes"}


def test_answers_made_elsewhere_take_their_responses_unit_and_target_group(demo_data):
    response = Response.objects.filter(channel="web").first()
    item = Answer.objects.filter(response=response).first().item
    made = Answer.objects.bulk_create([Answer(response=response, item=item, choice="x")])
    made = Answer.objects.get(pk=made[0].pk)
    assert (made.unit_id, made.target_group_id) == (response.unit_id, response.target_group_id)


def test_the_breakdown_by_unit_and_by_group_adds_up_to_the_whole(demo_data):
    instrument = questionnaire()
    whole = {r.code: r.total for r in results.item_results(instrument)}
    for by in ("unit", "target_group"):
        for result in results.item_results(instrument, by=by):
            assert sum(g.answered for g in result.groups) == whole[result.code].answered
            assert result.total.counts == whole[result.code].counts


def test_sending_the_last_page_takes_few_queries(demo_data, client, django_assert_max_num_queries):
    last = len(respondent.survey_pages(questionnaire()))
    start(client)
    response = post_page(client, 1, {"stod": "bada", "ar": "4", "plan": "yes"})
    response = post_page(client, 2, {"plan_med": "5"})
    before = Response.objects.count()
    while "/thanks/" not in response["Location"]:
        number = int(response["Location"].rstrip("/").split("/")[-1])
        data = fill(client.get(f"/s/demo/{number}/").content.decode())
        if number < last:
            response = post_page(client, number, data)
            continue
        # The link, the draft, and the response with its answers and the draft's end; no
        # more however many answers there are.
        with django_assert_max_num_queries(8):
            response = post_page(client, number, data)
    assert Response.objects.count() == before + 1


def test_each_survey_request_reads_the_link_and_draft_once(
    demo_data, client, django_assert_max_num_queries
):
    # The link (and on a shown page the names it shows), the draft; nothing read twice.
    Client().get("/s/demo/")  # a process reads a frozen questionnaire once, on first use
    with django_assert_max_num_queries(2):
        assert client.get("/s/demo/").status_code == 200
    with django_assert_max_num_queries(2):
        start(client)
    with django_assert_max_num_queries(3):
        assert client.get("/s/demo/1/").status_code == 200


def test_the_survey_shows_names_as_they_are_now(demo_data, client):
    """Nothing about a link is kept between requests: a renamed unit or a closed link shows
    on the next request."""
    from brukarrevision.collection.models import Distribution

    distribution = Distribution.objects.get(token="demo")
    client.get("/s/demo/")
    distribution.unit.name = "Träffpunkt Nyby"
    distribution.unit.save()
    distribution.audit.performer.name = "Brukarrådet i Nyby"
    distribution.audit.performer.save()
    html = client.get("/s/demo/").content.decode()
    assert "Träffpunkt Nyby" in html and "Brukarrådet i Nyby" in html
    Distribution.objects.filter(pk=distribution.pk).update(is_open=False)
    assert 'name="consent"' not in client.get("/s/demo/").content.decode()


def _prepared_statements() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_on_postgresql_the_surveys_statements_are_prepared_unless_turned_off(
    demo_data, client, settings
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    before = _prepared_statements()
    settings.DATABASE_PREPARED_STATEMENTS = False
    answer_everything(client)
    assert _prepared_statements() == before

    settings.DATABASE_PREPARED_STATEMENTS = True
    before = Response.objects.count()
    answer_everything(Client())
    prepared = _prepared_statements()
    assert any("collection_distribution" in s for s in prepared)
    assert any("INSERT INTO" in s and "collection_answer" in s for s in prepared)
    assert Response.objects.count() == before + 1


def test_parts_kept_for_everyone_are_the_parts_as_rendered_afresh(demo_data, monkeypatch):
    """The start page's questions and the language and view buttons are made once per
    process; the page is the same as when every part is rendered anew."""
    from brukarrevision.collection import survey

    def pages(client) -> list[str]:
        html = [client.get("/s/demo/?lang=en").content.decode()]
        start(client)
        html.append(client.get("/s/demo/1/").content.decode())
        client.post("/s/demo/1/", {"view": "large:on"})
        html.append(client.get("/s/demo/1/").content.decode())
        return [_without_tokens(page) for page in html]

    kept = pages(Client())
    monkeypatch.setattr(survey, "_tools_html", lambda *args: "")
    monkeypatch.setattr(survey, "_start_fields_html", lambda *args: "")
    assert pages(Client()) == kept
    assert 'value="large:off"' in kept[2] and 'value="large:on"' in kept[1]
    assert 'lang="en"' in kept[0] and 'name="consent"' in kept[0]
