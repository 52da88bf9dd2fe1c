from django.contrib.sessions.models import Session
from django.db import transaction

from .models import SecurityEvent, User, UserSession


def client_ip(request) -> str | None:
    """The address the request came from. Behind a proxy, the proxy sets REMOTE_ADDR
    (gunicorn's --forwarded-allow-ips); we never trust a client-sent header here."""
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record_event(
    kind: str, *, request=None, user=None, identifier: str = "", detail: str = ""
) -> SecurityEvent:
    """Log a security event: who, what, when (UTC, by USE_TZ) and from where. No secrets."""
    if user is not None and not identifier:
        identifier = user.email
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        identifier=identifier[:254],
        ip_address=client_ip(request),
        path=(request.path[:500] if request is not None else ""),
        detail=detail[:500],
    )


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
