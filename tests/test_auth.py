import time

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from brukarrevision.accounts.models import SecurityEvent, SecurityPolicy
from brukarrevision.accounts.services import disable_user
from tests.conftest import PASSWORD, make_user

LOGIN = "/accounts/login/"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


@pytest.fixture
def person(db):
    return make_user("person@test.example")


def test_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user("argon@test.example")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_sign_in_starts_a_new_session_and_is_logged_without_the_password(client, person):
    client.get(LOGIN)
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    response = sign_in(client, "Person@Test.example", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != "attacker-chosen-session-key"
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN)
    assert (event.user, event.ip_address) == (person, "10.1.2.3")
    assert event.at.utcoffset().total_seconds() == 0
    assert PASSWORD not in str(SecurityEvent.objects.values_list())


def test_a_failed_sign_in_is_logged_with_who_and_from_where(client, person):
    response = sign_in(client, person.email, "wrong-password", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert (event.identifier, event.ip_address) == (person.email, "10.9.9.9")
    assert "wrong-password" not in str(SecurityEvent.objects.values_list())


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, person.email, "wrong-password")
    response = sign_in(client, person.email)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT).exists()


def test_disabling_an_account_ends_its_sessions(client, person):
    sign_in(client, person.email)
    assert Session.objects.count() == 1
    disable_user(user=person)
    assert Session.objects.count() == 0
    assert client.get("/").context["user"].is_anonymous


def test_a_session_ends_after_its_maximum_lifetime(client, person, settings):
    sign_in(client, person.email)
    session = client.session
    session["signed_in_at"] = time.time() - settings.SESSION_MAX_LIFETIME - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_sessions_expire_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def test_password_reset_sends_a_working_link(client, person):
    client.post(reverse("accounts:password_reset"), {"email": person.email})
    body = mail.outbox[0].body
    link = next(word for word in body.split() if "/password-reset/" in word)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "ett-helt-nytt-losen-99", "new_password2": "ett-helt-nytt-losen-99"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("ett-helt-nytt-losen-99")


def test_pages_for_signed_in_people_are_not_cached(world, login):
    response = login(world.coordinator).get("/")
    assert response["Cache-Control"] == "no-store"


def test_refused_access_is_logged(world, login):
    response = login(world.client_contact).get(reverse("audits:plan", args=["own"]))
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCESS_REFUSED)
    assert event.user == world.client_contact and "edit_plan" in event.detail


def test_another_tenants_audit_is_not_found_and_the_attempt_logged(world, login):
    response = login(world.other_client_contact).get(reverse("audits:audit", args=["own"]))
    assert response.status_code == 404
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.ACCESS_REFUSED, user=world.other_client_contact
    ).exists()


def test_a_required_second_factor_is_enrolled_and_then_asked_for(world, client):
    SecurityPolicy.objects.create(pk=1, require_totp_for_raw_access=True)
    sign_in(client, world.auditor.email)
    response = client.get("/")
    assert response.url == reverse("accounts:otp_setup")
    client.get(response.url)
    device = TOTPDevice.objects.get(user=world.auditor)
    response = client.post(reverse("accounts:otp_setup"), {"otp_token": "000000"})
    assert "error-summary" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows the next attempt down
    response = client.post(
        reverse("accounts:otp_setup"), {"otp_token": f"{totp(device.bin_key):06d}"}
    )
    assert response.status_code == 200 and "recovery-codes" in response.content.decode()
    assert client.get("/").status_code == 200
    # A client contact never sees raw answers and is not asked for a code.
    other = client.__class__()
    sign_in(other, world.client_contact.email)
    assert other.get("/").status_code == 200
