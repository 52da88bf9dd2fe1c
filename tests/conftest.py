"""Personas set up once: two performers, two client tenants, and one person per role."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from brukarrevision.accounts.models import User
from brukarrevision.audits.models import Audit, AuditMember, Offer, Phase
from brukarrevision.organisations.models import Membership, Organisation, Unit

PASSWORD = "ett-bra-losenord-42"


@dataclass
class World:
    performer: Organisation
    other_performer: Organisation
    client: Organisation
    other_client: Organisation
    unit: Unit
    other_unit: Unit
    audit: Audit
    other_audit: Audit
    offer: Offer
    people: dict[str, User]

    def __getattr__(self, name):
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_user(email: str, **fields) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0], **fields)


def member(user, organisation, role, unit=None):
    return Membership.objects.create(user=user, organisation=organisation, role=role, unit=unit)


@pytest.fixture
def world(db) -> World:
    performer = Organisation.objects.create(name="Brukarkraft", kind="performer")
    other_performer = Organisation.objects.create(name="Annan förening", kind="performer")
    client = Organisation.objects.create(name="Åsby kommun", kind="municipality")
    other_client = Organisation.objects.create(name="Region Norr", kind="region")
    unit = Unit.objects.create(
        client=client, name="Boendestöd", service_type="social_services", municipality="Åsby"
    )
    other_unit = Unit.objects.create(
        client=other_client, name="BUP Norr", service_type="child_youth", municipality="Norr"
    )
    people = {
        name: make_user(f"{name}@test.example")
        for name in [
            "coordinator",
            "org_coordinator",
            "auditor",
            "unsigned_auditor",
            "pool_auditor",
            "client_contact",
            "unit_contact",
            "other_client_contact",
            "other_unit_contact",
            "other_coordinator",
            "outsider",
        ]
    }
    people["admin"] = make_user("admin@test.example", is_staff=True, is_superuser=True)
    member(people["coordinator"], performer, Membership.Role.COORDINATOR)
    member(people["org_coordinator"], performer, Membership.Role.COORDINATOR)
    for name in ["auditor", "unsigned_auditor", "pool_auditor"]:
        member(people[name], performer, Membership.Role.AUDITOR)
    member(people["client_contact"], client, Membership.Role.CLIENT_CONTACT)
    member(people["unit_contact"], client, Membership.Role.UNIT_CONTACT, unit)
    member(people["other_client_contact"], other_client, Membership.Role.CLIENT_CONTACT)
    member(people["other_unit_contact"], other_client, Membership.Role.UNIT_CONTACT, other_unit)
    member(people["other_coordinator"], other_performer, Membership.Role.COORDINATOR)

    audit = Audit.objects.create(
        slug="own", title="Own audit", performer=performer, client=client, phase=Phase.INSTRUMENTS
    )
    audit.units.set([unit])
    now = timezone.now()
    AuditMember.objects.create(
        audit=audit, user=people["coordinator"], role="coordinator", pledge_signed_at=now
    )
    AuditMember.objects.create(
        audit=audit,
        user=people["auditor"],
        role="auditor",
        declared_not_current_user_at=now,
        pledge_signed_at=now,
    )
    AuditMember.objects.create(
        audit=audit,
        user=people["unsigned_auditor"],
        role="auditor",
        declared_not_current_user_at=now,
    )
    other_audit = Audit.objects.create(
        slug="other",
        title="Other audit",
        performer=other_performer,
        client=other_client,
        phase=Phase.INSTRUMENTS,
    )
    other_audit.units.set([other_unit])
    AuditMember.objects.create(
        audit=other_audit,
        user=people["other_coordinator"],
        role="coordinator",
        pledge_signed_at=now,
    )
    offer = Offer.objects.create(performer=performer, title="Hösten", places=2)
    return World(
        performer,
        other_performer,
        client,
        other_client,
        unit,
        other_unit,
        audit,
        other_audit,
        offer,
        people,
    )


TEST_SETTINGS = {
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    # Argon2 is slow by design; tests that check hashing ask for it themselves.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
}


@pytest.fixture(autouse=True)
def _quiet_mail(settings):
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        session = client.session
        session["signed_in_at"] = timezone.now().timestamp()
        session.save()
        return client

    return _login


APPLICATION_ANSWERS = {
    "purpose": "Veta vad brukarna tycker.",
    "anchoring": "Cheferna har beslutat.",
    "recruitment": "Personalen informerar.",
    "use_of_results": "Nämnden tar upp rapporten.",
    "participation": "Brukarrådet deltar.",
    "follow_up": "Efter sex månader.",
}


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo, loaded once per test module inside a transaction that is rolled back when
    the module is done; each test runs in its own savepoint within it."""
    from django.db import transaction
    from django.test import override_settings

    from brukarrevision.core import demo

    with django_db_blocker.unblock(), override_settings(**TEST_SETTINGS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo.load()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo_data(demo_module, db):
    """The demo audits, people and answers, fresh for each test."""
