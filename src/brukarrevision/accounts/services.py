from django.contrib.sessions.models import Session
from django.db import transaction

from .models import SecurityEvent, User, UserSession


def client_ip(request) -> str | None:
    """The address the request came from. Behind a proxy, the proxy sets REMOTE_ADDR
    (gunicorn's --forwarded-allow-ips); we never trust a client-sent header here."""
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record_event(
    kind: str,
    *,
    request=None,
    user=None,
    identifier: str = "",
    detail: str = "",
    audit=None,
    subject=None,
) -> SecurityEvent:
    """Log a security event: who, what, when (UTC, by USE_TZ) and from where, and where it
    applies the audit and the person it concerned (to whom a role was granted). No secrets."""
    if user is not None and not identifier:
        identifier = user.email
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        identifier=identifier[:254],
        ip_address=client_ip(request),
        path=(request.path[:500] if request is not None else ""),
        detail=detail[:500],
        audit=audit,
        subject=subject if subject is not None and subject.pk else None,
    )


def refuse_unseen(request, what: str):
    """Answer 404 to someone who may not even know that `what` exists (one tenant must not
    learn of another's records), and log the refusal: a 404 page logs nothing. (A plain 403,
    PermissionDenied, is logged by the 403 page.)"""
    from django.http import Http404

    record_event(SecurityEvent.Kind.ACCESS_REFUSED, request=request, user=request.user, detail=what)
    raise Http404


def remember_session(*, user: User, session_key: str) -> None:
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def end_sessions(*, user: User) -> int:
    """End every session of `user` (used when an account is disabled)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def disable_user(*, user: User, by: User | None = None, request=None) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_event(
        SecurityEvent.Kind.ACCOUNT_DISABLED,
        request=request,
        user=user,
        detail=f"by {by.email}" if by else "",
    )


# Two-step sign-in ----------------------------------------------------------------------------

RECOVERY_CODES = 10


def has_second_factor(user) -> bool:
    from django_otp import devices_for_user

    return any(True for _device in devices_for_user(user, confirmed=True))


@transaction.atomic
def enrol_authenticator(*, request, device) -> list[str]:
    """Confirm a new authenticator app in place of any earlier one, and give fresh one-time
    recovery codes (shown once). The caller has checked the current second factor."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    record_event(SecurityEvent.Kind.SECOND_FACTOR_ENROLLED, request=request, user=user)
    return codes


@transaction.atomic
def remove_second_factor(*, request, user, by=None) -> None:
    """Remove every authenticator and recovery code. By the user (after confirming the
    current second factor) or by an administrator, which is logged and told to the user."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if by is not None and by != user:
        record_event(
            SecurityEvent.Kind.SECOND_FACTOR_RESET,
            request=request,
            user=by,
            detail=f"two-step sign-in reset for {user.email}",
        )
        _tell_about_reset(user)
    else:
        record_event(SecurityEvent.Kind.SECOND_FACTOR_REMOVED, request=request, user=user)


def _tell_about_reset(user) -> None:
    from django.core.mail import send_mail
    from django.utils.translation import gettext as _

    send_mail(
        _("Two-step sign-in was reset on your account"),
        _(
            "An administrator has reset two-step sign-in on your account. If you did not ask "
            "for this, tell your coordinator at once. Next time you sign in, you set up the "
            "app again."
        ),
        None,
        [user.email],
    )


# Sign-in and password reset limits -----------------------------------------------------------


def sign_in_name(request, credentials=None) -> str:
    """The e-mail address a sign-in attempt is counted against: trimmed and in lower case,
    so "Anna@X.se" and " anna@x.se" count as the same address."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()


def may_send_password_reset(request, email: str) -> bool:
    """At most PASSWORD_RESET_LIMIT mails an hour to one address and
    PASSWORD_RESET_LIMIT_PER_IP from one sender, counted from the security log."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - timedelta(hours=1)
    recent = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_RESET, at__gte=since)
    to_address = recent.filter(identifier__iexact=email.strip()).count()
    ip = client_ip(request)
    from_sender = recent.filter(ip_address=ip).count() if ip else 0
    return to_address < settings.PASSWORD_RESET_LIMIT and from_sender < (
        settings.PASSWORD_RESET_LIMIT_PER_IP
    )
