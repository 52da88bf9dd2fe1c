"""Staff of municipalities and regions sign in with their organisation's identity provider
(Entra ID, Keycloak, …) over OpenID Connect, with mozilla-django-oidc's code flow (state,
nonce and PKCE). They are matched to an existing, active account by a verified e-mail
address only; no account is made unless OIDC_CREATE_USERS is set.

The id token must be signed with OIDC_RP_SIGN_ALGO (RS256 by the provider's JWKS, or HS256
with the client secret), be meant for this client (aud) and, when OIDC_OP_ISSUER is set,
come from that issuer. Claims are the id token's, overlaid by the user-info endpoint's.
"""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from brukarrevision.accounts.models import User


def enabled() -> bool:
    return bool(
        settings.OIDC_RP_CLIENT_ID
        and settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        and settings.OIDC_OP_TOKEN_ENDPOINT
    )


def _true(value) -> bool:
    return value is True or str(value).lower() == "true"


class MunicipalBackend(OIDCAuthenticationBackend):
    """Why a sign-in was refused is left in `refusal` ("unverified", "unknown"), for the
    page to say in plain words."""

    refusal = ""
    claimed_email = ""

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id token not meant for this client")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("id token from another issuer")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        return claims

    def verify_claims(self, claims):
        # Entra ID confirms the address with `xms_edov` (the e-mail domain's owner verified
        # it); others, Keycloak among them, with the standard `email_verified`.
        self.claimed_email = str(claims.get("email") or "")[:254]
        verified = _true(claims.get("email_verified")) or _true(claims.get("xms_edov"))
        if not claims.get("email") or not verified:
            self.refusal = "unverified"
            return False
        return True

    def filter_users_by_claims(self, claims):
        users = User.objects.filter(email__iexact=claims.get("email", ""), is_active=True)
        if not users.exists() and not settings.OIDC_CREATE_USERS:
            self.refusal = "unknown"
        return users

    def create_user(self, claims):
        return User.objects.create_user(
            claims["email"], None, full_name=claims.get("name") or claims["email"]
        )
