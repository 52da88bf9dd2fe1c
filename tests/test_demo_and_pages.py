from pathlib import Path

import pytest
from django.urls import reverse

from brukarrevision.audits.models import Audit, Offer, Phase
from brukarrevision.core import demo
from brukarrevision.core.models import AccessibilityReport

LOCALE = Path(__file__).resolve().parent.parent / "src" / "brukarrevision" / "locale"


def sign_in(client, email):
    response = client.post("/accounts/login/", {"username": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, email
    return client.get("/")


def test_the_demo_has_audits_in_several_phases_and_one_open_offer(demo_data):
    phases = set(Audit.objects.values_list("phase", flat=True))
    assert {Phase.PLANNING, Phase.TEAM, Phase.COLLECTION, Phase.FOLLOW_UP} <= phases
    assert Audit.objects.get(slug="demo").members.filter(role="auditor").count() == 3
    assert [o.title for o in Offer.objects.filter(is_open=True)] == ["Fyra kommuner hösten 2027"]


def test_loading_the_demo_twice_changes_nothing(demo_data):
    before = Audit.objects.count()
    demo.load()
    assert Audit.objects.count() == before


@pytest.mark.parametrize(
    "email, expected",
    [
        ("admin@demo.example", "norrtorp-psykiatri-2025"),
        ("samordnare@demo.example", 'id="coordinator-title"'),
        ("revisor@demo.example", 'id="auditor-title"'),
        ("bestallare@demo.example", 'id="client-title"'),
        ("region@demo.example", "norrtorp-bup"),
        ("verksamhet@demo.example", 'id="unit-title"'),
    ],
)
def test_each_demo_role_sees_its_own_start_page(demo_data, client, email, expected):
    html = sign_in(client, email).content.decode()
    assert expected in html


def test_a_client_sees_nothing_of_the_other_tenant(demo_data, client):
    html = sign_in(client, "bestallare@demo.example").content.decode()
    assert "Norrtorp" not in html
    assert client.get(reverse("audits:audit", args=["norrtorp-bup"])).status_code == 404


def test_a_client_does_not_see_who_the_auditors_are(demo_data, client):
    sign_in(client, "bestallare@demo.example")
    html = client.get(reverse("audits:audit", args=["demo"])).content.decode()
    assert "Rami Revisor" not in html


def test_the_start_page_is_swedish_by_default_and_english_on_request(db, client):
    html = client.get("/").content.decode()
    assert '<html lang="sv">' in html and "Logga in" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "Sign in" in html


def test_every_page_links_to_the_accessibility_statement(db, client):
    for url in ("/", "/accounts/login/", "/offers/"):
        assert 'href="/accessibility/"' in client.get(url).content.decode()


def test_an_accessibility_problem_can_be_reported(db, client):
    response = client.post("/accessibility/", {"page": "/", "description": "Knappen syns inte"})
    assert response.status_code == 302
    assert AccessibilityReport.objects.get().description == "Knappen syns inte"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_translation_catalogues_are_complete_and_compiled(language):
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""')]
    assert untranslated == []


def test_an_english_browser_still_gets_swedish_first(db, client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sv">' in html
