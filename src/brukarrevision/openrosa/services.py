"""Every write of the OpenRosa edge: app passwords, signing Collect in, and answers sent from
Collect stored as responses through collection/services.py, like paper and web answers."""

import base64
import binascii
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.accounts.services import client_ip, record_event
from brukarrevision.collection import services as collection_services
from brukarrevision.collection.models import Channel, Response
from brukarrevision.instruments import languages, respondent
from brukarrevision.instruments.models import Instrument, Item
from brukarrevision.permissions import may_collect_offline, may_have_app_passwords

from . import instances, selectors, xforms
from .models import AppPassword

# Letters and digits that cannot be mistaken for one another when typed on a phone.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 5, 4  # about 99 bits


class Refused(Exception):
    """A submission this server will not store; the message says why, in plain words."""


class UnknownForm(Refused):
    pass


class TooManyAttempts(Exception):
    pass


# App passwords ---------------------------------------------------------------------------


def _digest(secret: str) -> str:
    typed = "".join(ch for ch in secret.lower() if ch.isalnum())
    return hmac.new(settings.SECRET_KEY.encode(), typed.encode(), hashlib.sha256).hexdigest()


def new_secret() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join(groups)


@transaction.atomic
def make_app_password(*, user, label: str, request=None, secret: str = "") -> tuple:
    """A new app password for ODK Collect, returned once with its secret (shown once)."""
    if not may_have_app_passwords(user):
        raise PermissionDenied("app passwords")
    secret = secret or new_secret()
    verified = bool(getattr(user, "is_verified", lambda: False)())
    made = AppPassword.objects.create(
        user=user, label=label.strip()[:80], digest=_digest(secret), made_verified=verified
    )
    record_event(
        SecurityEvent.Kind.CREDENTIAL_MADE,
        request=request,
        user=user,
        subject=user,
        detail=f"ODK app password made: {made.label}",
    )
    return made, secret


@transaction.atomic
def revoke_app_password(*, user, app_password: AppPassword, request=None) -> None:
    if app_password.user_id != user.pk and not user.is_superuser:
        raise PermissionDenied("app passwords")
    if app_password.revoked_at is not None:
        return
    app_password.revoked_at = timezone.now()
    app_password.save(update_fields=["revoked_at"])
    record_event(
        SecurityEvent.Kind.CREDENTIAL_REVOKED,
        request=request,
        user=user,
        subject=app_password.user,
        detail=f"ODK app password revoked: {app_password.label}",
    )


# Signing Collect in ----------------------------------------------------------------------


def _failures_key(request, email: str) -> str:
    who = f"{client_ip(request) or '-'}|{email.lower()}"
    hashed = hmac.new(settings.SECRET_KEY.encode(), who.encode(), hashlib.sha256).hexdigest()
    return f"odk-failed:{hashed[:32]}"


def _count_failure(request, email: str) -> None:
    key = _failures_key(request, email)
    timeout = settings.ODK_LOCKOUT_MINUTES * 60
    if not cache.add(key, 1, timeout=timeout):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=timeout)
    record_event(
        SecurityEvent.Kind.SIGN_IN_FAILED,
        request=request,
        identifier=email,
        detail="ODK app password",
    )


def _credentials(request) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        text = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    email, _sep, password = text.partition(":")
    return email.strip(), password


def sign_in(request) -> User | None:
    """The interviewer an HTTP Basic header names, if the password is one of their active
    app passwords; never the main password. Wrong passwords are logged and counted per
    address and e-mail: after ODK_FAILURE_LIMIT within ODK_LOCKOUT_MINUTES, TooManyAttempts
    (right or wrong) until the time has passed. Without any header: None, nothing logged
    (Collect first asks without credentials)."""
    found = _credentials(request)
    if found is None:
        return None
    email, password = found
    if (cache.get(_failures_key(request, email)) or 0) >= settings.ODK_FAILURE_LIMIT:
        raise TooManyAttempts(email)
    app_password = (
        AppPassword.objects.filter(digest=_digest(password), revoked_at__isnull=True)
        .select_related("user")
        .first()
        if email and password
        else None
    )
    user = app_password.user if app_password else None
    if user is None or user.email != email.lower() or not user.is_active:
        _count_failure(request, email)
        return None
    AppPassword.objects.filter(pk=app_password.pk).update(last_used_at=timezone.now())
    # For the "second factor for raw answers" rule: as verified as the session that made it.
    user.is_verified = lambda: app_password.made_verified
    return user


# Submissions -----------------------------------------------------------------------------


def _submission_key(instance_id: str) -> str:
    key = f"odk:{instance_id}"
    if len(key) > 64:
        key = "odk:" + hashlib.sha256(instance_id.encode()).hexdigest()[:56]
    return key


def _answers(instrument: Instrument, values: dict, language: str) -> dict:
    """The instance's values by item code, read like a web respondent's answers and checked
    by the same form (choices, numbers, conditions and required questions)."""
    items = {item.code: item for item in respondent.answerable_items(instrument)}
    data = MultiValueDict()
    for name, raw in values.items():
        item = items.get(name)
        raw = raw.strip()
        if item is None or not item.answers_anything() or not raw:
            continue
        kind = Item.Kind.RATING if item.is_row else item.kind
        if kind == Item.Kind.MULTIPLE:
            data.setlist(name, raw.split())
        elif kind == Item.Kind.RATING:
            data[name] = xforms.special_names(item).get(raw, raw)
        else:
            data[name] = raw
    form = respondent.ResponseForm(data, instrument=instrument, lang=language)
    if not form.is_valid():
        problems = "; ".join(
            f"{code}: {' '.join(str(m) for m in messages)}"
            for code, messages in form.errors.items()
        )
        raise Refused(_("Some answers could not be read: %(problems)s") % {"problems": problems})
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}


def receive_submission(*, user, data: bytes) -> tuple[Response, bool]:
    """Store one instance sent from ODK Collect as a response on the offline channel, once
    per instance id: the same instance again returns the stored response (created False);
    the same id with other answers raises collection.services.SubmissionConflict (logged).

    Not wrapped in a transaction of its own: submit_response stores in one, and a conflict
    must leave its entry in the security log."""
    try:
        instance = instances.parse(data)
    except instances.NotAnInstance:
        raise Refused(_("This is not a form submission this server can read.")) from None
    if instance.deprecated_id:
        raise Refused(_("Edited submissions are not taken. Send the changes as a new form."))
    instrument = selectors.questionnaire(instance.form_id)
    if instrument is None:
        raise UnknownForm(_("This server has no such form."))
    audit = instrument.audit
    if not may_collect_offline(user, audit):
        raise PermissionDenied("collect offline")
    names = xforms.build(instrument).names
    about = {what: instance.values.get(names[what], "").strip() for what in xforms.ABOUT}
    units, groups = xforms.audience(instrument)
    unit = _one_of(units, about["unit"], audit.units.all())
    group = _one_of(groups, about["target_group"], audit.target_groups.all())
    if unit is None or group is None:
        raise Refused(_("Choose a unit and a target group of the audit."))
    who = about["respondent"] or Response.Respondent.SELF
    language = about["language"] or languages.PLAIN
    if who not in Response.Respondent.values or language not in instrument.languages:
        raise Refused(_("Who answered or the language version is not one of the form's."))
    return collection_services.submit_response(
        instrument=instrument,
        unit=unit,
        target_group=group,
        channel=Channel.OFFLINE,
        language=language,
        answers=_answers(instrument, instance.values, language),
        submission_key=_submission_key(instance.instance_id),
        respondent=who,
        entered_by=user,
    )


def _one_of(offered: list, value: str, queryset):
    """The unit or target group chosen on the form's first page, if the form offers it; the
    only one when the form offered one and the value is missing."""
    ids = [pk for pk, _name in offered]
    if not value and len(ids) == 1:
        value = str(ids[0])
    if not value.isdigit() or int(value) not in ids:
        return None
    return queryset.filter(pk=int(value)).first()
