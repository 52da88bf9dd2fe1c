"""The toolbox: the starter set, search and filters (acceptance 4), the easy-to-read version
of every entry, and editing by editors only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brukarrevision.toolbox import services
from brukarrevision.toolbox.models import Attachment, Entry
from brukarrevision.toolbox.starter import ENTRIES


def _titles(client, **params) -> str:
    return client.get(reverse("toolbox:list"), params).content.decode()


def test_every_installation_has_the_starter_set(db):
    assert Entry.objects.count() >= 12
    for slug in [
        "brukarrad",
        "patientforum",
        "synpunktslada",
        "brukarrevision",
        "certifiering-av-brukarinflytande",
        "delaktighetstrappan",
        "dialogmote",
        "samskriven-broschyr",
        "brukarmedverkan-i-utbildning",
        "brukarstyrd-aterkoppling",
        "sip-samtal-med-brukarstod",
        "fokusgrupp",
    ]:
        entry = Entry.objects.get(slug=slug)
        assert entry.step_list and entry.time_needed and entry.suits and entry.levels
    assert len(ENTRIES) == 12


def test_the_search_finds_entries_by_word(client, db):
    page = _titles(client, q="balkongen")
    assert "Patientforum" in page and "Brukarråd" not in page
    page = _titles(client, q="Shiers")
    assert "Delaktighetstrappan" in page and "Fokusgrupp" not in page


def test_the_filters_find_entries_by_level(client, db):
    page = _titles(client, level="individual")
    assert "SIP-samtal med brukarstöd" in page and "Delaktighetstrappan" in page
    assert "Dialogmöte" not in page and "Fokusgrupp" not in page


def test_the_filters_find_entries_by_quality_area(client, db):
    page = _titles(client, quality_area="training")
    assert "Brukarmedverkan i utbildning av personal" in page
    assert "Certifiering av brukarinflytande" in page
    assert "Patientforum" not in page


def test_word_level_quality_area_and_kind_combine(client, db):
    page = _titles(client, q="möte", level="service", quality_area="follow_up", kind="template")
    assert "Brukarstyrd återkoppling" in page
    assert "Brukarråd" not in page and "Dialogmöte" not in page


def test_every_entry_has_an_easy_to_read_version(client, db):
    for entry in Entry.objects.all():
        assert entry.easy_text.strip()
        response = client.get(reverse("toolbox:easy", args=[entry.slug]))
        assert response.status_code == 200
        page = response.content.decode()
        assert entry.easy_paragraphs[0] in page and 'lang="sv"' in page
        full = client.get(entry.get_absolute_url()).content.decode()
        assert reverse("toolbox:easy", args=[entry.slug]) in full


def test_an_entry_page_shows_purpose_steps_time_and_who_it_suits(client, db):
    entry = Entry.objects.get(slug="fokusgrupp")
    page = client.get(entry.get_absolute_url()).content.decode()
    assert entry.purpose[:40] in page and entry.suits[:40] in page
    assert entry.time_needed in page
    assert page.count("<li>") >= len(entry.step_list)


# Editing ---------------------------------------------------------------------------------

NEW_ENTRY = {
    "title": "Brukarpanel",
    "kind": "method",
    "summary": "En grupp brukare som svarar på frågor några gånger om året.",
    "purpose": "Få snabba svar.",
    "suits": "Regioner.",
    "levels": ["system"],
    "quality_areas": ["user_influence"],
    "steps": "Bjud in\nFråga\nÅterkoppla",
    "time_needed": "En timme per gång.",
    "easy_text": "En brukarpanel är en grupp. Gruppen svarar på frågor.",
}


@pytest.mark.parametrize(
    "person, allowed",
    [
        ("admin", True),
        ("coordinator", True),
        ("other_coordinator", True),
        ("auditor", False),
        ("client_contact", False),
        ("unit_contact", False),
        ("outsider", False),
    ],
)
def test_only_administrators_and_coordinators_edit(login, world, person, allowed):
    client = login(getattr(world, person))
    response = client.post(reverse("toolbox:new"), NEW_ENTRY)
    assert response.status_code == (302 if allowed else 403)
    assert Entry.objects.filter(title="Brukarpanel").exists() == allowed
    edit = client.get(reverse("toolbox:edit", args=["fokusgrupp"]))
    assert edit.status_code == (200 if allowed else 403)


def test_anonymous_people_read_but_are_sent_to_sign_in_to_edit(client, db):
    assert client.get(reverse("toolbox:list")).status_code == 200
    response = client.get(reverse("toolbox:new"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_entry_without_an_easy_to_read_version_is_refused(login, world):
    client = login(world.coordinator)
    response = client.post(reverse("toolbox:new"), {**NEW_ENTRY, "easy_text": ""})
    assert response.status_code == 200
    assert not Entry.objects.filter(title="Brukarpanel").exists()


def test_a_new_entry_is_found_by_search(login, world, client):
    login(world.coordinator).post(reverse("toolbox:new"), NEW_ENTRY)
    entry = Entry.objects.get(title="Brukarpanel")
    assert entry.slug == "brukarpanel" and entry.updated_by == world.coordinator
    client.logout()
    assert "Brukarpanel" in _titles(client, level="system", q="panel")


def test_editors_attach_files_that_are_downloaded_not_shown(login, world, client):
    editor = login(world.coordinator)
    upload = SimpleUploadedFile("mall.docx", b"PK\x03\x04 mall", content_type="text/html")
    response = editor.post(
        reverse("toolbox:upload", args=["brukarrad"]),
        {"title": "Mall för dagordning", "file": upload},
    )
    assert response.status_code == 302
    file = Attachment.objects.get()
    page = editor.get(reverse("toolbox:entry", args=["brukarrad"])).content.decode()
    assert "Mall för dagordning" in page
    download = editor.get(reverse("toolbox:attachment", args=["brukarrad", file.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/octet-stream"
    assert download.content == b"PK\x03\x04 mall"


def test_attachments_are_size_limited_and_of_known_kinds(login, world, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT", 10)
    editor = login(world.coordinator)
    big = SimpleUploadedFile("stor.pdf", b"%PDF" + b"x" * 20)
    response = editor.post(reverse("toolbox:upload", args=["brukarrad"]), {"file": big})
    assert response.status_code == 400
    script = SimpleUploadedFile("sida.html", b"<script>")
    response = editor.post(reverse("toolbox:upload", args=["brukarrad"]), {"file": script})
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_others_may_not_attach_files(login, world):
    client = login(world.unit_contact)
    upload = SimpleUploadedFile("mall.pdf", b"%PDF-1.4")
    response = client.post(reverse("toolbox:upload", args=["brukarrad"]), {"file": upload})
    assert response.status_code == 403
    assert not Attachment.objects.exists()
