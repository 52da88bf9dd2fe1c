import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import OneTimeCodeForm, SignInForm
from .models import SecurityEvent
from .services import (
    enrol_authenticator,
    has_second_factor,
    may_send_password_reset,
    record_event,
    remove_second_factor,
)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        allowed = may_send_password_reset(self.request, email)
        record_event(
            SecurityEvent.Kind.PASSWORD_RESET,
            request=self.request,
            identifier=email,
            detail="" if allowed else "not sent: too many requests within an hour",
        )
        if not allowed:  # the same page either way: nobody learns whether it was sent
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def _verify_first(request):
    """Someone who already has a second factor proves it before changing it: a password
    alone must never be enough to replace it."""
    messages.info(
        request, _("First confirm with a code from your app or one of your recovery codes.")
    )
    return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Add an authenticator app: show a QR code and the key, confirm with a first code; then
    show the one-time recovery codes once."""
    if has_second_factor(request.user) and not request.user.is_verified():
        return _verify_first(request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="app", confirmed=False)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.token()):
            codes = enrol_authenticator(request=request, device=device)
            otp_login(request, device)
            return render(request, "accounts/otp_recovery.html", {"codes": codes})
        record_event(SecurityEvent.Kind.SECOND_FACTOR_FAILED, request=request, user=request.user)
        form.add_error("otp_token", _("The code did not match. Try the newest code."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(
                qr.svg_inline(scale=5, title=_("QR code for the authenticator app"))
            ),
            "secret": _group(device.bin_key),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_remove(request):
    """Turn two-step sign-in off: only after confirming the current second factor."""
    if not has_second_factor(request.user):
        return redirect("core:home")
    if not request.user.is_verified():
        return _verify_first(request)
    if request.method == "POST":
        remove_second_factor(request=request, user=request.user)
        messages.success(request, _("Two-step sign-in is off for your account."))
        return redirect("core:home")
    return render(request, "accounts/otp_remove.html")


def _group(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.token())
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        record_event(SecurityEvent.Kind.SECOND_FACTOR_FAILED, request=request, user=request.user)
        form.add_error("otp_token", _("The code did not match. Try the newest code."))
    return render(request, "accounts/otp_verify.html", {"form": form})


def _safe_next(request) -> str:
    """Where to go after verifying: the asked-for page on this site, never another host."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else reverse("core:home")
