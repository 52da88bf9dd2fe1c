"""Data collection: the anonymous web survey, safe submission, cleaning of free text, paper
entry and import, interviews, and progress."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.collection import cleaning, selectors, services
from brukarrevision.collection.models import Answer, Draft, Interview, InterviewContact, Response
from brukarrevision.instruments.models import Instrument


def questionnaire():
    return Instrument.objects.get(audit__slug="demo", kind="questionnaire")


# Cleaning -------------------------------------------------------------------------------


def test_identity_numbers_phones_and_emails_are_masked():
    text = (
        "Jag heter inget men mitt nummer är 19121212-1212 eller 121212-1212 och 191212121212. "
        "Ring 070-123 45 67, +46 70 123 45 67 eller mejla kim.exempel@example.org."
    )
    cleaned = cleaning.clean(text).text
    for secret in ["1212-1212", "121212121", "123 45 67", "70 123", "kim.exempel", "example.org"]:
        assert secret not in cleaned
    assert cleaned.count(cleaning.PERSONAL_NUMBER_MASK) == 3
    assert cleaned.count(cleaning.PHONE_MASK) == 2
    assert cleaning.EMAIL_MASK in cleaned


def test_a_number_that_fails_the_control_digit_is_not_an_identity_number():
    assert cleaning.clean("Ärende 121212-1213").text == "Ärende 121212-1213"


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("Jag pratar mest med Anna.", True),
        ("Personalen är bra. Maten också.", False),
        ("Det var bra när Lundqvist kom.", True),
    ],
)
def test_possible_names_are_flagged_for_review(text, flagged):
    assert cleaning.clean(text).needs_review is flagged


# The web survey without JavaScript ------------------------------------------------------


def start(client, lang=None, who="self"):
    url = "/s/demo/" + (f"?lang={lang}" if lang else "")
    response = client.post(url, {"respondent": who, "consent": "on"})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def post_page(client, number, data, go="next"):
    return client.post(f"/s/demo/{number}/", {**data, "go": go})


def answer_everything(client, lang=None):
    """Answer the demo questionnaire page by page; returns the final response."""
    start(client, lang)
    pages = [
        {"stod": "bada", "ar": "4", "plan": "yes"},
        {"plan_med": "5"},
        None,  # the bank questions and the matrix: filled below
        None,
    ]
    response = post_page(client, 1, pages[0])
    assert response["Location"].endswith("/s/demo/2/")
    response = post_page(client, 2, pages[1])
    number = 3
    while response.status_code == 302 and "/thanks/" not in response["Location"]:
        number = int(response["Location"].rstrip("/").split("/")[-1])
        html = client.get(f"/s/demo/{number}/").content.decode()
        response = post_page(client, number, fill(html))
    return response


def fill(html: str) -> dict:
    """Pick the second option of every radio group and the first checkbox; write in texts."""
    import re

    data: dict = {}
    for name, value in re.findall(r'type="radio" name="([\w-]+)" value="([\w-]+)"', html):
        data.setdefault(f"_radios_{name}", []).append(value)
    for key in [k for k in data if k.startswith("_radios_")]:
        values = data.pop(key)
        data[key.removeprefix("_radios_")] = values[1]
    for name, value in re.findall(r'type="checkbox" name="([\w-]+)" value="([\w-]+)"', html):
        data.setdefault(name, value)
    for name in re.findall(r'<textarea name="([\w-]+)"', html):
        data[name] = "Ring mig på 070-123 45 67 om det behövs."
    for name in re.findall(r'type="text" name="([\w-]+)"', html):
        data[name] = "Bra"
    return data


def test_a_respondent_answers_the_demo_survey_without_javascript(demo_data, client):
    before = Response.objects.filter(channel="web").count()
    response = answer_everything(client)
    assert "/s/demo/thanks/" in response["Location"]
    assert Response.objects.filter(channel="web").count() == before + 1
    stored = Response.objects.latest("pk")
    answers = services.stored_answers(stored)
    assert answers["stod"] == "bada" and answers["ar"] == 4 and answers["plan_med"] == "5"
    assert "personal_lyssnar" in answers
    assert "[telefonnummer]" in answers["andra"]
    assert not Draft.objects.exists()


def test_a_hidden_question_is_skipped_and_its_answer_not_stored(demo_data, client):
    start(client)
    response = post_page(client, 1, {"stod": "boendestod", "plan": "no"})
    # plan_med depends on plan = yes: its page is skipped.
    assert not response["Location"].endswith("/s/demo/2/")
    draft = Draft.objects.get()
    assert draft.answers["plan"] == "no"


def test_switching_language_midway_keeps_the_answers(demo_data, client):
    start(client)
    client.post("/s/demo/1/", {"stod": "traffpunkt", "switch_language": "en"})
    html = client.get("/s/demo/1/").content.decode()
    assert '<html lang="en"' in html
    assert re.search(r'value="traffpunkt"[^>]* checked', html)
    assert "What support do you get?" in html
    html = client.get("/s/demo/1/?lang=sv-x-easy").content.decode()
    assert "Stöd i hemmet" in html


def test_errors_keep_every_answer_and_are_summarised(demo_data, client):
    start(client)
    response = post_page(client, 1, {"ar": "7", "plan": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html and 'href="#id_stod_0"' in html
    assert (
        'value="7"' in html
        and 'value="yes"' in html.split('name="plan"')[1][:40]
        or ('name="plan" value="yes" ' in html)
    )


def test_the_same_submission_sent_three_times_stores_one_response(demo_data, client):
    start(client)
    post_page(client, 1, {"stod": "bada", "plan": "no"})
    draft = Draft.objects.get()
    key = draft.submission_key
    last = max(int(n) for n in [2, 3, 4] if client.get(f"/s/demo/{n}/").status_code == 200)
    html = client.get(f"/s/demo/{last}/").content.decode()
    data = {**fill(html), "submission_key": key}
    # Jump to the last page as if the ones between were answered: the final POST is sent
    # three times (double click, then a retry after a lost connection).
    results = [post_page(client, last, data) for _ in range(3)]
    assert all(r.status_code == 302 and "/thanks/" in r["Location"] for r in results)
    assert Response.objects.filter(submission_key=key).count() == 1


def test_the_same_key_with_other_answers_is_refused_and_logged(demo_data, client):
    answer_everything(client)
    stored = Response.objects.latest("pk")
    response = client.post(
        "/s/demo/4/", {"submission_key": stored.submission_key, "andra": "Helt annat", "go": "next"}
    )
    assert response.status_code == 409
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SUBMISSION_CONFLICT).exists()
    assert Response.objects.filter(submission_key=stored.submission_key).count() == 1


def test_a_response_keeps_no_address_or_cookie(demo_data, client):
    client.defaults["REMOTE_ADDR"] = "203.0.113.77"
    answer_everything(client)
    stored = Response.objects.latest("pk")
    values = " ".join(str(v) for v in Response.objects.filter(pk=stored.pk).values().get().values())
    values += " ".join(str(v) for v in Answer.objects.filter(response=stored).values_list())
    assert "203.0.113.77" not in values
    assert client.cookies.get("sessionid") is None
    assert not SecurityEvent.objects.filter(ip_address="203.0.113.77").exists()


def test_proxy_and_assisted_answers_are_marked(demo_data, client):
    start(client, who="proxy")
    assert Draft.objects.get().respondent == "proxy"


def test_a_closed_distribution_takes_no_answers(demo_data, client):
    from brukarrevision.collection.models import Distribution

    Distribution.objects.filter(token="demo").update(is_open=False)
    html = client.get("/s/demo/").content.decode()
    assert "Enkäten är stängd" in html
    client.post("/s/demo/", {"respondent": "self", "consent": "on"})
    assert not Draft.objects.exists()


def test_consent_is_needed_before_the_questions(demo_data, client):
    response = client.post("/s/demo/", {"respondent": "self"})
    assert response.status_code == 200
    assert "Kryssa i rutan" in response.content.decode()
    assert client.get("/s/demo/1/")["Location"].endswith("/s/demo/")


# Paper -----------------------------------------------------------------------------------


def sign_in(client, email):
    from brukarrevision.accounts.models import User

    client.force_login(User.objects.get(email=email))


def paper_header(instrument):
    audit = instrument.audit
    return {
        "instrument": instrument.pk,
        "unit": audit.units.get(name__startswith="Boendestöd").pk,
        "target_group": audit.target_groups.get(kind="users").pk,
        "language": "sv",
        "respondent": "self",
        "paper_number": "77",
    }


def test_paper_forms_are_typed_in_with_the_printed_codes(demo_data, client):
    sign_in(client, "revisor@demo.example")
    instrument = questionnaire()
    before = Response.objects.filter(channel="paper").count()
    data = {
        **paper_header(instrument),
        "answers": "1",
        "key": "k1",
        "stod": "bada",
        "gor": "fika rad",
        "plan": "j",
        "plan_med": "dk",
        "ar": "3",
        "personal_lyssnar": "4",
        "andra": "Mejla mig på kim@example.org",
    }
    response = client.post("/audits/demo/collection/paper/", data)
    assert response.status_code == 302
    stored = Response.objects.filter(channel="paper").latest("pk")
    answers = services.stored_answers(stored)
    assert answers["gor"] == ["fika", "rad"] and answers["plan"] == "yes"
    assert answers["plan_med"] == "dont_know"
    assert "[e-postadress]" in answers["andra"]
    assert Response.objects.filter(channel="paper").count() == before + 1
    client.post("/audits/demo/collection/paper/", data)  # sent twice
    assert Response.objects.filter(channel="paper").count() == before + 1


def test_a_wrong_paper_code_is_named_and_nothing_saved(demo_data, client):
    sign_in(client, "revisor@demo.example")
    before = Response.objects.count()
    data = {**paper_header(questionnaire()), "answers": "1", "key": "k2", "stod": "7"}
    html = client.post("/audits/demo/collection/paper/", data).content.decode()
    assert "Okänd kod 7" in html or "Unknown code 7" in html
    assert Response.objects.count() == before


@pytest.mark.parametrize(
    "email", ["bestallare@demo.example", "verksamhet@demo.example", "revisor2@demo.example"]
)
def test_only_the_pledged_team_types_in_paper_answers(demo_data, client, email):
    from brukarrevision.audits.models import AuditMember

    AuditMember.objects.filter(user__email="revisor2@demo.example").update(pledge_signed_at=None)
    sign_in(client, email)
    assert client.get("/audits/demo/collection/paper/").status_code in (403, 404)


def write_csv(tmp_path, rows):
    path = tmp_path / "paper.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


def test_import_responses_stores_every_row_or_none(demo_data, tmp_path):
    before = Response.objects.count()
    good = write_csv(
        tmp_path,
        [
            "unit;target_group;stod;plan;andra",
            "Boendestöd Åsby;Brukare;bada;yes;Bra stöd",
            "Träffpunkten Åsby;Brukare;traffpunkt;no;Ring 070-123 45 67",
        ],
    )
    call_command("import_responses", str(good), audit="demo")
    assert Response.objects.count() == before + 2
    call_command("import_responses", str(good), audit="demo")  # the same file again
    assert Response.objects.count() == before + 2
    bad = write_csv(
        tmp_path,
        [
            "unit,target_group,stod,plan,okand",
            "Boendestöd Åsby,Brukare,bada,yes,",
            "Ingenstans,Brukare,7,yes,x",
        ],
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_responses", str(bad), audit="demo")
    message = str(refused.value)
    assert "row 3, column unit" in message and "row 3, column stod" in message
    assert "row 3, column okand" in message
    assert Response.objects.count() == before + 2


# Interviews ------------------------------------------------------------------------------


def test_contact_details_are_shown_only_to_the_booked_interviewers_and_erased(demo_data, client):
    booked = Interview.objects.get(status="booked")
    name = booked.contact.name
    sign_in(client, "revisor@demo.example")  # booked interviewer
    assert name in client.get("/audits/demo/collection/interviews/").content.decode()
    client.logout()
    sign_in(client, "revisor3@demo.example")  # in the team, not booked
    assert name not in client.get("/audits/demo/collection/interviews/").content.decode()
    client.logout()
    sign_in(client, "verksamhet@demo.example")  # passes people on, sees no list
    html = client.get("/audits/demo/collection/interviews/").content.decode()
    assert name not in html and 'name="how_to_reach"' in html
    client.logout()
    sign_in(client, "revisor@demo.example")
    url = f"/audits/demo/collection/interviews/{booked.pk}/"
    client.post(url, {"answer-q1": "Hen heter Kim och bor i Åsby.", "action": "finish"})
    booked.refresh_from_db()
    assert booked.status == "done" and booked.contact is None
    assert not InterviewContact.objects.filter(name=name).exists()
    answer = booked.response.answers.get(item__code="q1")
    assert answer.needs_review


def test_a_unit_contact_passes_on_someone_willing_to_be_interviewed(demo_data, client):
    sign_in(client, "verksamhet@demo.example")
    audit = questionnaire().audit
    response = client.post(
        "/audits/demo/collection/interviews/",
        {
            "contact": "1",
            "unit": audit.units.get(name__startswith="Boendestöd").pk,
            "target_group": audit.target_groups.get(kind="users").pk,
            "name": "Jo",
            "how_to_reach": "070-000 00 09",
        },
    )
    assert response.status_code == 302
    assert Interview.objects.filter(contact__name="Jo", status="waiting").exists()


def test_interview_notes_autosave(demo_data, client):
    booked = Interview.objects.get(status="booked")
    sign_in(client, "revisor@demo.example")
    response = client.post(
        f"/audits/demo/collection/interviews/{booked.pk}/",
        {"answer-q1": "Ring 070-123 45 67", "action": "save"},
        HTTP_X_AUTOSAVE="1",
    )
    assert response.json() == {"saved": True}
    booked.refresh_from_db()
    assert booked.notes["q1"]["answer"] == "Ring [telefonnummer]"


# Progress --------------------------------------------------------------------------------


def test_progress_per_unit_and_target_group_by_channel(demo_data):
    rows = {
        (r.unit.name, r.target_group.name): r for r in selectors.progress(questionnaire().audit)
    }
    home = rows[("Boendestöd Åsby", "Brukare")]
    assert home.by_channel == {"web": 16, "paper": 5, "interview": 2}
    assert rows[("Träffpunkten Åsby", "Brukare")].total < 5  # the small unit of the demo


def test_the_coordinator_closes_and_opens_a_link(demo_data, client):
    from brukarrevision.collection.models import Distribution

    link = Distribution.objects.get(token="demo")
    sign_in(client, "revisor@demo.example")
    assert (
        client.post(f"/audits/demo/collection/links/{link.pk}/open/", {"open": "0"}).status_code
        == 403
    )
    client.logout()
    sign_in(client, "samordnare@demo.example")
    client.post(f"/audits/demo/collection/links/{link.pk}/open/", {"open": "0"})
    link.refresh_from_db()
    assert not link.is_open
    svg = client.get(f"/audits/demo/collection/links/{link.pk}/qr.svg").content.decode()
    assert svg.startswith("<svg") and "/s/demo/" in svg


def test_unfinished_answers_left_for_two_weeks_are_deleted(demo_data, client):
    import datetime

    from django.utils import timezone

    start(client)
    post_page(client, 1, {"stod": "bada", "ar": "4", "plan": "yes"})
    assert Draft.objects.count() == 1
    call_command("purge_drafts")
    assert Draft.objects.count() == 1  # fresh: kept
    Draft.objects.update(updated_at=timezone.now() - datetime.timedelta(days=15))
    call_command("purge_drafts")
    assert Draft.objects.count() == 0
    assert client.get("/s/demo/2/").status_code == 302  # back to the start page
