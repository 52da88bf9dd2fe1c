import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from brukarrevision.permissions import sees_raw_answers_somewhere

from .models import SecurityPolicy
from .services import has_second_factor


class SessionLifetimeMiddleware:
    """End a session that has lasted longer than SESSION_MAX_LIFETIME, however active.
    (Inactivity is handled by SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get("signed_in_at", 0)
            if time.time() - started > settings.SESSION_MAX_LIFETIME:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SecondFactorMiddleware:
    """People who have set up two-step sign-in, and (when the administrator requires it)
    everyone who can see raw answers, confirm a one-time code before they reach any page
    but the second-factor pages."""

    ALLOWED_PREFIXES = ("/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_verify(request):
            has_device = has_second_factor(request.user)
            target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
            return redirect(target)
        return self.get_response(request)

    def _must_verify(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return False
        allowed = (
            reverse("accounts:otp_setup"),
            reverse("accounts:otp_verify"),
            reverse("accounts:otp_remove"),
            reverse("accounts:logout"),
        )
        if request.path in allowed or request.path.startswith(self.ALLOWED_PREFIXES):
            return False
        if SecurityPolicy.current().require_totp_for_raw_access and sees_raw_answers_somewhere(
            user
        ):
            return True
        # Whoever has set up two-step sign-in uses it, whether or not it is required.
        return has_second_factor(user)
