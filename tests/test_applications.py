import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from brukarrevision.audits import services
from brukarrevision.audits.models import Application, Audit, AuditMember, Phase
from brukarrevision.organisations.models import Membership, Organisation, Unit
from tests.conftest import APPLICATION_ANSWERS, make_user


def apply(world, client=None, contact=None, units=None):
    return services.submit_application(
        user=contact or world.client_contact,
        offer=world.offer,
        client=client or world.client,
        units=units or [world.unit],
        answers=APPLICATION_ANSWERS,
    )


def another_client(name):
    org = Organisation.objects.create(name=name, kind="municipality")
    unit = Unit.objects.create(
        client=org, name=f"Enhet {name}", service_type="lss", municipality=name
    )
    contact = make_user(f"kontakt@{name.lower()}.example")
    Membership.objects.create(user=contact, organisation=org, role="client_contact")
    return org, unit, contact


def test_places_go_first_come_first_served_then_to_a_waiting_list(world):
    first = apply(world)
    org, unit, contact = another_client("Bby")
    second = apply(world, org, contact, [unit])
    org3, unit3, contact3 = another_client("Cby")
    third = apply(world, org3, contact3, [unit3])
    assert [a.status for a in (first, second, third)] == ["submitted", "submitted", "waiting"]
    assert world.offer.places_left() == 0


def test_declining_gives_the_place_to_the_first_on_the_waiting_list(world):
    first = apply(world)
    org, unit, contact = another_client("Bby")
    apply(world, org, contact, [unit])
    org3, unit3, contact3 = another_client("Cby")
    waiting = apply(world, org3, contact3, [unit3])
    services.decline_application(
        user=world.coordinator, application=first, message="Vi har inte revisorer i ert län i höst."
    )
    waiting.refresh_from_db()
    assert waiting.status == Application.Status.SUBMITTED and waiting.holds_place


def test_an_application_on_the_waiting_list_cannot_be_accepted_while_the_offer_is_full(world):
    apply(world)
    org, unit, contact = another_client("Bby")
    apply(world, org, contact, [unit])
    org3, unit3, contact3 = another_client("Cby")
    waiting = apply(world, org3, contact3, [unit3])
    with pytest.raises(ValidationError):
        services.accept_application(user=world.coordinator, application=waiting, message="")


def test_accepting_creates_an_audit_in_planning_with_the_move_recorded(world):
    application = apply(world)
    audit = services.accept_application(
        user=world.coordinator, application=application, message="Välkomna!"
    )
    assert audit.phase == Phase.PLANNING
    assert list(audit.units.all()) == [world.unit]
    move = audit.transitions.get()
    assert (move.from_phase, move.to_phase, move.moved_by) == (0, 1, world.coordinator)
    assert "Välkomna!" in move.reason
    assert audit.members.get(role=AuditMember.Role.COORDINATOR).user == world.coordinator


def test_the_client_is_told_of_the_decision_by_e_mail(world, django_capture_on_commit_callbacks):
    application = apply(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_application(
            user=world.coordinator, application=application, message="Tyvärr är platserna slut."
        )
    assert mail.outbox[-1].to == ["client_contact@test.example"]
    assert "Tyvärr är platserna slut." in mail.outbox[-1].body


def test_declining_needs_a_message(world):
    application = apply(world)
    with pytest.raises(ValidationError):
        services.decline_application(user=world.coordinator, application=application, message=" ")


def test_a_client_cannot_apply_for_another_tenant_or_with_its_units(world):
    with pytest.raises(PermissionDenied):
        apply(world, client=world.other_client)
    with pytest.raises(ValidationError):
        apply(world, units=[world.other_unit])


def test_only_the_performers_coordinators_decide(world):
    application = apply(world)
    for name in ("client_contact", "auditor", "other_coordinator"):
        with pytest.raises(PermissionDenied):
            services.accept_application(
                user=world.people[name], application=application, message=""
            )
    assert not Audit.objects.filter(application=application).exists()


def test_the_application_form_keeps_what_was_typed_and_lists_errors(world, login):
    client = login(world.client_contact)
    url = reverse("audits:apply", args=[world.offer.pk])
    response = client.post(
        url, {"client": world.client.pk, "purpose": "Vi vill lära oss något viktigt."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Vi vill lära oss något viktigt." in html
    assert 'href="#id_anchoring"' in html
    assert 'aria-invalid="true"' in html
    assert not Application.objects.exists()


def test_a_client_applies_in_the_browser_and_the_coordinator_accepts(world, client):
    client.force_login(world.client_contact)
    response = client.post(
        reverse("audits:apply", args=[world.offer.pk]),
        {"client": world.client.pk, "units": [world.unit.pk], **APPLICATION_ANSWERS},
    )
    application = Application.objects.get()
    assert response.url == reverse("audits:application", args=[application.pk])
    client.force_login(world.coordinator)
    response = client.post(
        reverse("audits:application", args=[application.pk]),
        {"decision": "accept", "message": "Välkomna"},
    )
    audit = Audit.objects.get(application=application)
    assert response.url == reverse("audits:audit", args=[audit.slug])


# Duplicates -----------------------------------------------------------------------------------


def test_a_second_application_for_the_same_units_is_refused_and_takes_no_place(world):
    first = apply(world)
    with pytest.raises(ValidationError) as refused:
        apply(world)
    message = " ".join(refused.value.message_dict["units"])
    assert "Åsby kommun har redan ansökt till det här erbjudandet för Boendestöd" in message
    assert "behåller sin plats" in message
    assert list(Application.objects.all()) == [first]
    assert world.offer.places_left() == 1


def test_a_duplicate_is_refused_even_from_the_waiting_list(world):
    org, unit, contact = another_client("Bby")
    apply(world, org, contact, [unit])
    org3, unit3, contact3 = another_client("Cby")
    apply(world, org3, contact3, [unit3])
    waiting = apply(world)
    assert waiting.status == Application.Status.WAITING
    with pytest.raises(ValidationError):
        apply(world)
    assert Application.objects.filter(client=world.client).count() == 1


def test_other_units_or_a_new_try_after_a_decision_may_apply(world):
    other = Unit.objects.create(
        client=world.client, name="Träffpunkten", service_type="psychiatry", municipality="Åsby"
    )
    first = apply(world)
    apply(world, units=[other])  # other units of the same client: a separate application
    services.decline_application(
        user=world.coordinator, application=first, message="Vi har inte revisorer i höst."
    )
    again = apply(world)  # the first was declined, so a new application is welcome
    assert again.status in (Application.Status.SUBMITTED, Application.Status.WAITING)


def test_the_application_form_says_a_duplicate_is_refused_and_links_the_first(world, login):
    first = apply(world)
    client = login(world.client_contact)
    client.cookies["django_language"] = "en"
    url = reverse("audits:apply", args=[world.offer.pk])
    html = client.get(url).content.decode()
    assert "You have already applied to this offer." in html
    assert reverse("audits:application", args=[first.pk]) in html
    response = client.post(
        url, {"client": world.client.pk, "units": [world.unit.pk], **APPLICATION_ANSWERS}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and "has already applied to this offer" in html
    assert Application.objects.count() == 1
