"""Hardening found by trying the site as an attacker would: lock-out that other spellings of
an address cannot get around, lock-out per sender, throttled reset mail, security headers on
every kind of page, and database connections that survive the server dropping them."""

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from brukarrevision.accounts.models import User

from .conftest import PASSWORD, make_user

LOGIN = reverse("accounts:login")


def sign_in(client, username, password=PASSWORD, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def person(db):
    return make_user("person@test.example")


@pytest.mark.parametrize(
    "spelling", ["PERSON@test.example", " person@test.example", "Person@Test.Example "]
)
def test_other_spellings_of_the_address_are_locked_out_too(client, person, settings, spelling):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "person@test.example", "wrong", ip=f"10.2.0.{number}")
    response = sign_in(client, spelling, ip="10.3.0.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_many_failures_from_one_address_lock_that_sender_out(client, person, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"someone{number}@test.example", "wrong", ip="10.4.4.4")
    assert sign_in(client, person.email, ip="10.4.4.4").status_code == 429
    assert sign_in(client, person.email, ip="10.5.5.5").status_code == 302


def test_password_reset_mail_is_limited_per_address(client, person, settings):
    for _ in range(settings.PASSWORD_RESET_LIMIT + 3):
        response = client.post(
            reverse("accounts:password_reset"), {"email": person.email}, REMOTE_ADDR="10.6.6.6"
        )
        assert response.status_code == 302  # the same answer whether mail was sent or not
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT


def test_password_reset_mail_is_limited_per_sender(db, client, settings):
    people = [
        make_user(f"p{n}@test.example") for n in range(settings.PASSWORD_RESET_LIMIT_PER_IP + 2)
    ]
    for person in people:
        client.post(
            reverse("accounts:password_reset"), {"email": person.email}, REMOTE_ADDR="10.7.7.7"
        )
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_IP


@pytest.mark.parametrize("path", ["/accounts/login/", "/s/demo/", "/public/demo/", "/"])
def test_every_kind_of_page_sends_the_security_headers(demo_data, client, path):
    response = client.get(path)
    assert response.status_code in (200, 302)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_no_template_has_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    import brukarrevision

    root = Path(brukarrevision.__file__).parent
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\son[a-z]+\s*=\s*[\"']", text), template


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_a_dropped_database_connection_costs_no_request(transactional_db):
    """PostgreSQL restarted or a connection killed between two requests: the next request
    checks its kept connection first and reconnects, instead of failing for a minute."""
    import psycopg
    from django.core.signals import request_finished, request_started

    User.objects.create_user("db@test.example", PASSWORD)
    connection.settings_dict["CONN_MAX_AGE"] = 600  # kept between requests, as in production
    try:
        request_started.send(sender=None)
        assert User.objects.count() == 1
        request_finished.send(sender=None)
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        request_started.send(sender=None)  # the next request
        assert User.objects.count() == 1
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
        connection.close()


@pytest.mark.parametrize(
    "path", ["/api/v1/reports/?audit=%00", "/security/log/?person=a%00b", "/toolbox/?q=%00"]
)
def test_a_nul_character_in_the_query_is_a_400_not_a_500(client, db, path):
    assert client.get(path).status_code == 400


def test_a_nul_character_in_a_form_field_is_a_400_not_a_500(client, db):
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
