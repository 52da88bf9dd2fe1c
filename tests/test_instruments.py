"""Audit questions, instruments, conditions, freezing and versions, the question bank."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brukarrevision.audits import services as audit_services
from brukarrevision.audits.models import Phase
from brukarrevision.instruments import bank, conditions, selectors, services
from brukarrevision.instruments.models import Instrument, Item, QualityArea
from brukarrevision.instruments.respondent import ResponseForm

EN = "en"
EASY = "sv-x-easy"


def make_questionnaire(world, user=None, langs=("sv", EASY, EN)) -> Instrument:
    """A questionnaire holding every item type, a condition and a matrix."""
    user = user or world.auditor
    instrument = services.create_instrument(
        user=user,
        audit=world.audit,
        title="Enkät",
        kind="questionnaire",
        respondent="users",
        language_codes=list(langs),
    )
    section = instrument.sections.get()
    services.update_section(
        user=user, section=section, title={lang: f"Del 1 {lang}" for lang in langs}
    )

    def add(kind, code, **fields):
        item = services.add_item(
            user=user, section=section, kind=kind, text={"sv": f"Fråga {code}"}
        )
        fields.setdefault("text", {lang: f"{code} ({lang})" for lang in langs})
        services.update_item(
            user=user,
            item=item,
            fields={"code": code, **{k: v for k, v in fields.items() if k not in ("ch", "rows")}},
            choices=fields.get("ch"),
            rows=fields.get("rows"),
        )
        return item

    labels = lambda word: {lang: f"{word} {lang}" for lang in langs}  # noqa: E731
    add(
        "single",
        "boende",
        required=True,
        ch=[
            {"value": "eget", "label": labels("Eget")},
            {"value": "grupp", "label": labels("Grupp")},
        ],
    )
    add(
        "multiple",
        "gor",
        ch=[
            {"value": "fika", "label": labels("Fika")},
            {"value": "prata", "label": labels("Prata")},
        ],
    )
    add(
        "rating",
        "bemote",
        scale_steps=5,
        scale_low=labels("Inte alls"),
        scale_high=labels("Helt"),
        dont_know=True,
        quality_area="treatment",
    )
    add("yes_no", "plan")
    add(
        "rating",
        "plan_med",
        scale_steps=4,
        condition={"item": "plan", "op": "=", "value": "yes"},
        required=True,
    )
    add("number", "ar")
    add("short_text", "ord")
    add("long_text", "andra", help=labels("Inga namn"))
    add("note", "info")
    add(
        "matrix",
        "personal",
        scale_steps=5,
        not_applicable=True,
        rows=[
            {"code": "lyssnar", "text": labels("Lyssnar")},
            {"code": "tid", "text": labels("Tid")},
        ],
    )
    return instrument


def test_an_auditor_builds_a_questionnaire_with_every_item_type(world):
    instrument = make_questionnaire(world)
    kinds = {item.kind for item in instrument.all_items().filter(parent=None)}
    assert kinds == set(Item.Kind.values)
    assert selectors.missing_translations(instrument) == []
    matrix = instrument.all_items().get(code="personal")
    assert [row.code for row in matrix.rows.all()] == ["lyssnar", "tid"]


def test_a_missing_translation_is_named_before_the_version_is_used(world):
    instrument = make_questionnaire(world)
    item = instrument.all_items().get(code="ord")
    services.update_item(user=world.auditor, item=item, fields={"text": {"sv": "Bara svenska"}})
    gaps = selectors.gaps_by_language(instrument)
    assert [g.where for g in gaps[EASY]] == ["ord: fråga"] or [g.where for g in gaps[EASY]] == [
        "ord: question"
    ]
    assert set(gaps) == {EASY, EN}


def test_a_condition_may_only_depend_on_an_earlier_question(world):
    instrument = make_questionnaire(world)
    first = instrument.all_items().get(code="boende")
    with pytest.raises(ValidationError) as error:
        services.update_item(
            user=world.auditor,
            item=first,
            fields={"condition": {"item": "plan", "op": "=", "value": "yes"}},
        )
    assert "condition" in error.value.message_dict


def test_an_answer_a_condition_uses_cannot_be_removed(world):
    instrument = make_questionnaire(world)
    with pytest.raises(ValidationError):
        services.delete_item(user=world.auditor, item=instrument.all_items().get(code="plan"))
    assert instrument.all_items().filter(code="plan").exists()


def test_codes_are_unique_within_an_instrument(world):
    instrument = make_questionnaire(world)
    item = instrument.all_items().get(code="ord")
    with pytest.raises(ValidationError):
        services.update_item(user=world.auditor, item=item, fields={"code": "plan"})
    item.refresh_from_db()
    assert item.code == "ord"


@pytest.mark.parametrize(
    "condition, answers, shown",
    [
        ({"item": "a", "op": "=", "value": "yes"}, {"a": "yes"}, True),
        ({"item": "a", "op": "=", "value": "yes"}, {"a": "no"}, False),
        ({"item": "a", "op": "=", "value": "yes"}, {}, False),
        ({"item": "a", "op": "!=", "value": "yes"}, {"a": "no"}, True),
        ({"item": "a", "op": ">=", "value": "3"}, {"a": "4"}, True),
        ({"item": "a", "op": ">=", "value": "3"}, {"a": "dont_know"}, False),
        ({"item": "a", "op": "<=", "value": "2"}, {"a": 2}, True),
        ({"item": "a", "op": "selected", "value": "x"}, {"a": ["y", "x"]}, True),
        ({"item": "a", "op": "selected", "value": "x"}, {"a": ["y"]}, False),
        ({"item": "a", "op": "answered", "value": ""}, {"a": "text"}, True),
        ({"item": "a", "op": "answered", "value": ""}, {"a": ""}, False),
    ],
)
def test_conditions(condition, answers, shown):
    assert conditions.is_met(condition, answers) is shown
    assert conditions.from_xpath(conditions.to_xpath(condition)) == condition


def test_a_hidden_required_question_is_not_required_and_its_answer_is_dropped(world):
    instrument = make_questionnaire(world)
    hidden = ResponseForm(
        {"boende": "eget", "plan": "no", "plan_med": "3"}, instrument=instrument, lang="sv"
    )
    assert hidden.is_valid(), hidden.errors
    assert "plan_med" not in hidden.cleaned_data
    shown = ResponseForm({"boende": "eget", "plan": "yes"}, instrument=instrument, lang=EN)
    assert not shown.is_valid()
    assert shown.errors["plan_med"] == ["Answer this question."]


def test_dont_know_is_offered_but_is_not_a_step_on_the_scale(world):
    from brukarrevision.instruments.options import options

    item = make_questionnaire(world).all_items().get(code="bemote")
    offered = options(item, "sv")
    assert [o.value for o in offered if o.counts] == ["1", "2", "3", "4", "5"]
    assert [o.value for o in offered if not o.counts] == ["dont_know"]
    assert offered[0].label == "1 – Inte alls sv"


# Freezing and versions ------------------------------------------------------------------


def test_moving_to_collection_freezes_the_instruments(world):
    instrument = make_questionnaire(world)
    world.audit.phase = Phase.INSTRUMENTS
    world.audit.save()
    from brukarrevision.audits.models import ChecklistTick

    ChecklistTick.objects.create(audit=world.audit, key="tried_out", done_by=world.coordinator)
    services.save_audit_question(
        user=world.auditor, audit=world.audit, text="Hur är bemötandet?", quality_areas=[]
    )
    audit_services.move_phase(
        user=world.coordinator, audit=world.audit, to_phase=Phase.COLLECTION, reason="Klart"
    )
    instrument.refresh_from_db()
    assert instrument.is_frozen


def test_changing_a_frozen_instrument_makes_a_new_version(world):
    instrument = make_questionnaire(world)
    services.freeze(user=world.auditor, instrument=instrument)
    item = instrument.all_items().get(code="ord")
    with pytest.raises(ValidationError):
        services.update_item(user=world.auditor, item=item, fields={"text": {"sv": "Ny"}})
    second = services.new_version(user=world.auditor, instrument=instrument)
    assert (second.version, second.previous) == (2, instrument)
    assert not second.is_frozen
    new_item = second.all_items().get(code="ord")
    services.update_item(user=world.auditor, item=new_item, fields={"text": {"sv": "Ny"}})
    item.refresh_from_db()
    assert item.text["sv"] == "ord (sv)"  # the version answers were given on is unchanged
    assert second.all_items().count() == instrument.all_items().count()
    assert second.all_items().get(code="plan_med").condition == {
        "item": "plan",
        "op": "=",
        "value": "yes",
    }
    assert list(selectors.current(world.audit)) == [second]
    with pytest.raises(ValidationError):
        services.new_version(user=world.auditor, instrument=instrument)


# Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "person, may_edit",
    [
        ("coordinator", True),
        ("auditor", True),
        ("unsigned_auditor", True),
        ("org_coordinator", True),
        ("client_contact", False),
        ("unit_contact", False),
        ("other_coordinator", False),
        ("outsider", False),
    ],
)
def test_who_may_change_instruments(world, person, may_edit):
    user = getattr(world, person)
    if may_edit:
        assert services.create_instrument(
            user=user,
            audit=world.audit,
            title="T",
            kind="questionnaire",
            respondent="users",
            language_codes=["sv"],
        )
    else:
        with pytest.raises(PermissionDenied):
            services.create_instrument(
                user=user,
                audit=world.audit,
                title="T",
                kind="questionnaire",
                respondent="users",
                language_codes=["sv"],
            )


@pytest.mark.parametrize(
    "person, status",
    [
        ("auditor", 200),
        ("client_contact", 200),
        ("unit_contact", 200),
        ("other_client_contact", 404),
        ("outsider", 404),
    ],
)
def test_who_may_see_the_instruments_pages(world, client, person, status):
    instrument = make_questionnaire(world)
    client.force_login(getattr(world, person))
    for url in [
        "/audits/own/instruments/",
        f"/audits/own/instruments/{instrument.pk}/",
        f"/audits/own/instruments/{instrument.pk}/preview/sv/",
    ]:
        assert client.get(url).status_code == status, url


def test_a_client_cannot_change_questions_through_the_page(world, client):
    instrument = make_questionnaire(world)
    item = instrument.all_items().get(code="ord")
    client.force_login(world.client_contact)
    response = client.post(
        f"/audits/own/instruments/{instrument.pk}/",
        {"action": "delete_item", "item_pk": item.pk},
    )
    assert response.status_code == 403
    assert Item.objects.filter(pk=item.pk).exists()


# The question bank ----------------------------------------------------------------------


def test_the_question_bank_covers_every_quality_area_in_plain_and_easy_swedish():
    entries = bank.items()
    assert len(entries) >= 60
    assert len({e["key"] for e in entries}) == len(entries)
    for area in QualityArea.values:
        assert sum(e["quality_area"] == area for e in entries) >= 5, area
    for service in ["psychiatry", "social_services", "addiction", "lss", "child_youth"]:
        assert sum(service in e["services"] for e in entries) >= 3, service
    assert any("SIP" in e["text"]["sv"] for e in entries)
    for entry in entries:
        assert entry["text"]["sv"].strip() and entry["text"]["sv-x-easy"].strip(), entry["key"]
        assert entry["kind"] in Item.Kind.values


def test_copying_from_the_bank_gives_items_the_auditors_can_change(world):
    instrument = make_questionnaire(world, langs=("sv", EASY))
    keys = [e["key"] for e in bank.search(quality_area="information")][:3]
    copied = services.copy_from_bank(
        user=world.auditor, section=instrument.sections.get(), keys=keys
    )
    assert [c.bank_key for c in copied] == keys
    services.update_item(user=world.auditor, item=copied[0], fields={"text": {"sv": "Egen text"}})
    assert bank.get(keys[0])["text"]["sv"] != "Egen text"
