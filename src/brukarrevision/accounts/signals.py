from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import SecurityEvent, User
from .services import end_sessions, record_event, remember_session


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    request.session["signed_in_at"] = timezone.now().timestamp()
    if not request.session.session_key:
        request.session.save()
    remember_session(user=user, session_key=request.session.session_key)
    record_event(SecurityEvent.Kind.SIGN_IN, request=request, user=user)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(SecurityEvent.Kind.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    identifier = str(credentials.get("username") or credentials.get("email") or "")
    record_event(SecurityEvent.Kind.SIGN_IN_FAILED, request=request, identifier=identifier)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    record_event(SecurityEvent.Kind.LOCKED_OUT, request=request, identifier=username or "")


@receiver(post_save, sender=User)
def end_sessions_of_disabled(sender, instance: User, **kwargs):
    if not instance.is_active:
        end_sessions(user=instance)
