"""Two-step sign-in cannot be replaced or removed with the password alone; recovery codes
work once; an administrator's reset is logged and told; `next` never leaves the site."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from brukarrevision.accounts.models import SecurityEvent, SecurityPolicy

from .conftest import PASSWORD

SETUP, VERIFY, REMOVE = (
    reverse("accounts:otp_setup"),
    reverse("accounts:otp_verify"),
    reverse("accounts:otp_remove"),
)


def sign_in(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def code(device) -> str:
    device.refresh_from_db()
    device.throttle_reset()
    return f"{totp(device.bin_key):06d}"


def enrol(client, user) -> list[str]:
    """Set up an authenticator app; returns the recovery codes shown."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(SETUP, {"otp_token": code(device)}).content.decode()
    return re.findall(r"<li><code>(\w+)</code></li>", page)


@pytest.fixture
def enrolled(world, client):
    """The auditor with an app and recovery codes, signed out again."""
    codes = enrol(sign_in(client, world.auditor), world.auditor)
    client.post(reverse("accounts:logout"))
    return codes


def test_setting_up_the_app_shows_ten_recovery_codes_once(world, client):
    codes = enrol(sign_in(client, world.auditor), world.auditor)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SECOND_FACTOR_ENROLLED, user=world.auditor
    ).exists()


def test_the_password_alone_cannot_enrol_a_new_app(world, client, enrolled):
    sign_in(client, world.auditor)
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    attacker_device = TOTPDevice(user=world.auditor, name="evil", confirmed=False)
    attacker_device.save()
    response = client.post(SETUP, {"otp_token": code(attacker_device)})
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=world.auditor, confirmed=True).count() == 1
    assert not TOTPDevice.objects.get(pk=attacker_device.pk).confirmed


def test_the_password_alone_cannot_turn_two_step_off(world, client, enrolled):
    sign_in(client, world.auditor)
    response = client.post(REMOVE)
    assert response.url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=world.auditor, confirmed=True).exists()


def test_a_recovery_code_lets_you_in_once_and_then_replace_the_app(world, client, enrolled):
    SecurityPolicy.objects.create(pk=1, require_totp_for_raw_access=True)
    sign_in(client, world.auditor)
    assert client.get("/").url == VERIFY
    response = client.post(VERIFY, {"otp_token": enrolled[0]})
    assert response.status_code == 302
    assert not StaticToken.objects.filter(token=enrolled[0]).exists()
    new_codes = enrol(client, world.auditor)  # verified now: a new app may replace the old
    assert len(new_codes) == 10 and enrolled[1] not in new_codes
    assert TOTPDevice.objects.filter(user=world.auditor, confirmed=True).count() == 1


def test_turning_two_step_off_after_a_code_is_logged(world, client, enrolled):
    sign_in(client, world.auditor)
    client.post(VERIFY, {"otp_token": enrolled[0]})
    client.post(REMOVE)
    assert not TOTPDevice.objects.filter(user=world.auditor).exists()
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SECOND_FACTOR_REMOVED, user=world.auditor
    ).exists()


def test_an_administrators_reset_is_logged_and_the_person_told(world, client, enrolled):
    client.force_login(world.admin)
    mail.outbox.clear()
    changelist = reverse("admin:accounts_user_changelist")
    response = client.post(
        changelist, {"action": "reset_second_factor", "_selected_action": [world.auditor.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.auditor).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SECOND_FACTOR_RESET)
    assert event.user == world.admin and world.auditor.email in event.detail
    assert mail.outbox and mail.outbox[0].to == [world.auditor.email]


def test_devices_cannot_be_deleted_in_the_admin_without_a_trace(world, client):
    client.force_login(world.admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "http:evil.example", "javascript:alert(1)"],
)
def test_after_verifying_next_never_leads_off_the_site(world, client, enrolled, target):
    sign_in(client, world.auditor)
    response = client.post(f"{VERIFY}?next={target}", {"otp_token": enrolled[0]})
    assert response.status_code == 302 and response.url == reverse("core:home")


def test_after_verifying_next_leads_to_a_page_on_the_site(world, client, enrolled):
    sign_in(client, world.auditor)
    response = client.post(f"{VERIFY}?next=/offers/", {"otp_token": enrolled[0]})
    assert response.url == "/offers/"
