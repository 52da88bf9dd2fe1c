"""Each role's day: the start page lists what the person has to do now, from the demo's real
open work; the plan is one form with one save; the coding page pages through the material;
the agreement page counts what it lists; dates read "3 mars 2027"; friendly 404 and 500."""

import datetime
import re

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from brukarrevision.accounts.models import User
from brukarrevision.analysis import selectors as analysis_selectors
from brukarrevision.analysis import services as analysis_services
from brukarrevision.analysis.models import Code, Coding
from brukarrevision.audits.models import Application, Audit
from brukarrevision.collection.models import Interview
from brukarrevision.core import selectors
from brukarrevision.followup.models import Action as PlannedAction

ENGLISH = {"HTTP_COOKIE": "django_language=en"}


def person(email):
    return User.objects.get(email=email)


def start_page(login, email):
    client = login(person(email))
    client.cookies["django_language"] = "en"
    return client.get("/").content.decode()


def links_in(html, section_id):
    """The task links inside one role's section of the start page."""
    section = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li class="task[^"]*">\s*<a href="([^"]+)"', section)


# Start pages --------------------------------------------------------------------------------


def test_the_coordinator_sees_the_application_to_decide_and_what_is_overdue(demo_data, login):
    html = start_page(login, "samordnare@demo.example")
    waiting = Application.objects.get(status=Application.Status.SUBMITTED)
    links = links_in(html, "coordinator-title")
    assert reverse("audits:application", args=[waiting.pk]) in links
    assert reverse("audits:audit", args=["norrtorp-psykiatri-2025"]) in links
    assert "Applications to decide" in html and "Overdue steps" in html
    assert "Overdue" in html


def test_the_coordinator_is_asked_to_release_new_answers_and_publish_a_report_in_review(
    demo_data, login
):
    from brukarrevision.collection.models import Response
    from brukarrevision.reports.models import Report

    audit = Audit.objects.get(slug="demo-2027")
    latest = Response.objects.filter(audit=audit).first()
    latest.pk, latest.submission_key = None, "new-after-release"
    latest.save()
    Report.objects.filter(audit=audit).update(status=Report.Status.REVIEW)
    links = links_in(start_page(login, "samordnare@demo.example"), "coordinator-title")
    assert reverse("releases:new", args=["demo-2027"]) in links
    assert reverse("reports:home", args=["demo-2027"]) in links


def test_the_auditor_sees_interviews_answers_to_code_and_texts_to_write(demo_data, login):
    html = start_page(login, "revisor@demo.example")
    booked = Interview.objects.get(audit__slug="demo", status=Interview.Status.BOOKED)
    links = links_in(html, "auditor-title")
    assert reverse("collection:record", args=["demo", booked.pk]) in links
    assert reverse("analysis:coding", args=["demo-2027"]) + "?status=uncoded" in links
    assert reverse("reports:home", args=["demo-2027"]) in links
    uncoded = analysis_services.material(Audit.objects.get(slug="demo-2027")).count()
    assert f"{uncoded} answers you have not coded yet." in html
    # The audit in follow-up is done with coding: it is not listed as work.
    assert reverse("analysis:coding", args=["demo"]) + "?status=uncoded" not in links


def test_an_auditor_who_has_not_signed_is_asked_to_sign_and_sees_no_answers(demo_data, login):
    bup = Audit.objects.get(slug="norrtorp-bup")
    html = start_page(login, "revisor3@demo.example")
    links = links_in(html, "auditor-title")
    assert reverse("audits:pledge", args=[bup.slug]) in links
    assert not any("/analysis/coding/" in link and bup.slug in link for link in links)


def test_the_client_sees_the_published_report_the_actions_and_its_applications(demo_data, login):
    html = start_page(login, "bestallare@demo.example")
    links = links_in(html, "client-title")
    assert reverse("reports:home", args=["demo"]) in links
    for action in PlannedAction.objects.filter(proposal__audit__slug="demo"):
        assert reverse("followup:action", args=["demo", action.pk]) in links
    for application in Application.objects.filter(client__name="Åsby kommun"):
        assert reverse("audits:application", args=[application.pk]) in links
    assert "Norrtorp" not in html


def test_the_unit_contact_is_asked_for_people_to_interview_and_proposals_to_answer(
    demo_data, login
):
    from brukarrevision.followup.models import ProposalAnswer

    unanswered = ProposalAnswer.objects.filter(proposal__audit__slug="demo").first().proposal
    unanswered.answer.delete()
    html = start_page(login, "verksamhet@demo.example")
    links = links_in(html, "unit-title")
    assert reverse("collection:interviews", args=["demo-2027"]) in links
    assert reverse("followup:proposal", args=["demo", unanswered.pk]) in links
    assert any("/feedback/actions/" in link for link in links)


def test_the_administrator_gets_a_link_to_the_admin(demo_data, login):
    html = start_page(login, "admin@demo.example")
    assert 'href="/admin/"' in html.split('id="admin-title"', 1)[1]
    assert "norrtorp-psykiatri-2025" in html


def queries_for_start_page(user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        render_to_string("core/home.html", {**selectors.start_page(user), "user": user})
    return len(captured)


def test_the_start_page_does_not_read_once_per_audit(demo_data):
    coordinator = person("samordnare@demo.example")
    before = queries_for_start_page(coordinator)
    demo = Audit.objects.get(slug="demo")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for n in range(5):
        extra = Audit.objects.create(
            slug=f"extra-{n}", title=f"Extra {n}", performer=demo.performer, client=demo.client
        )
        extra.phase_dates.create(phase=extra.phase, due_on=yesterday)
    after = queries_for_start_page(coordinator)
    assert after == before
    assert before < 40


# Dates, 404, 500, favicon, admin ------------------------------------------------------------------


def test_a_missing_page_is_a_friendly_swedish_404_with_a_way_back(db, client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert 'href="/"' in html and 'href="/public/"' in html
    assert 'name="language" value="en"' in html  # the language switch is there


def test_the_500_page_needs_no_request(db):
    for language in ("sv", "en"):
        with translation.override(language):
            html = render_to_string("500.html")
        assert f'<html lang="{language}">' in html
        assert 'href="/"' in html
        assert html.count("<h1>") == 1
    with translation.override("en"):
        html = render_to_string("500.html")
    assert "Something went wrong" in html


def test_the_server_error_handler_renders_the_500_page(db):
    from django.views.defaults import server_error

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = server_error(request)
    assert response.status_code == 500
    assert b"Brukarrevision" in response.content


def test_every_page_has_a_favicon(db, client):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert client.get("/static/favicon.svg").status_code == 200


# Coding a page at a time, and agreement that counts what it lists ---------------------------------


def coding_articles(html):
    return re.findall(r'<article class="card answer" id="answer-(\d+)"', html)


def test_the_coding_page_shows_ten_answers_a_page_with_links_to_the_others(demo_data, login):
    client = login(person("revisor@demo.example"))
    audit = Audit.objects.get(slug="demo")
    total = analysis_services.material(audit).count()
    html = client.get("/audits/demo/analysis/coding/").content.decode()
    first = coding_articles(html)
    assert len(first) == 10 < total
    assert 'aria-label="Sidor med svar"' in html or 'class="pager"' in html
    assert 'href="?page=2"' in html
    second = coding_articles(client.get("/audits/demo/analysis/coding/?page=2").content.decode())
    assert len(second) == 10 and not set(first) & set(second)


def test_the_coding_page_filters_by_own_coding_code_and_coder(demo_data, login):
    auditor = person("revisor@demo.example")
    other = person("revisor2@demo.example")
    client = login(auditor)
    audit = Audit.objects.get(slug="demo")
    material = analysis_services.material(audit)
    mine = set(Coding.objects.filter(coder=auditor).values_list("answer_id", flat=True))
    found = analysis_selectors.coding_page(
        audit, auditor, {"status": "uncoded", "page": 1}, page_size=100
    )
    assert found.total == material.count() - len(mine)
    html = client.get("/audits/demo/analysis/coding/?status=coded").content.decode()
    assert {int(pk) for pk in coding_articles(html)} <= mine
    code = Code.objects.get(audit=audit, name="Svårt att nå")
    theirs = set(Coding.objects.filter(coder=other, code=code).values_list("answer_id", flat=True))
    html = client.get(
        f"/audits/demo/analysis/coding/?all=1&coder={other.pk}&code={code.pk}"
    ).content.decode()
    assert {int(pk) for pk in coding_articles(html)} == theirs
    # Without "show the others", the coder filter is ignored: independence first.
    html = client.get(f"/audits/demo/analysis/coding/?coder={other.pk}").content.decode()
    assert "Kim Karlsson)" not in html


def test_coding_an_answer_returns_to_the_same_page_and_filters(demo_data, login):
    auditor = person("revisor3@demo.example")
    client = login(auditor)
    audit = Audit.objects.get(slug="demo")
    answer = list(analysis_services.material(audit))[12]
    code = Code.objects.filter(audit=audit).first()
    response = client.post(
        "/audits/demo/analysis/coding/?status=uncoded&page=2",
        {
            "answer_form": answer.pk,
            f"a{answer.pk}-answer": answer.pk,
            f"a{answer.pk}-code": code.pk,
            f"a{answer.pk}-passage": "",
        },
    )
    assert response.status_code == 302
    assert response.url == f"/audits/demo/analysis/coding/?status=uncoded&page=2#answer-{answer.pk}"
    assert Coding.objects.filter(coder=auditor, answer=answer).exists()


def test_the_agreement_page_counts_the_disagreements_it_lists(demo_data, login):
    first, second = person("revisor@demo.example"), person("revisor2@demo.example")
    client = login(first)
    client.cookies["django_language"] = "en"
    html = client.get(
        f"/audits/demo/analysis/agreement/?first={first.pk}&second={second.pk}"
    ).content.decode()
    comparison = analysis_selectors.compare(Audit.objects.get(slug="demo"), first, second)
    listed = html.split('id="disagreements"', 1)[1].count("<li>")
    assert comparison.disagreements == listed > 0
    assert f"{listed} disagreements" in html
    assert "0 disagreements" not in html
    cells = re.findall(r'<td>(?:<a href="#disagree-\d+">)?(\d+)', html)
    assert sum(int(n) for n in cells[2::3]) == listed


def test_a_link_from_the_agreement_page_opens_that_answer(demo_data, login):
    client = login(person("revisor@demo.example"))
    answer = analysis_services.material(Audit.objects.get(slug="demo"))[30]
    html = client.get(
        f"/audits/demo/analysis/coding/?item={answer.item.code}&all=1&answer={answer.pk}"
    ).content.decode()
    assert coding_articles(html) == [str(answer.pk)]
