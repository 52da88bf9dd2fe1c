"""What the demo shows of security (issue 12, acceptance 4): a person who signs in in two
steps with recovery codes, a link with one-time answer codes, an audit with a retention date,
and the security log's review page with a warning."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from brukarrevision.accounts.models import User
from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import AnswerCode, Distribution
from brukarrevision.core import demo, demo_security

pytestmark = pytest.mark.django_db


def sign_in(email) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_the_two_step_auditor_signs_in_with_a_recovery_code_once(demo_data):
    client = sign_in(demo_security.TWO_STEP_EMAIL)
    assert client.get("/").status_code == 302  # the code is asked for first
    verify = reverse("accounts:otp_verify")
    code = demo_security.RECOVERY_CODES[0]
    assert client.post(verify, {"otp_token": code}).status_code == 302
    assert client.get("/").status_code == 200
    again = sign_in(demo_security.TWO_STEP_EMAIL)
    assert again.post(verify, {"otp_token": code}).status_code == 200  # used up: refused


def test_the_two_step_auditor_signs_in_with_the_readme_key(demo_data):
    device = TOTPDevice.objects.get(user__email=demo_security.TWO_STEP_EMAIL)
    client = sign_in(demo_security.TWO_STEP_EMAIL)
    response = client.post(
        reverse("accounts:otp_verify"), {"otp_token": f"{totp(device.bin_key):06d}"}
    )
    assert response.status_code == 302


def test_the_demo_has_codes_a_retention_date_and_a_log_warning(demo_data):
    assert Distribution.objects.filter(requires_code=True, audit__slug="demo").exists()
    assert AnswerCode.objects.filter(used=False).exists()
    assert Audit.objects.get(slug="demo").retention_until is not None
    admin = Client()
    admin.force_login(User.objects.get(email="admin@demo.example"))
    page = admin.get("/security/log/").content.decode()
    assert "203.0.113.45" in page


def test_the_readme_lists_the_demos_recovery_codes_and_key():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    assert demo_security.TWO_STEP_EMAIL in readme
    assert demo_security.TOTP_KEY_BASE32 in readme
    assert all(code in readme for code in demo_security.RECOVERY_CODES)
