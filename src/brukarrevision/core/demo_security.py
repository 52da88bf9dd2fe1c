"""The demo's security side: an auditor who signs in in two steps, with the authenticator's
key and the ten recovery codes printed in the README, and a security log with sign-in
failures and raw exports enough for the review page to warn."""

import datetime

from django.utils import timezone

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.organisations.models import Membership, Organisation

TWO_STEP_EMAIL = "tvasteg@demo.example"
# Base32 for an authenticator app (the README says how to add it); the same key as hex.
TOTP_KEY_BASE32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
RECOVERY_CODES = [f"demokod{n:02d}" for n in range(1, 11)]


def load(password: str) -> None:
    _two_step_auditor(password)
    _log()


def _two_step_auditor(password: str) -> None:
    import base64

    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, created = User.objects.get_or_create(
        email=TWO_STEP_EMAIL, defaults={"full_name": "Tove Tvåsteg"}
    )
    if not created:
        return
    user.set_password(password)
    user.save()
    Membership.objects.get_or_create(
        user=user,
        organisation=Organisation.objects.get(name="Brukarkraft Väst"),
        role=Membership.Role.AUDITOR,
    )
    key = base64.b32decode(TOTP_KEY_BASE32).hex()
    TOTPDevice.objects.create(user=user, name="Authenticator", key=key, confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in RECOVERY_CODES)


def _log() -> None:
    """Twelve failed sign-ins from one address in the last hours (a warning on the review
    page), and a few ordinary events around them."""
    now = timezone.now()
    kinds = SecurityEvent.Kind
    events = [
        SecurityEvent(
            kind=kinds.SIGN_IN_FAILED,
            identifier="okand@example.com",
            ip_address="203.0.113.45",
            path="/accounts/login/",
            at=now - datetime.timedelta(minutes=7 * n),
        )
        for n in range(12)
    ]
    coordinator = User.objects.get(email="samordnare@demo.example")
    events += [
        SecurityEvent(
            kind=kinds.SIGN_IN,
            user=coordinator,
            identifier=coordinator.email,
            ip_address="192.0.2.10",
            path="/accounts/login/",
            at=now - datetime.timedelta(hours=3),
        ),
        SecurityEvent(
            kind=kinds.SIGN_IN_FAILED,
            identifier="revisor@demo.example",
            ip_address="192.0.2.22",
            path="/accounts/login/",
            at=now - datetime.timedelta(days=1, hours=2),
        ),
    ]
    SecurityEvent.objects.bulk_create(events)
