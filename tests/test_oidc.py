"""Municipal sign-in over OpenID Connect against a fake identity provider in the test: the
authorization code flow with state, nonce and PKCE, an id token signed with HS256 (the
client secret) or RS256 (a key published as JWKS), and the user-info endpoint."""

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django_otp.plugins.otp_totp.models import TOTPDevice

from brukarrevision.accounts.models import SecurityEvent, User

ISSUER = "https://idp.asby.example"
SECRET = "klienthemlighet-som-bara-testet-kanner-till-1234567890"


class FakeResponse:
    def __init__(self, data, status=200, url=""):
        self.data, self.status_code, self.url = data, status, url
        self.headers = {"content-type": "application/json"}
        self.text = json.dumps(data)

    def json(self):
        return self.data

    def raise_for_status(self):
        if self.status_code >= 400:
            import requests

            raise requests.HTTPError(str(self.status_code))


class FakeProvider:
    """An identity provider with one signed-in person at a time (`claims`)."""

    def __init__(self, algorithm="HS256"):
        self.algorithm = algorithm
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.claims: dict = {}
        self.userinfo: dict = {}
        self.nonce_override = None

    def authorize(self, url: str) -> str:
        """The person signs in at the provider, which sends the browser back with a code."""
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        assert url.startswith(f"{ISSUER}/authorize?")
        assert query["response_type"] == "code" and query["client_id"] == "brukarrevision"
        assert query["code_challenge_method"] == "S256" and query["nonce"]
        code = f"code-{len(self.codes)}"
        self.codes[code] = query
        return code, query["state"]

    def post(self, url, data=None, **kwargs):
        assert url == f"{ISSUER}/token"
        asked = self.codes.pop(data["code"], None)
        if asked is None or data["client_secret"] != SECRET:
            return FakeResponse({"error": "invalid_grant"}, 400, url)
        verifier = data["code_verifier"].encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        assert challenge.decode() == asked["code_challenge"]
        now = int(time.time())
        token = {
            "iss": ISSUER,
            "aud": "brukarrevision",
            "sub": "abc-123",
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce_override or asked["nonce"],
            **self.claims,
        }
        if self.algorithm == "HS256":
            id_token = jwt.encode(token, SECRET, algorithm="HS256")
        else:
            id_token = jwt.encode(token, self.key, algorithm="RS256", headers={"kid": "k1"})
        return FakeResponse({"id_token": id_token, "access_token": "at", "token_type": "Bearer"})

    def get(self, url, headers=None, **kwargs):
        if url == f"{ISSUER}/jwks":
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            return FakeResponse({"keys": [{**public, "kid": "k1", "alg": "RS256", "use": "sig"}]})
        assert url == f"{ISSUER}/userinfo" and headers["Authorization"] == "Bearer at"
        return FakeResponse(self.userinfo)


@pytest.fixture
def provider(settings, monkeypatch):
    settings.OIDC_RP_CLIENT_ID = "brukarrevision"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{ISSUER}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = None
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_PROVIDER_NAME = "Åsby kommun"
    fake = FakeProvider()
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", fake.post)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", fake.get)
    return fake


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def as_person(fake, email, verified=True, where="userinfo"):
    claims = {"email": email, "email_verified": verified, "name": "Birgitta"}
    fake.claims = claims if where == "id_token" else {}
    fake.userinfo = claims if where == "userinfo" else {}


def sign_in(client, fake, state=None):
    start = client.get("/oidc/login/")
    assert start.status_code == 302
    code, given_state = fake.authorize(start["Location"])
    return client.get("/oidc/callback/", {"code": code, "state": state or given_state})


def signed_in_user(client):
    return client.get("/").wsgi_request.user


def test_the_sign_in_page_offers_the_provider_only_when_it_is_set_up(world, english, settings):
    assert "Sign in with" not in english.get("/accounts/login/").content.decode()
    settings.OIDC_RP_CLIENT_ID = "brukarrevision"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token"
    settings.OIDC_PROVIDER_NAME = "Åsby kommun"
    page = english.get("/accounts/login/").content.decode()
    assert "Sign in with Åsby kommun" in page and 'href="/oidc/login/' in page


def test_without_configuration_the_oidc_pages_do_not_exist(world, client):
    assert client.get("/oidc/login/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_a_municipal_user_signs_in_through_the_provider_and_lands_on_the_start_page(
    world, provider, english
):
    as_person(provider, "Client_Contact@test.example")
    response = sign_in(english, provider)
    assert response.status_code == 302 and response["Location"] == "/"
    home = english.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    assert "Welcome, client_contact" in page and "Own audit" in page
    assert home.wsgi_request.user == world.client_contact
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN).latest("at")
    assert event.user == world.client_contact and event.detail == "oidc"


def test_rs256_with_the_providers_jwks_and_claims_in_the_id_token(
    world, provider, english, settings
):
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{ISSUER}/jwks"
    settings.OIDC_OP_USER_ENDPOINT = ""
    provider.algorithm = "RS256"
    as_person(provider, world.unit_contact.email, where="id_token")
    assert sign_in(english, provider)["Location"] == "/"
    assert signed_in_user(english) == world.unit_contact


def test_an_unverified_email_is_refused_with_a_message(world, provider, english):
    as_person(provider, world.client_contact.email, verified=False)
    response = sign_in(english, provider)
    assert response["Location"] == "/accounts/login/"
    page = english.get(response["Location"]).content.decode()
    assert "did not confirm your e-mail address" in page
    assert not signed_in_user(english).is_authenticated
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert event.detail == "oidc: unverified" and event.identifier == world.client_contact.email


def test_an_unknown_or_disabled_email_is_refused_and_no_account_is_made(world, provider, english):
    as_person(provider, "ny.person@asby.example")
    page = english.get(sign_in(english, provider)["Location"]).content.decode()
    assert "There is no active account here" in page
    assert not User.objects.filter(email="ny.person@asby.example").exists()
    world.other_client_contact.is_active = False
    world.other_client_contact.save()
    as_person(provider, world.other_client_contact.email)
    sign_in(english, provider)
    assert not signed_in_user(english).is_authenticated


def test_a_wrong_state_is_refused(world, provider, english):
    as_person(provider, world.client_contact.email)
    response = sign_in(english, provider, state="forged-state")
    assert response["Location"] == "/accounts/login/"
    assert "did not work" in english.get("/accounts/login/").content.decode()
    assert not signed_in_user(english).is_authenticated
    assert SecurityEvent.objects.filter(detail="oidc: wrong or missing state").exists()


def test_a_state_cannot_be_used_twice(world, provider, english):
    as_person(provider, world.client_contact.email)
    start = english.get("/oidc/login/")
    code, state = provider.authorize(start["Location"])
    assert english.get("/oidc/callback/", {"code": code, "state": state})["Location"] == "/"
    english.post("/accounts/logout/")
    again = english.get("/oidc/callback/", {"code": code, "state": state})
    assert again["Location"] == "/accounts/login/"


def test_a_token_with_another_nonce_is_refused(world, provider, english):
    as_person(provider, world.client_contact.email)
    provider.nonce_override = "someone-elses-nonce"
    assert sign_in(english, provider)["Location"] == "/accounts/login/"
    assert not signed_in_user(english).is_authenticated


def test_a_token_for_another_client_is_refused(world, provider, english, settings):
    as_person(provider, world.client_contact.email)
    provider.claims = {"aud": "another-app"}
    assert sign_in(english, provider)["Location"] == "/accounts/login/"


def test_two_step_sign_in_still_applies_unless_the_provider_is_trusted(
    world, provider, english, settings
):
    TOTPDevice.objects.create(user=world.client_contact, name="app", confirmed=True)
    as_person(provider, world.client_contact.email)
    sign_in(english, provider)
    assert english.get("/")["Location"].startswith("/accounts/two-step/verify/")
    english.post("/accounts/logout/")
    settings.OIDC_TRUST_IDP_MFA = True
    sign_in(english, provider)
    assert english.get("/").status_code == 200
