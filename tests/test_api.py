"""The REST API: its schema, personal tokens (scopes, expiry, revocation), what a client's
token can and cannot read, the idempotent write endpoint, the token page and rate limits."""

import datetime
import hashlib
import json
import re

import pytest
import yaml
from django.core.cache import cache
from django.utils import timezone

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.api import services
from brukarrevision.api.models import ApiToken, Scope
from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Answer, Response
from brukarrevision.releases.models import Release

ALL_READ = [
    Scope.READ_AUDITS,
    Scope.READ_RESULTS,
    Scope.READ_REPORTS,
    Scope.READ_FOLLOWUP,
    Scope.READ_PORTFOLIO,
]


def person(email: str) -> User:
    return User.objects.get(email=email)


def token(email: str, scopes, days: int = 30) -> str:
    expires = timezone.localdate() + datetime.timedelta(days=days)
    _made, secret = services.create_token(
        owner=person(email), name="Test", scopes=list(scopes), expires_on=expires
    )
    return secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


def test_the_schema_is_openapi_3(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/audits/{slug}/releases/{number}/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(client, db):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attributes for attributes in scripts)  # no inline script
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    init = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(init)
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_a_token_without_the_scope_gets_403(demo_data, client):
    secret = token("bestallare@demo.example", [Scope.READ_AUDITS])
    assert client.get("/api/v1/audits/demo/", **bearer(secret)).status_code == 200
    assert client.get("/api/v1/audits/demo/releases/", **bearer(secret)).status_code == 403
    assert client.get("/api/v1/audits/demo/proposals/", **bearer(secret)).status_code == 403


def test_no_token_an_unknown_an_expired_or_a_revoked_token_gets_401(demo_data, client):
    assert client.get("/api/v1/audits/").status_code == 401
    assert client.get("/api/v1/audits/", **bearer("br_not-a-token")).status_code == 401
    expired = token("bestallare@demo.example", ALL_READ)
    ApiToken.objects.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    response = client.get("/api/v1/audits/", **bearer(expired))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    revoked = token("bestallare@demo.example", ALL_READ)
    assert client.get("/api/v1/audits/", **bearer(revoked)).status_code == 200
    made = ApiToken.objects.get(secret_digest=hashlib.sha256(revoked.encode()).hexdigest())
    services.revoke_token(user=made.owner, token=made)
    assert client.get("/api/v1/audits/", **bearer(revoked)).status_code == 401


def test_a_token_reads_only_audits_its_owner_may_see(demo_data, client):
    secret = token("region@demo.example", ALL_READ)
    listed = client.get("/api/v1/audits/", **bearer(secret)).json()
    slugs = {audit["slug"] for audit in listed["results"]}
    assert slugs == set(
        Audit.objects.filter(client__name="Region Norrtorp").values_list("slug", flat=True)
    )
    assert "demo" not in slugs
    assert client.get("/api/v1/audits/demo/", **bearer(secret)).status_code == 404
    assert client.get("/api/v1/audits/demo/releases/", **bearer(secret)).status_code == 404


def _everything(client, secret) -> list[str]:
    """Every GET endpoint for every audit the token sees, each page as text."""
    seen = []

    def get(url, refused=()):
        response = client.get(url, **bearer(secret))
        assert response.status_code in (200, *refused), url
        seen.append(response.content.decode())
        return response.json()

    audits = get("/api/v1/audits/")["results"]
    for audit in audits:
        slug = audit["slug"]
        get(f"/api/v1/audits/{slug}/")
        get(f"/api/v1/audits/{slug}/questionnaires/")
        for release in get(f"/api/v1/audits/{slug}/releases/"):
            get(f"/api/v1/audits/{slug}/releases/{release['number']}/")
        # Proposals only once the report is published, as on the pages.
        get(f"/api/v1/audits/{slug}/proposals/", refused=(403,))
    get("/api/v1/reports/")
    get("/api/v1/portfolio/")
    return seen


def test_a_clients_token_never_sees_raw_answers_and_small_groups_stay_hidden(demo_data, client):
    secret = token("bestallare@demo.example", ALL_READ)
    pages = _everything(client, secret)
    text = "\n".join(pages)
    raw = set(
        Answer.objects.filter(response__audit__slug="demo")
        .exclude(text="")
        .values_list("text", flat=True)
    )
    assert len(raw) >= 3  # the demo has free-text answers to look for
    for answer in raw:
        assert json.dumps(answer)[1:-1] not in text, answer
    assert '"decisions"' not in text
    # The release is exactly what the client's results page shows, and the small unit
    # (three answers at Träffpunkten) has no figures and no count.
    release = Release.objects.filter(audit__slug="demo").order_by("-number").first()
    shown = client.get(f"/api/v1/audits/demo/releases/{release.number}/", **bearer(secret)).json()
    assert shown["content"] == release.content
    by_unit = next(iter(shown["content"]["instruments"].values()))["breakdowns"]["unit"]
    hidden = [group for group in by_unit["groups"] if group["hidden"]]
    assert hidden and all(group["respondents"] is None for group in hidden)
    for figures in by_unit["items"].values():
        assert not {group["key"] for group in hidden} & set(figures["groups"])


def test_a_client_reads_proposals_with_their_follow_up_and_published_reports(demo_data, client):
    secret = token("bestallare@demo.example", ALL_READ)
    proposals = client.get("/api/v1/audits/demo/proposals/", **bearer(secret)).json()
    assert proposals and any(p["answer"] for p in proposals)
    assert any(p["actions"] for p in proposals)
    reports = client.get("/api/v1/reports/?audit=demo", **bearer(secret)).json()["results"]
    assert reports and reports[0]["audit"] == "demo"
    pdf = next(f for f in reports[0]["files"] if f["format"] == "pdf" and not f["easy_read"])
    download = client.get(pdf["url"].replace("http://testserver", ""))
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert hashlib.sha256(body).hexdigest() == pdf["sha256"]


def _answers(client, secret) -> tuple[dict, dict]:
    """A header and answers for the demo's questionnaire, read through the API."""
    audit = client.get("/api/v1/audits/demo/", **bearer(secret)).json()
    form = next(
        q
        for q in client.get("/api/v1/audits/demo/questionnaires/", **bearer(secret)).json()
        if q["is_current"]
    )
    answers = {}
    for item in form["items"]:
        if item["codes"]:
            value = item["codes"][0]["value"]
            answers[item["code"]] = [value] if item["kind"] == "multiple" else value
        elif item["kind"] == "number":
            answers[item["code"]] = 3
        else:
            answers[item["code"]] = "Personalen lyssnar på mig."
    unit = next(u for u in audit["units"] if u["name"].startswith("Boendestöd"))
    header = {
        "instrument": form["id"],
        "unit": unit["id"],
        "target_group": audit["target_groups"][0]["id"],
        "channel": "paper",
    }
    return header, answers


def test_the_write_endpoint_is_idempotent_by_submission_key(demo_data, client):
    secret = token("revisor@demo.example", [Scope.READ_AUDITS, Scope.WRITE_RESPONSES])
    header, answers = _answers(client, secret)
    url = "/api/v1/audits/demo/responses/"
    body = {**header, "submission_key": "surfplatta-7-0001", "answers": answers}
    before = Response.objects.count()
    first = client.post(url, body, content_type="application/json", **bearer(secret))
    assert first.status_code == 201, first.content
    again = client.post(url, body, content_type="application/json", **bearer(secret))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Response.objects.count() == before + 1
    stored = Response.objects.get(pk=first.json()["id"])
    assert stored.channel == "paper" and stored.entered_by.email == "revisor@demo.example"
    changed = dict(answers)
    text_code = next(
        code for code, value in answers.items() if value == "Personalen lyssnar på mig."
    )
    changed[text_code] = "Ett annat svar."
    conflict = client.post(
        url, {**body, "answers": changed}, content_type="application/json", **bearer(secret)
    )
    assert conflict.status_code == 409
    assert Response.objects.count() == before + 1
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SUBMISSION_CONFLICT).exists()


def test_the_write_endpoint_refuses_bad_codes_with_what_is_wrong(demo_data, client):
    secret = token("revisor@demo.example", [Scope.READ_AUDITS, Scope.WRITE_RESPONSES])
    header, answers = _answers(client, secret)
    body = {**header, "submission_key": "k-1", "answers": {**answers, "finns-inte": "1"}}
    response = client.post(
        "/api/v1/audits/demo/responses/", body, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 400 and "answers" in response.json()


def test_the_write_endpoint_refuses_another_teams_audit_and_a_client(demo_data, client):
    mine = token("revisor@demo.example", [Scope.READ_AUDITS, Scope.WRITE_RESPONSES])
    header, answers = _answers(client, mine)
    body = {**header, "submission_key": "annan-1", "answers": answers}
    url = "/api/v1/audits/demo/responses/"
    before = Response.objects.count()
    other_team = token("revisor4@demo.example", [Scope.READ_AUDITS, Scope.WRITE_RESPONSES])
    assert (
        client.post(url, body, content_type="application/json", **bearer(other_team)).status_code
        == 404
    )
    the_client = token("bestallare@demo.example", [Scope.READ_AUDITS, Scope.WRITE_RESPONSES])
    assert (
        client.post(url, body, content_type="application/json", **bearer(the_client)).status_code
        == 403
    )
    read_only = token("revisor@demo.example", [Scope.READ_AUDITS])
    assert (
        client.post(url, body, content_type="application/json", **bearer(read_only)).status_code
        == 403
    )
    assert Response.objects.count() == before


def test_the_token_page_shows_a_new_token_once_stores_only_a_hash_and_revokes(demo_data, client):
    user = person("samordnare@demo.example")
    client.force_login(user)
    session = client.session
    session["signed_in_at"] = timezone.now().timestamp()
    session.save()
    expires = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    page = client.post(
        "/accounts/api-tokens/",
        {
            "name": "Statistikverktyget",
            "scopes": ["read:audits", "read:results"],
            "expires_on": expires,
        },
    )
    assert page.status_code == 200
    secret = re.search(r'value="(br_[^"]+)"', page.content.decode()).group(1)
    made = ApiToken.objects.get(owner=user)
    assert made.secret_digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    again = client.get("/accounts/api-tokens/")
    assert secret not in again.content.decode() and "Statistikverktyget" in again.content.decode()
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.CREDENTIAL_MADE,
        detail__startswith="API token created: Statistikverktyget",
    ).exists()
    client.logout()
    assert client.get("/api/v1/audits/", **bearer(secret)).status_code == 200
    # Someone else cannot revoke it; its owner can, and then it stops working.
    client.force_login(person("bestallare@demo.example"))
    assert client.post(f"/accounts/api-tokens/{made.pk}/revoke/").status_code == 403
    client.force_login(user)
    session = client.session
    session["signed_in_at"] = timezone.now().timestamp()
    session.save()
    assert client.post(f"/accounts/api-tokens/{made.pk}/revoke/").status_code == 302
    client.logout()
    assert client.get("/api/v1/audits/", **bearer(secret)).status_code == 401
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.CREDENTIAL_REVOKED, detail__startswith="API token revoked"
    ).exists()


def test_a_token_cannot_be_valid_for_more_than_a_year(demo_data, client):
    client.force_login(person("samordnare@demo.example"))
    session = client.session
    session["signed_in_at"] = timezone.now().timestamp()
    session.save()
    too_late = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    page = client.post(
        "/accounts/api-tokens/", {"name": "X", "scopes": ["read:audits"], "expires_on": too_late}
    )
    assert page.status_code == 200 and not ApiToken.objects.exists()
    assert "error-summary" in page.content.decode() or "errorlist" in page.content.decode()


def test_too_many_requests_get_429_with_retry_after(demo_data, client, settings):
    settings.API_RATE_PER_HOUR = 3
    secret = token("bestallare@demo.example", ALL_READ)
    for _ in range(3):
        assert client.get("/api/v1/audits/", **bearer(secret)).status_code == 200
    refused = client.get("/api/v1/audits/", **bearer(secret))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_an_offline_response_is_stored_with_its_channel(demo_data, client):
    secret = token("revisor@demo.example", [Scope.READ_AUDITS, Scope.WRITE_RESPONSES])
    header, answers = _answers(client, secret)
    body = {**header, "channel": "offline", "submission_key": "odk-uuid-1", "answers": answers}
    response = client.post(
        "/api/v1/audits/demo/responses/", body, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 201, response.content
    assert Response.objects.get(pk=response.json()["id"]).channel == "offline"
