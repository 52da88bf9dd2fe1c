"""Offline interviews with ODK Collect: the OpenRosa form list and submission APIs, driven as
Collect drives them, with instances generated from the served XForm and sent as real
multipart requests, signed in with app passwords."""

import base64
import hashlib
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.audits.models import TargetGroup
from brukarrevision.collection import services as collection_services
from brukarrevision.collection.models import Response
from brukarrevision.instruments import services as instrument_services
from brukarrevision.instruments import xlsform
from brukarrevision.openrosa import services
from brukarrevision.openrosa.models import AppPassword

from .test_xlsform_pyxform import sheets, xlsx

XF = "http://www.w3.org/2002/xforms"
H = "http://www.w3.org/1999/xhtml"
JR = "http://openrosa.org/javarosa"
LIST = "http://openrosa.org/xforms/xformsList"
RESPONSE = "http://openrosa.org/http/response"


@pytest.fixture
def odk(world):
    """The own audit's questionnaire (two languages, a matrix, kept answer names 9, 98 and
    99) imported, frozen, with two target groups; the auditor has an app password."""
    TargetGroup.objects.create(audit=world.audit, name="Brukare", kind="users")
    TargetGroup.objects.create(audit=world.audit, name="Anhöriga", kind="relatives")
    instrument = xlsform.import_xlsform(xlsx(sheets()), audit=world.audit, user=world.auditor)
    instrument_services.freeze(user=world.auditor, instrument=instrument)
    _made, secret = services.make_app_password(user=world.auditor, label="Telefon")
    world.instrument = instrument
    world.secret = secret
    return world


def basic(email: str, password: str) -> dict:
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_OPENROSA_VERSION": "1.0"}


def collect(world, user=None, password=None) -> dict:
    user = user or world.auditor
    return basic(user.email, password or world.secret)


def form_list(client, headers) -> etree._Element:
    response = client.get("/openrosa/formList", **headers)
    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0" and response["Date"]
    return etree.fromstring(response.content)


def fetch_xform(client, world) -> tuple[str, bytes]:
    root = form_list(client, collect(world))
    (entry,) = root.findall(f"{{{LIST}}}xform")
    url = entry.findtext(f"{{{LIST}}}downloadUrl")
    response = client.get(url.replace("http://testserver", ""), **collect(world))
    assert response.status_code == 200 and response["X-OpenRosa-Version"] == "1.0"
    expected = entry.findtext(f"{{{LIST}}}hash")
    assert expected == "md5:" + hashlib.md5(response.content).hexdigest()
    return entry.findtext(f"{{{LIST}}}formID"), response.content


# Making instances from the XForm, as Collect does ---------------------------------------


def make_instance(xform: bytes, instance_id: str, pick: int) -> bytes:
    """The XForm's primary instance filled in: each select gets its `pick`th answer (one for
    select_multiple, from its itemset or inline items), each integer a number, each text a
    sentence; read-only and calculated nodes and questions behind a condition stay empty, as
    Collect leaves them when the condition is not met; meta/instanceID gets the id."""
    html = etree.fromstring(xform)
    model = html.find(f"{{{H}}}head/{{{XF}}}model")
    primary = next(i for i in model.findall(f"{{{XF}}}instance") if i.get("id") is None)
    data = etree.fromstring(etree.tostring(primary[0]))
    lists = {
        i.get("id"): [item.findtext(f"{{{XF}}}name") for item in i.iter(f"{{{XF}}}item")]
        for i in model.findall(f"{{{XF}}}instance")
        if i.get("id")
    }
    binds = {b.get("nodeset"): b for b in model.findall(f"{{{XF}}}bind")}
    controls = {}
    for control in html.find(f"{{{H}}}body").iter(f"{{{XF}}}select1", f"{{{XF}}}select"):
        itemset = control.find(f"{{{XF}}}itemset")
        if itemset is not None:
            values = lists[itemset.get("nodeset").split("'")[1]]
        else:
            values = [item.findtext(f"{{{XF}}}value") for item in control.iter(f"{{{XF}}}item")]
        controls[control.get("ref")] = values
    for node in data.iter():
        if len(node):
            continue
        path = "/" + "/".join(
            etree.QName(n).localname for n in [*reversed(list(node.iterancestors())), node]
        )
        bind = binds.get(path)
        if path.endswith("/meta/instanceID"):
            node.text = instance_id
            continue
        calculation = (bind.get("calculate") or "") if bind is not None else ""
        if calculation.startswith("'"):  # a fixed value, as Collect computes it
            node.text = calculation.strip("'")
            continue
        if bind is None or bind.get("readonly") or calculation or bind.get("relevant"):
            continue
        if path in controls:
            values = controls[path]
            node.text = values[pick % len(values)]
        elif bind.get("type") == "int":
            node.text = str(1 + pick)
        elif bind.get("type") == "string":
            node.text = f"Svar nummer {pick}."
    return etree.tostring(data, xml_declaration=True, encoding="utf-8")


def submit(client, headers, instance: bytes):
    upload = SimpleUploadedFile("submission.xml", instance, content_type="text/xml")
    return client.post("/openrosa/submission", {"xml_submission_file": upload}, **headers)


def message(response) -> str:
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{RESPONSE}}}OpenRosaResponse"
    return root.findtext(f"{{{RESPONSE}}}message")


# The form list and the XForm ------------------------------------------------------------


def test_collect_lists_the_frozen_questionnaire_and_fetches_its_xform(odk, client):
    root = form_list(client, collect(odk))
    assert root.tag == f"{{{LIST}}}xforms"
    (entry,) = root.findall(f"{{{LIST}}}xform")
    assert entry.findtext(f"{{{LIST}}}formID") == f"own_{odk.instrument.pk}"
    assert entry.findtext(f"{{{LIST}}}name").startswith("Stödenkät")
    assert entry.findtext(f"{{{LIST}}}version").startswith("1-")
    form_id, xform = fetch_xform(client, odk)
    html = etree.fromstring(xform)
    assert html.tag == f"{{{H}}}html"
    assert html.nsmap[None] == XF and html.nsmap["jr"] == JR
    primary = html.find(f"{{{H}}}head/{{{XF}}}model/{{{XF}}}instance")
    data = primary[0]
    assert data.get("id") == form_id
    names = {etree.QName(n).localname for n in data.iter()}
    assert {"nojd", "hjalp", "lyssnar", "tid", "br_unit", "br_target_group", "instanceID"} <= names
    langs = {t.get("lang") for t in html.iter(f"{{{XF}}}translation")}
    assert langs == {"Svenska (sv)", "English (en)"}


def test_the_xform_survives_pyxforms_own_reader(odk, client):
    from pyxform.xform2json import create_survey_element_from_xml

    _form_id, xform = fetch_xform(client, odk)
    survey = create_survey_element_from_xml(xform.decode())
    again = etree.fromstring(survey.to_xml(validate=False).encode())
    names = {etree.QName(n).localname for n in again.iter()}
    assert {"nojd", "lyssnar", "br_unit"} <= names


def test_an_unfrozen_questionnaire_is_not_offered(world, client):
    instrument = xlsform.import_xlsform(xlsx(sheets()), audit=world.audit, user=world.auditor)
    _made, secret = services.make_app_password(user=world.auditor, label="Telefon")
    root = form_list(client, basic(world.auditor.email, secret))
    assert root.findall(f"{{{LIST}}}xform") == []
    assert instrument.pk


# Submissions ----------------------------------------------------------------------------


def test_two_instances_one_sent_twice_become_two_offline_responses(odk, client):
    _form_id, xform = fetch_xform(client, odk)
    first_id, second_id = f"uuid:{uuid.uuid4()}", f"uuid:{uuid.uuid4()}"
    first = make_instance(xform, first_id, pick=0)
    second = make_instance(xform, second_id, pick=1)
    head = client.head("/openrosa/submission", **collect(odk))
    assert head.status_code == 204 and int(head["X-OpenRosa-Accept-Content-Length"]) > 0
    sent = submit(client, collect(odk), first)
    assert sent.status_code == 201, sent.content
    assert sent["X-OpenRosa-Version"] == "1.0" and sent["Date"]
    assert submit(client, collect(odk), second).status_code == 201
    again = submit(client, collect(odk), first)
    assert again.status_code in (201, 202)
    assert "already" in message(again).lower() or "redan" in message(again).lower()
    stored = Response.objects.filter(channel="offline").order_by("pk")
    assert stored.count() == 2
    one, two = stored
    assert one.unit == odk.unit and one.entered_by == odk.auditor
    assert one.submission_key == f"odk:{first_id}"
    answers = collection_services.stored_answers(one)
    assert answers["boende"] == "eget" and answers["nojd"] == "1" and answers["hjalp"] == ["mat"]
    assert answers["lyssnar"] == "1" and answers["ovrigt"] == "Svar nummer 0."
    assert "alder" not in answers  # behind a condition: left empty, as Collect does
    # The second instance picked the second answer everywhere: 2 on the scales, and
    # "grupp"; its group is the second target group of the audit.
    answers = collection_services.stored_answers(two)
    assert answers["nojd"] == "2" and answers["boende"] == "grupp"
    assert two.target_group.name == "Anhöriga"
    assert "ODK" in str(one.get_channel_display())


def test_kept_answer_names_map_back_to_dont_know_and_not_applicable(odk, client):
    _form_id, xform = fetch_xform(client, odk)
    instance = make_instance(xform, f"uuid:{uuid.uuid4()}", pick=0)
    instance = instance.replace(b"<nojd>1</nojd>", b"<nojd>9</nojd>")
    instance = instance.replace(b"<tid>1</tid>", b"<tid>98</tid>")
    assert submit(client, collect(odk), instance).status_code == 201
    answers = collection_services.stored_answers(Response.objects.get(channel="offline"))
    assert answers["nojd"] == "dont_know" and answers["tid"] == "not_applicable"


def test_the_same_instance_id_with_other_answers_is_refused_and_logged(odk, client):
    _form_id, xform = fetch_xform(client, odk)
    instance_id = f"uuid:{uuid.uuid4()}"
    assert submit(client, collect(odk), make_instance(xform, instance_id, 0)).status_code == 201
    other = submit(client, collect(odk), make_instance(xform, instance_id, 1))
    assert other.status_code == 409
    assert Response.objects.filter(channel="offline").count() == 1
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SUBMISSION_CONFLICT).exists()


def test_an_answer_the_form_does_not_offer_is_refused_with_its_code(odk, client):
    _form_id, xform = fetch_xform(client, odk)
    instance = make_instance(xform, f"uuid:{uuid.uuid4()}", 0)
    instance = instance.replace(b"<nojd>1</nojd>", b"<nojd>7</nojd>")
    refused = submit(client, collect(odk), instance)
    assert refused.status_code == 400 and "nojd" in message(refused)
    assert not Response.objects.filter(channel="offline").exists()


def test_a_submission_without_the_file_or_with_a_dtd_is_refused(odk, client):
    assert client.post("/openrosa/submission", {}, **collect(odk)).status_code == 400
    bomb = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><data id="x">&a;</data>'
    assert submit(client, collect(odk), bomb).status_code == 400


# Signing in -----------------------------------------------------------------------------


def test_collect_without_credentials_is_asked_for_them(odk, client):
    response = client.get("/openrosa/formList")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Brukarrevision"'
    assert response["X-OpenRosa-Version"] == "1.0" and response["Date"]
    assert client.head("/openrosa/submission").status_code == 401


def test_a_wrong_password_or_the_main_password_gets_401_and_is_logged(odk, client):
    from .conftest import PASSWORD

    for password in ["fel-losenord", PASSWORD]:
        response = client.get("/openrosa/formList", **collect(odk, password=password))
        assert response.status_code == 401
    failures = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED, identifier=odk.auditor.email
    )
    assert failures.count() == 2 and failures.first().detail == "ODK app password"
    assert PASSWORD not in str(list(failures.values()))


def test_someone_elses_app_password_does_not_work_with_my_email(odk, client):
    response = client.get("/openrosa/formList", **collect(odk, user=odk.coordinator))
    assert response.status_code == 401


def test_too_many_wrong_passwords_close_the_door_for_a_while(odk, client, settings):
    settings.ODK_FAILURE_LIMIT = 3
    for _n in range(3):
        client.get("/openrosa/formList", **collect(odk, password="fel"))
    response = client.get("/openrosa/formList", **collect(odk))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_a_revoked_app_password_stops_working(odk, client):
    app_password = AppPassword.objects.get(user=odk.auditor)
    services.revoke_app_password(user=odk.auditor, app_password=app_password)
    assert client.get("/openrosa/formList", **collect(odk)).status_code == 401


def test_an_interviewer_outside_the_team_sees_no_forms_and_may_not_submit(odk, client):
    _form_id, xform = fetch_xform(client, odk)
    _made, secret = services.make_app_password(user=odk.pool_auditor, label="Min")
    outside = basic(odk.pool_auditor.email, secret)
    assert form_list(client, outside).findall(f"{{{LIST}}}xform") == []
    form_url = f"/openrosa/forms/own_{odk.instrument.pk}/form.xml"
    assert client.get(form_url, **outside).status_code == 403
    refused = submit(client, outside, make_instance(xform, f"uuid:{uuid.uuid4()}", 0))
    assert refused.status_code == 403
    assert not Response.objects.filter(channel="offline").exists()


def test_an_auditor_who_has_not_signed_the_pledge_may_not_submit(odk, client):
    _form_id, xform = fetch_xform(client, odk)
    _made, secret = services.make_app_password(user=odk.unsigned_auditor, label="Min")
    unsigned = basic(odk.unsigned_auditor.email, secret)
    refused = submit(client, unsigned, make_instance(xform, f"uuid:{uuid.uuid4()}", 2))
    assert refused.status_code == 403


def test_an_app_password_made_without_a_second_factor_does_not_pass_the_rule(odk, client):
    from brukarrevision.accounts.models import SecurityPolicy

    policy = SecurityPolicy.current()
    policy.require_totp_for_raw_access = True
    policy.save()
    assert form_list(client, collect(odk)).findall(f"{{{LIST}}}xform") == []


# The interviewer's page -----------------------------------------------------------------


def test_the_interviewer_makes_an_app_password_shown_once_and_stored_scrambled(world, login):
    client = login(world.auditor)
    page = client.get("/odk/")
    assert page.status_code == 200 and b"/openrosa" in page.content
    made = client.post("/odk/", {"action": "make", "label": "Jobbtelefon"})
    assert made.status_code == 200
    app_password = AppPassword.objects.get(user=world.auditor)
    html = made.content.decode()
    secret = html.split('class="secret">')[1].split("<")[0]
    assert len(secret) == 24 and secret not in app_password.digest
    assert secret not in client.get("/odk/").content.decode()
    assert SecurityEvent.objects.filter(
        user=world.auditor, detail__contains="ODK app password made"
    ).exists()
    response = client.get("/openrosa/formList", **basic(world.auditor.email, secret))
    assert response.status_code == 200
    revoke = client.post("/odk/", {"action": "revoke", "id": app_password.pk})
    assert revoke.status_code == 302
    response = client.get("/openrosa/formList", **basic(world.auditor.email, secret))
    assert response.status_code == 401


def test_a_client_contact_has_no_app_passwords(world, login):
    assert login(world.client_contact).get("/odk/").status_code == 403


def test_an_answer_sent_offline_is_counted_in_its_own_column(odk, client, login):
    _form_id, xform = fetch_xform(client, odk)
    submit(client, collect(odk), make_instance(xform, f"uuid:{uuid.uuid4()}", 0))
    page = login(odk.coordinator).get(f"/audits/{odk.audit.slug}/collection/")
    assert page.status_code == 200
    assert "ODK" in page.content.decode()
