"""The two pages of municipal sign-in: off to the identity provider, and back from it."""

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import has_second_factor, record_event

from .backends import MunicipalBackend, enabled

# The session is signed in as with a password; the provider is not asked again per request.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
@require_GET
def start(request):
    if not enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


def _refuse(request, why: str, email: str = ""):
    record_event(
        SecurityEvent.Kind.SIGN_IN_FAILED, request=request, identifier=email, detail=f"oidc: {why}"
    )
    text = {
        "unverified": _(
            "Your organisation's sign-in did not confirm your e-mail address, so you cannot "
            "sign in with it here. Ask your organisation's IT support, or sign in with your "
            "password."
        ),
        "unknown": _(
            "There is no active account here for the e-mail address your organisation gave. "
            "Ask the coordinator you work with to add you, then try again."
        ),
    }.get(
        why,
        _("Signing in through your organisation did not work. Please try again."),
    )
    messages.error(request, text)
    return redirect(settings.LOGIN_URL)


@never_cache
@require_GET
def callback(request):
    """Back from the provider: the state must be one this browser was given (once), the
    id token must carry its nonce; then the verified e-mail address picks the account."""
    if not enabled():
        raise Http404
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if state else None
    request.session["oidc_states"] = states
    if request.GET.get("error"):
        return _refuse(request, f"provider error {request.GET['error'][:50]}")
    if entry is None or not request.GET.get("code"):
        return _refuse(request, "wrong or missing state")
    request.session.save()
    backend = MunicipalBackend()
    try:
        user = backend.authenticate(
            request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
    except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, ValueError) as error:
        return _refuse(request, f"token refused ({type(error).__name__})")
    if user is None or not user.is_active:
        return _refuse(request, backend.refusal or "no account", backend.claimed_email)
    next_url = request.session.get("oidc_login_next")
    login(request, user, backend=SESSION_BACKEND)
    # The sign-in was logged by the accounts app as it is for every sign-in: say how.
    SecurityEvent.objects.filter(
        pk=SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN, user=user)
        .order_by("-at", "-pk")
        .values("pk")[:1]
    ).update(detail="oidc")
    if settings.OIDC_TRUST_IDP_MFA:
        _trust_second_step(request, user)
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _trust_second_step(request, user) -> None:
    """OIDC_TRUST_IDP_MFA: the provider has asked for its own second factor, so the session
    counts as confirmed with the person's own authenticator (if they have set one up here;
    without one, the rules for raw answers still ask them to set it up)."""
    from django_otp import devices_for_user
    from django_otp import login as otp_login

    if not has_second_factor(user):
        return
    device = next(iter(devices_for_user(user, confirmed=True)), None)
    request.user = user
    otp_login(request, device)
