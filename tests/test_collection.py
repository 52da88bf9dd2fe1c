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
    key = Draft.objects.get().submission_key
    post_page(client, 1, {"stod": "bada", "ar": "4", "plan": "yes"})
    post_page(client, 2, {"plan_med": "5"})
    last = max(n for n in range(2, 6) if client.get(f"/s/demo/{n}/").status_code == 200)
    for number in range(3, last):
        post_page(client, number, fill(client.get(f"/s/demo/{number}/").content.decode()))
    data = {**fill(client.get(f"/s/demo/{last}/").content.decode()), "submission_key": key}
    # The final POST is sent three times (double click, then a retry after a lost connection).
    results = [post_page(client, last, data) for _ in range(3)]
    assert all(r.status_code == 302 and "/thanks/" in r["Location"] for r in results)
    assert Response.objects.filter(submission_key=key).count() == 1


def test_the_same_key_with_other_answers_is_refused_and_logged(demo_data, client):
    answer_everything(client)
    stored = Response.objects.latest("pk")
    other = client.post(
        "/s/demo/4/", {"submission_key": stored.submission_key, "andra": "Helt annat", "go": "next"}
    )
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SUBMISSION_CONFLICT).exists()
    assert Response.objects.filter(submission_key=stored.submission_key).count() == 1
    same = client.post(
        "/s/demo/4/",
        {"submission_key": stored.submission_key, "go": "next"},
    )
    # Refused and logged, but answered exactly like a matching resend: no guessing oracle.
    assert (other.status_code, other["Location"]) == (same.status_code, same["Location"])


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
    assert home.by_channel == {"web": 16, "paper": 5, "interview": 2, "offline": 0}
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


# Enter, Back after sending, larger text ----------------------------------------------------


def last_page(client) -> int:
    """Answer the first page so that the one after it is skipped; the number of the last."""
    start(client)
    post_page(client, 1, {"stod": "bada", "plan": "no"})
    return max(n for n in [2, 3, 4] if client.get(f"/s/demo/{n}/").status_code == 200)


def test_enter_on_an_earlier_page_goes_to_the_next_page(demo_data, client):
    start(client)
    response = post_page(client, 1, {"stod": "bada", "plan": "yes"}, go="enter")
    assert response["Location"].endswith("/s/demo/2/")


def test_enter_on_the_last_page_keeps_the_answers_and_sends_nothing(demo_data, client):
    before = Response.objects.count()
    last = last_page(client)
    html = client.get(f"/s/demo/{last}/").content.decode()
    data = {**fill(html), "ord": "Lugnt och tryggt"}
    response = post_page(client, last, data, go="enter")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/s/demo/{last}/?unsent=1#not-sent")
    assert Response.objects.count() == before
    html = client.get(response["Location"]).content.decode()
    assert "Dina svar är inte skickade än. Tryck på ”Skicka svaren” när du är klar." in html
    assert 'value="Lugnt och tryggt"' in html
    # Only the send button sends.
    assert "/thanks/" in post_page(client, last, data)["Location"]
    assert Response.objects.count() == before + 1


def test_enter_presses_the_hidden_enter_button_first_in_every_survey_form(demo_data, client):
    start(client)
    html = client.get("/s/demo/1/").content.decode()
    first = re.search(r"<button[^>]*>", html).group(0)
    assert 'name="go" value="enter"' in first and "hidden" in first
    assert html.index(first) < html.index('id="page-form"')


def test_after_sending_the_survey_pages_say_the_answers_were_sent(demo_data, client):
    answer_everything(client, lang="en")
    for url in ["/s/demo/4/", "/s/demo/2/", "/s/demo/"]:
        html = client.get(url).content.decode()
        assert "Your answers have been sent" in html, url
        assert 'name="consent"' not in html and 'id="page-form"' not in html
        assert "Start a new answer" in html and "/s/demo/?new=1&amp;lang=en" in html
    response = client.get("/s/demo/?new=1&lang=en")
    assert 'name="consent"' in response.content.decode()
    assert client.cookies["enkat_demo"].value == ""  # the mark is gone: a new answer begins
    assert not Draft.objects.exists()


def test_a_closed_link_offers_no_new_answer_after_sending(demo_data, client):
    from brukarrevision.collection.models import Distribution

    answer_everything(client)
    Distribution.objects.filter(token="demo").update(is_open=False)
    html = client.get("/s/demo/3/").content.decode()
    assert "Dina svar är skickade" in html and "?new=1" not in html


def test_the_mark_of_sent_answers_holds_nothing_about_the_response(demo_data, client):
    answer_everything(client, lang="sv-x-easy")
    stored = Response.objects.latest("pk")
    mark = client.cookies["enkat_demo"]
    assert mark.value == "sent:sv-x-easy"
    assert stored.submission_key not in mark.value and str(stored.pk) not in mark.value
    assert "Du har skickat dina svar" in client.get("/s/demo/4/").content.decode()


def test_survey_pages_are_never_kept_by_the_browser(demo_data, client):
    responses = [client.get("/s/demo/")]
    start(client)
    responses.append(client.get("/s/demo/1/"))
    answer_everything(client)
    responses += [client.get("/s/demo/thanks/"), client.get("/s/demo/1/")]
    for response in responses:
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]


def test_larger_text_and_contrast_are_set_on_the_whole_page(demo_data, client):
    start(client)
    client.post("/s/demo/1/", {"view": "large:on"})
    client.post("/s/demo/1/", {"view": "contrast:on"})
    html = client.get("/s/demo/1/").content.decode()
    assert re.search(r'<html lang="sv" dir="ltr" class="view-large view-contrast">', html)
    client.post("/s/demo/1/", {"view": "large:off"})
    assert "view-large" not in client.get("/s/demo/1/").content.decode()


# The QR code, paper entry in the printed order, booking errors ----------------------------


def test_the_qr_code_is_an_svg_image_with_a_size(demo_data, client):
    from brukarrevision.collection.models import Distribution

    link = Distribution.objects.get(token="demo")
    sign_in(client, "samordnare@demo.example")
    svg = client.get(f"/audits/demo/collection/links/{link.pk}/qr.svg").content.decode()
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    width = int(re.search(r'<svg[^>]* width="(\d+)"', svg).group(1))
    assert width > 100
    html = client.get("/audits/demo/collection/").content.decode()
    assert 'alt="QR-kod för länken http://testserver/s/demo/"' in html or (
        'alt="QR code for the link http://testserver/s/demo/"' in html
    )
    # On the page the code is inside it, so a page of many links needs no request per code.
    assert 'src="data:image/svg+xml;base64,' in html


def printed_codes(instrument) -> list[tuple[str, list[str]]]:
    """(question code, answer codes) in the order of the printed paper form."""
    from brukarrevision.instruments import paper

    html = paper.render_html(instrument, "sv")
    found = []
    for block in html.split('<div class="question">')[1:]:
        for row in re.split(r'<th scope="row">', block):
            code = re.search(r'<span class="code">([\w-]+)</span>', row)
            if code:
                found.append((code.group(1), re.findall(r"\[([\w-]+)\]", block)))
    return found


def test_paper_entry_asks_in_the_order_and_with_the_codes_of_the_printed_form(demo_data, client):
    from brukarrevision.instruments.models import Item

    sign_in(client, "revisor@demo.example")
    instrument = questionnaire()
    header = {**paper_header(instrument), "choose": "1"}
    html = client.post("/audits/demo/collection/paper/", header).content.decode()
    entry = html.split('class="paper-answers"')[1].split("</fieldset>")[0]
    asked = re.findall(r'<(?:input|textarea)[^>]* name="([\w-]+)"', entry)
    assert asked[0] == "paper_number"
    matrices = set(Item.objects.filter(kind="matrix").values_list("code", flat=True))
    printed = [(code, values) for code, values in printed_codes(instrument) if code not in matrices]
    assert asked[1:] == [code for code, _values in printed]
    for code, values in printed:
        helptext = re.search(rf'id="id_{code}_helptext">([^<]*)<', entry)
        offered = re.findall(r"([\w-]+) = ", helptext.group(1)) if helptext else []
        assert offered == values, code


def test_enter_in_paper_entry_checks_the_codes_and_saves_nothing(demo_data, client):
    sign_in(client, "revisor@demo.example")
    before = Response.objects.count()
    data = {**paper_header(questionnaire()), "check": "1", "key": "k3", "stod": "bada", "ar": "4"}
    html = client.post("/audits/demo/collection/paper/", data).content.decode()
    assert Response.objects.count() == before
    assert "Koderna stämmer, men formuläret är inte sparat än." in html or (
        "The codes are right, but the form is not saved yet." in html
    )
    assert 'name="stod" value="bada"' in html and 'name="ar" value="4"' in html
    html = client.post("/audits/demo/collection/paper/", {**data, "stod": "9"}).content.decode()
    assert "Okänd kod 9" in html or "Unknown code 9" in html
    assert Response.objects.count() == before


def test_a_booking_error_keeps_what_was_typed(demo_data, client):
    from brukarrevision.accounts.models import User

    waiting = Interview.objects.filter(status="waiting").first()
    guide = Instrument.objects.filter(audit__slug="demo", kind="interview_guide").first()
    sign_in(client, "revisor@demo.example")
    one = User.objects.get(email="revisor2@demo.example")
    prefix = f"b{waiting.pk}"
    response = client.post(
        f"/audits/demo/collection/interviews/{waiting.pk}/book/",
        {
            f"{prefix}-starts_at": "2030-05-04T10:30",
            f"{prefix}-place": "Biblioteket, rum 2",
            f"{prefix}-interviewers": [one.pk],
            f"{prefix}-guide": guide.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Välj två intervjuare." in html or "Choose two interviewers." in html
    assert 'value="Biblioteket, rum 2"' in html and 'value="2030-05-04T10:30"' in html
    assert re.search(rf'value="{one.pk}"[^>]*id="id_{prefix}-interviewers_\d+"[^>]* checked', html)
    assert re.search(r"<details open>", html)
    waiting.refresh_from_db()
    assert waiting.status == "waiting"


def test_the_booking_forms_read_the_team_and_the_guides_once_however_many(demo_data, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def choices_read(queries) -> int:
        return sum(
            'FROM "instruments_instrument"' in q["sql"]
            or 'ORDER BY "accounts_user"."full_name"' in q["sql"]
            for q in queries.captured_queries
        )

    sign_in(client, "revisor@demo.example")
    url = "/audits/demo/collection/interviews/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    waiting = Interview.objects.filter(status="waiting").first()
    for n in range(4):
        contact = InterviewContact.objects.create(
            audit=waiting.audit,
            unit=waiting.unit,
            target_group=waiting.target_group,
            name=f"Person {n}",
            how_to_reach="070-000 00 00",
        )
        Interview.objects.create(
            audit=waiting.audit,
            unit=waiting.unit,
            target_group=waiting.target_group,
            contact=contact,
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("Person ") == 4 and html.count('-place"') >= 5  # a form for each
    assert choices_read(many) == choices_read(few)


def test_a_booking_with_two_interviewers_is_saved_and_shown_for_changing(demo_data, client):
    from brukarrevision.accounts.models import User

    waiting = Interview.objects.filter(status="waiting").first()
    guide = Instrument.objects.filter(audit__slug="demo", kind="interview_guide").first()
    two = User.objects.filter(email__in=["revisor@demo.example", "revisor2@demo.example"])
    sign_in(client, "revisor@demo.example")
    prefix = f"b{waiting.pk}"
    response = client.post(
        f"/audits/demo/collection/interviews/{waiting.pk}/book/",
        {
            f"{prefix}-starts_at": "2030-05-04T10:30",
            f"{prefix}-place": "Biblioteket",
            f"{prefix}-interviewers": [u.pk for u in two],
            f"{prefix}-guide": guide.pk,
        },
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "booked" and waiting.place == "Biblioteket"
    html = client.get("/audits/demo/collection/interviews/").content.decode()
    assert f'name="{prefix}-place" value="Biblioteket"' in html


def test_a_crafted_post_that_skips_pages_is_refused_and_shows_the_first_page_to_complete(
    demo_data, client
):
    from brukarrevision.instruments.models import Item

    start(client)
    required = Item.objects.filter(
        section__instrument__distributions__token="demo", required=True
    ).first()
    assert required is not None, "the demo questionnaire has a required question"
    key = Draft.objects.get().submission_key
    pages = [n for n in range(1, 6) if client.get(f"/s/demo/{n}/").status_code == 200]
    response = post_page(client, pages[-1], {"submission_key": key})
    assert response.status_code == 302 and "?incomplete=1" in response["Location"]
    assert not Response.objects.filter(submission_key=key).exists()
    page = client.get(response["Location"]).content.decode()
    assert "måste besvaras" in page
