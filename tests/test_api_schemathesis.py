"""The API tested against its own OpenAPI schema with schemathesis: every operation with
generated requests (and the demo's real audit, releases and reports), a valid token with
every scope; no server error, every response as the schema says (status code, content
type, body, headers), and refused without the token."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi import checks

from brukarrevision.accounts.models import User
from brukarrevision.api import services
from brukarrevision.api.models import Scope
from brukarrevision.wsgi import application


@pytest.fixture
def wsgi_app():
    """Django's WSGI application inside the test's transaction: like Django's test client,
    keep each request from closing the connection that holds the demo."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def secret(demo_data, settings):
    settings.API_RATE_PER_HOUR = 1_000_000
    _token, made = services.create_token(
        owner=User.objects.get(email="samordnare@demo.example"),
        name="schemathesis",
        scopes=list(Scope.values),
        expires_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    return made


@pytest.fixture
def api_schema(demo_data, wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)


# Each operation's examples: enough to find a 5xx or a response off the schema, few enough
# that the whole file stays within about a minute after the demo has loaded.
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}


def _run(operation, mode: GenerationMode, secret: str) -> None:
    excluded = []
    if operation.method.upper() == "POST":
        # Which instrument, unit and target group ids exist cannot be said in a schema, so
        # a well-formed body with made-up ids is rightly refused with 400.
        excluded.append(checks.positive_data_acceptance)
    if mode == GenerationMode.NEGATIVE:
        # Invalid inputs must never bring a 5xx or an answer off the schema (checked), but
        # unknown query parameters are ignored, as DRF does, and the token header is always
        # sent, so a case made "invalid" only by those is valid as sent: not a rejection case.
        excluded.append(checks.negative_data_rejection)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {secret}"}, excluded_checks=excluded
        )

    run()


def test_every_operation_answers_as_its_schema_says(api_schema, secret):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:
        for mode in EXAMPLES:
            _run(operation, mode, secret)


REAL = [
    ("/api/v1/audits/", {}),
    ("/api/v1/audits/{slug}/", {"slug": "demo"}),
    ("/api/v1/audits/{slug}/questionnaires/", {"slug": "demo"}),
    ("/api/v1/audits/{slug}/releases/", {"slug": "demo"}),
    ("/api/v1/audits/{slug}/releases/{number}/", {"slug": "demo", "number": 1}),
    ("/api/v1/audits/{slug}/proposals/", {"slug": "demo"}),
    ("/api/v1/reports/", {}),
]


def test_the_demos_real_data_conforms_to_the_schema(api_schema, secret):
    for path, parameters in REAL:
        case = api_schema[path]["GET"].Case(path_parameters=parameters)
        response = case.call_and_validate(headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, path
