"""A person's own data (GDPR articles 15 and 17): the administrator exports everything held
about one person, without anyone else's data or any respondent's answer, and erases a person
by anonymising the account so that the audit history stays whole. Both are logged."""

import io
import json
import zipfile

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.messages import get_messages
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from brukarrevision.accounts import personal_data
from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.accounts.services import record_event
from brukarrevision.analysis.models import Coding
from brukarrevision.audits.models import Audit, AuditMember, Phase, PhaseTransition, TrainingRecord
from brukarrevision.collection.models import Answer
from brukarrevision.followup.models import Follower
from brukarrevision.organisations.models import Membership
from brukarrevision.reports.models import ReportVersion

from .conftest import PASSWORD, make_user

CHANGELIST = reverse("admin:accounts_user_changelist")
AUDITOR = "revisor@demo.example"
LOGIN = reverse("accounts:login")


def people(*names):
    return [User.objects.get(email=f"{name}@demo.example") for name in names]


def as_admin(client, admin, language="en"):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def run_action(client, action, people, **extra):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [p.pk for p in people], **extra}
    )


def read_export(response) -> tuple[str, dict, str]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    raw = archive.read("data.json").decode()
    return raw, json.loads(raw), archive.read("README.txt").decode()


def shown_messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# Export (article 15) -------------------------------------------------------------------------


def test_the_export_holds_the_auditors_roles_training_and_log_but_nobody_elses_data(
    demo_data, client
):
    admin, auditor, coordinator = people("admin", "revisor", "samordnare")
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.SIGN_IN,
        user=auditor,
        identifier=auditor.email,
        ip_address="192.0.2.7",
    )
    record_event(
        SecurityEvent.Kind.ROLE_GRANTED,
        user=coordinator,
        subject=auditor,
        detail=f"auditor, granted by {coordinator.email}",
    )

    response = run_action(as_admin(client, admin), "export_personal_data", [auditor])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    raw, data, readme = read_export(response)
    assert "data.json" in readme
    assert data["account"]["email"] == AUDITOR and data["account"]["name"] == "Rami Revisor"
    assert "Brukarkraft Väst" in [m["organisation"] for m in data["memberships"]]
    demo_role = next(r for r in data["audit_roles"] if r["audit"].startswith("Brukarrevision av b"))
    assert demo_role["confidentiality_pledge_signed"]
    assert len(data["training"]) == TrainingRecord.objects.filter(user=auditor).count() >= 1
    own_sign_in = [e for e in data["security_events"] if e["ip_address"] == "192.0.2.7"]
    assert own_sign_in and own_sign_in[0]["part"] == "actor"
    grant = next(e for e in data["security_events"] if "granted by" in e["detail"])
    assert grant["part"] == "concerned" and grant["ip_address"] is None
    assert grant["detail"] == "auditor, granted by …"
    sections = {s["section"]: s for s in data["made_or_written"]}
    assert (
        sections["report_versions"]["count"]
        == ReportVersion.objects.filter(made_by=auditor).count()
    )
    assert sections["report_versions"]["count"] > 0 and sections["codings"]["items"]

    for other in User.objects.exclude(pk=auditor.pk):
        assert other.email not in raw and other.full_name not in raw
    texts = list(Answer.objects.exclude(text="").values_list("text", flat=True))
    texts += list(Coding.objects.values_list("passage", flat=True))
    assert texts
    for text in texts:
        assert text not in raw

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERSONAL_DATA_EXPORTED)
    assert event.user == admin and event.subject == auditor


def test_the_export_is_for_one_person_at_a_time_and_for_administrators_only(demo_data, client):
    admin, auditor, coordinator = people("admin", "revisor", "samordnare")
    response = run_action(as_admin(client, admin), "export_personal_data", [auditor, coordinator])
    assert response.status_code == 302
    assert "exactly one person" in shown_messages(response)

    staff = make_user("staff@test.example", is_staff=True)
    staff.user_permissions.set(
        auth.models.Permission.objects.filter(content_type__app_label="accounts")
    )
    response = run_action(as_admin(client, staff), "export_personal_data", [auditor])
    assert response.get("Content-Type") != "application/zip"
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA_EXPORTED).exists()


# Erasure (article 17) ------------------------------------------------------------------------


def test_erasure_anonymises_the_person_keeps_the_audit_history_and_is_logged(demo_data, client):
    admin, auditor = people("admin", "revisor")
    auditor.phone = "070-123 45 67"
    auditor.save()
    old_email, old_name = auditor.email, auditor.full_name
    demo_audit = AuditMember.objects.filter(user=auditor).first().audit
    Follower.objects.create(audit=demo_audit, email=old_email)
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.SIGN_IN, user=auditor, identifier=old_email, ip_address="192.0.2.7"
    )
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED, identifier=old_email, ip_address="192.0.2.8"
    )
    events_before = SecurityEvent.objects.filter(user=auditor).count()
    versions = set(ReportVersion.objects.filter(made_by=auditor).values_list("pk", flat=True))
    transitions = PhaseTransition.objects.count()
    team_roles = AuditMember.objects.filter(user=auditor).count()
    assert versions and team_roles
    as_admin(client, admin)

    page = run_action(client, "erase_person", [auditor])
    assert page.status_code == 200
    html = page.content.decode()
    assert old_email in html and "anonymous placeholder" in html
    assert f"Deleted user #{auditor.pk}" in html

    wrong = run_action(client, "erase_person", [auditor], confirm_email="someone@else.example")
    assert wrong.status_code == 200 and 'aria-invalid="true"' in wrong.content.decode()
    assert User.objects.get(pk=auditor.pk).email == old_email

    done = run_action(client, "erase_person", [auditor], confirm_email=old_email.upper())
    assert done.status_code == 302

    person = User.objects.get(pk=auditor.pk)
    assert person.full_name == f"Deleted user #{person.pk}"
    assert person.email == f"erased-{person.pk}@invalid" and person.phone == ""
    assert not person.is_active and not person.has_usable_password()
    assert not User.objects.filter(
        Q(email__iexact=old_email) | Q(full_name__icontains=old_name) | Q(phone="070-123 45 67")
    ).exists()
    assert not SecurityEvent.objects.filter(
        Q(identifier__icontains=old_email) | Q(detail__icontains=old_email)
    ).exists()
    assert not SecurityEvent.objects.filter(ip_address__in=["192.0.2.7", "192.0.2.8"]).exists()
    assert SecurityEvent.objects.filter(user=person).count() == events_before

    assert not Membership.objects.filter(user=person).exists()
    assert not TrainingRecord.objects.filter(user=person).exists()
    assert not Follower.objects.filter(email__iexact=old_email).exists()
    assert (
        set(ReportVersion.objects.filter(made_by=person).values_list("pk", flat=True)) == versions
    )
    assert PhaseTransition.objects.count() == transitions
    assert AuditMember.objects.filter(user=person).count() == team_roles

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERSON_ERASED)
    assert event.user == admin and event.subject == person
    assert event.identifier == person.full_name

    client.logout()
    for address in (old_email, person.email):
        sign_in = client.post(LOGIN, {"username": address, "password": PASSWORD})
        assert sign_in.status_code == 200 and "_auth_user_id" not in client.session


def test_the_coordinator_of_an_open_audit_cannot_be_erased_until_it_has_another(demo_data, client):
    admin, coordinator = people("admin", "samordnare")
    coordinated = Audit.objects.filter(
        members__user=coordinator, members__role=AuditMember.Role.COORDINATOR
    )
    assert coordinated.exclude(phase=Phase.CLOSED).exists()

    response = run_action(as_admin(client, admin), "erase_person", [coordinator])

    assert response.status_code == 302
    message = shown_messages(response)
    assert "new coordinator" in message
    for audit in coordinated.exclude(phase=Phase.CLOSED):
        assert audit.title in message
    coordinator.refresh_from_db()
    assert coordinator.is_active and coordinator.email == "samordnare@demo.example"
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSON_ERASED).exists()

    coordinated.update(phase=Phase.CLOSED)
    page = run_action(client, "erase_person", [coordinator])
    assert page.status_code == 200 and "confirm_email" in page.content.decode()


def test_the_last_active_administrator_and_ones_own_account_are_not_erased(demo_data, client):
    admin, coordinator = people("admin", "samordnare")
    assert User.objects.filter(is_superuser=True, is_active=True).count() == 1
    with (
        translation.override("en"),
        pytest.raises(personal_data.ErasureRefused, match="only active administrator"),
    ):
        personal_data.erase_person(person=admin, by=coordinator)

    response = run_action(as_admin(client, admin), "erase_person", [admin])
    assert response.status_code == 302
    assert "your own account" in shown_messages(response)
    admin.refresh_from_db()
    assert admin.is_active and admin.is_superuser and admin.email == "admin@demo.example"


def test_an_accounts_pool_records_are_exported_and_erased_with_it(demo_data):
    """The right of access and the right to erasure cover the person's record in a pool of
    auditors too, not only the account."""
    from brukarrevision.pool.models import PoolMember

    member = PoolMember.objects.filter(user__isnull=False, erased_at__isnull=True).first()
    person = member.user
    member.phone, member.availability = "070-765 43 21", "Tisdagar och torsdagar"
    member.save()
    admin = User.objects.filter(is_superuser=True).first()

    exported = personal_data.build_export(person)["pool_records"]
    assert [(r["phone"], r["availability"]) for r in exported] == [
        ("070-765 43 21", "Tisdagar och torsdagar")
    ]
    assert exported[0]["organisation"] == member.organisation.name
    assert "pool_records" in personal_data.readme_text(person)

    personal_data.erase_person(person=person, by=admin)
    member.refresh_from_db()
    assert member.user is None and member.erased_at is not None
    assert (member.phone, member.email, member.availability, member.experience) == ("",) * 4
    assert member.full_name == f"Erased person #{member.pk}"
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERSON_ERASED, subject=person)
    assert "1 pool records anonymised" in event.detail
