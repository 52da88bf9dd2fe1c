"""Roles, audit teams, pledges and training are given only through the services, which check
the rules and write the security log; the admin cannot give them around the rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.audits import services as audit_services
from brukarrevision.audits.models import AuditMember, Phase, TrainingRecord, TrainingTopic
from brukarrevision.organisations import services
from brukarrevision.organisations.models import Membership

from .conftest import make_user

Kind = SecurityEvent.Kind


def _put(data: dict, bound) -> None:
    value = bound.value()
    if value is None:
        return
    if isinstance(value, datetime.datetime):  # the admin's split date and time inputs
        value = timezone.localtime(value)
        data[f"{bound.html_name}_0"] = value.strftime("%Y-%m-%d")
        data[f"{bound.html_name}_1"] = value.strftime("%H:%M:%S")
    elif isinstance(value, list | tuple):
        data[bound.html_name] = [str(v) for v in value]
    else:
        data[bound.html_name] = str(value)


def _form_data(response) -> dict:
    """What the admin's change page would post back unchanged: the main form's values and
    every inline formset's management form and rows."""
    data = {}
    for bound in response.context["adminform"].form:
        _put(data, bound)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            _put(data, bound)
        for row in formset.forms:
            for bound in row:
                _put(data, bound)
    return data


def test_the_admin_cannot_add_an_auditor_with_a_backdated_pledge(world, login):
    client = login(world.admin)
    url = reverse("admin:audits_audit_change", args=[world.audit.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="members-0-pledge_signed_at' not in page.content
    data = _form_data(page)
    n = int(data["members-TOTAL_FORMS"])
    long_ago = timezone.localtime() - datetime.timedelta(days=400)
    data.update(
        {
            "members-TOTAL_FORMS": str(n + 1),
            f"members-{n}-audit": str(world.audit.pk),
            f"members-{n}-user": str(world.pool_auditor.pk),
            f"members-{n}-role": "auditor",
            f"members-{n}-declared_not_current_user_at_0": long_ago.strftime("%Y-%m-%d"),
            f"members-{n}-declared_not_current_user_at_1": "10:00:00",
            f"members-{n}-pledge_signed_at_0": long_ago.strftime("%Y-%m-%d"),
            f"members-{n}-pledge_signed_at_1": "10:00:00",
            f"members-{n}-added_at_0": long_ago.strftime("%Y-%m-%d"),
            f"members-{n}-added_at_1": "09:00:00",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302  # the audit's own form was saved
    assert not AuditMember.objects.filter(user=world.pool_auditor).exists()


def test_the_admin_cannot_change_a_pledge_or_add_training(world, login):
    client = login(world.admin)
    member = world.audit.members.get(user=world.unsigned_auditor)
    response = client.post(
        reverse("admin:audits_trainingrecord_add"),
        {
            "user": world.unsigned_auditor.pk,
            "topic": TrainingTopic.values[0],
            "completed_on": "2020-01-01",
        },
    )
    assert response.status_code == 403
    assert not TrainingRecord.objects.exists()
    member.refresh_from_db()
    assert member.pledge_signed_at is None


def test_a_pledge_cannot_be_backdated_in_code(world):
    member = world.audit.members.get(user=world.unsigned_auditor)
    member.pledge_signed_at = timezone.now() - datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        member.save()
    signed = world.audit.members.get(user=world.auditor)
    signed.pledge_signed_at -= datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        signed.save()


def test_adding_a_membership_in_the_admin_is_logged_with_who_and_to_whom(world, login):
    newcomer = make_user("newcomer@test.example")
    client = login(world.admin)
    response = client.post(
        reverse("admin:organisations_membership_add"),
        {"user": newcomer.pk, "organisation": world.performer.pk, "role": "auditor", "unit": ""},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, role="auditor").exists()
    event = SecurityEvent.objects.get(kind=Kind.ROLE_GRANTED, subject=newcomer)
    assert event.user == world.admin
    assert "auditor" in event.detail and world.performer.name in event.detail


def test_deleting_a_membership_in_the_admin_is_logged(world, login):
    membership = Membership.objects.get(user=world.pool_auditor)
    client = login(world.admin)
    response = client.post(
        reverse("admin:organisations_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = SecurityEvent.objects.get(kind=Kind.ROLE_REMOVED, subject=world.pool_auditor)
    assert event.user == world.admin


def test_a_membership_cannot_be_changed_in_place_in_the_admin(world, login):
    membership = Membership.objects.get(user=world.pool_auditor)
    client = login(world.admin)
    client.post(
        reverse("admin:organisations_membership_change", args=[membership.pk]),
        {"user": world.pool_auditor.pk, "organisation": world.performer.pk, "role": "coordinator"},
    )
    membership.refresh_from_db()
    assert membership.role == "auditor"


def test_a_client_contact_cannot_be_made_an_auditor_in_a_client_organisation(world, login):
    with pytest.raises(ValidationError):
        services.grant_membership(
            by=world.admin, user=world.client_contact, organisation=world.client, role="auditor"
        )
    client = login(world.admin)
    client.post(
        reverse("admin:organisations_membership_add"),
        {"user": world.client_contact.pk, "organisation": world.client.pk, "role": "auditor"},
    )
    assert not Membership.objects.filter(user=world.client_contact, role="auditor").exists()
    assert not SecurityEvent.objects.filter(kind=Kind.ROLE_GRANTED).exists()


def test_a_unit_contact_names_a_unit_of_the_organisation(world):
    with pytest.raises(ValidationError):
        services.grant_membership(
            by=world.admin,
            user=world.outsider,
            organisation=world.client,
            role="unit_contact",
            unit=world.other_unit,
        )


def test_only_the_organisations_coordinator_or_an_administrator_may_grant(world):
    with pytest.raises(PermissionDenied):
        services.grant_membership(
            by=world.other_coordinator,
            user=world.outsider,
            organisation=world.performer,
            role="auditor",
        )
    granted = services.grant_membership(
        by=world.org_coordinator, user=world.outsider, organisation=world.performer, role="auditor"
    )
    event = SecurityEvent.objects.get(kind=Kind.ROLE_GRANTED)
    assert (event.user, event.subject) == (world.org_coordinator, world.outsider)
    services.end_membership(by=world.org_coordinator, membership=granted)
    assert SecurityEvent.objects.filter(kind=Kind.ROLE_REMOVED, subject=world.outsider).exists()


def test_team_changes_pledges_and_training_are_logged_with_audit_and_person(world):
    audit = world.audit
    audit.phase = Phase.TEAM
    audit.save()
    member = audit_services.add_auditor(
        user=world.coordinator,
        audit=audit,
        auditor=world.pool_auditor,
        perspective="user",
        declares_not_current_user=True,
    )
    audit_services.sign_pledge(user=world.pool_auditor, audit=audit)
    audit_services.record_training(
        user=world.coordinator,
        audit=audit,
        auditor=world.pool_auditor,
        topic=TrainingTopic.values[0],
        completed_on=timezone.localdate(),
    )
    audit_services.remove_member(user=world.coordinator, audit=audit, member_id=member.pk)
    expected = [
        (Kind.ROLE_GRANTED, world.coordinator),
        (Kind.PLEDGE_SIGNED, world.pool_auditor),
        (Kind.TRAINING_RECORDED, world.coordinator),
        (Kind.ROLE_REMOVED, world.coordinator),
    ]
    events = list(SecurityEvent.objects.filter(subject=world.pool_auditor).order_by("pk"))
    assert [(e.kind, e.user) for e in events] == expected
    assert all(e.audit == audit for e in events)
