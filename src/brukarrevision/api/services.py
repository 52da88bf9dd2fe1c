"""Every write of the API app: personal tokens made and revoked (both logged), and paper
or offline responses sent by a program, stored through the same service as every other
response."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.models import Audit
from brukarrevision.collection import services as collection_services
from brukarrevision.collection.forms import PaperAnswersForm, PaperHeaderForm
from brukarrevision.collection.models import Channel, Response
from brukarrevision.permissions import Action, may_manage_api_token, may_use_api

from .models import LONGEST_VALIDITY_DAYS, TOKEN_PREFIX, ApiToken, Scope, digest

# How often the "last used" stamp is written: not on every request.
USE_STAMP_INTERVAL = datetime.timedelta(minutes=1)


def entry_channels() -> list[str]:
    """Channels a program may enter responses for: paper forms typed in elsewhere, and
    offline collection once the project has that channel. Never web or interview."""
    return [value for value in Channel.values if value in ("paper", "offline")]


# Tokens ----------------------------------------------------------------------------------


@transaction.atomic
def create_token(
    *, owner, name: str, scopes: list[str], expires_on: datetime.date, request=None
) -> tuple[ApiToken, str]:
    """A new token and its secret. The secret is returned once and never stored."""
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the token a name.")
    unknown = [scope for scope in scopes if scope not in Scope.values]
    if not scopes or unknown:
        errors["scopes"] = _("Choose at least one scope.")
    today = timezone.localdate()
    if expires_on is None or expires_on < today:
        errors["expires_on"] = _("Choose a date from today on.")
    elif expires_on > today + datetime.timedelta(days=LONGEST_VALIDITY_DAYS):
        errors["expires_on"] = _("A token is valid for at most one year.")
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ordered = [scope for scope in Scope.values if scope in scopes]
    token = ApiToken.objects.create(
        owner=owner,
        name=name,
        hint=secret[:10],
        secret_digest=digest(secret),
        scopes=ordered,
        expires_on=expires_on,
    )
    record_event(
        SecurityEvent.Kind.CREDENTIAL_MADE,
        request=request,
        user=owner,
        subject=owner,
        detail=f"API token created: {name} ({token.hint}…); scopes {', '.join(ordered)}; "
        f"valid through {expires_on.isoformat()}",
    )
    return token, secret


@transaction.atomic
def revoke_token(*, user, token: ApiToken, request=None) -> ApiToken:
    if not may_manage_api_token(user, token):
        raise PermissionDenied("revoke api token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            SecurityEvent.Kind.CREDENTIAL_REVOKED,
            request=request,
            user=user,
            subject=token.owner,
            detail=f"API token revoked: {token.name} ({token.hint}…)",
        )
    return token


def token_for(secret: str) -> ApiToken | None:
    """The token a secret belongs to, whatever its state; None for no token at all."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    return ApiToken.objects.select_related("owner").filter(secret_digest=digest(secret)).first()


def note_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_STAMP_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# Responses -------------------------------------------------------------------------------


class Conflict(Exception):
    """The same submission key came back with something else."""


def _stored_key(audit: Audit, key: str) -> str:
    """Keys are the sender's own: kept apart per audit and from every other channel's keys,
    so no sender can reach a response of another audit by guessing its key."""
    return "api-" + hashlib.sha256(f"{audit.pk}:{key}".encode()).hexdigest()[:60]


def _as_text(value) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return "" if value is None else str(value)


def _checked(audit: Audit, data: dict) -> tuple[dict, dict]:
    """The header and the answers, checked as the paper form's page checks them."""
    header = PaperHeaderForm(
        {
            "instrument": data.get("instrument"),
            "unit": data.get("unit"),
            "target_group": data.get("target_group"),
            "language": data.get("language") or "sv",
            "respondent": data.get("respondent") or Response.Respondent.SELF,
            "paper_number": data.get("paper_number") or "",
        },
        audit=audit,
    )
    errors = {name: list(found) for name, found in header.errors.items()}
    if data.get("channel") not in entry_channels():
        errors["channel"] = [_("Choose one of: %(list)s") % {"list": ", ".join(entry_channels())}]
    if errors:
        raise ValidationError(errors)
    instrument = header.cleaned_data["instrument"]
    raw = data.get("answers") or {}
    answers = PaperAnswersForm(
        {code: _as_text(v) for code, v in raw.items()}, instrument=instrument
    )
    problems = {}
    unknown = sorted(set(raw) - set(answers.fields))
    if unknown:
        problems["answers"] = [
            _("No question with the code %(codes)s.") % {"codes": ", ".join(unknown)}
        ]
    if not answers.is_valid():
        problems.update({code: list(found) for code, found in answers.errors.items()})
    if problems:
        raise ValidationError(problems)
    return header.cleaned_data, answers.answers()


def submit_response(*, user, token, audit: Audit, data: dict) -> tuple[Response, bool]:
    """One paper or offline response sent by a program: (response, created). The same key
    with the same content gives the stored response again; the same key with other
    content raises Conflict (and the conflict is logged).

    Not wrapped in one transaction on purpose: the response is stored atomically by
    `collection.services.submit_response`, and a refused resend must stay in the security
    log rather than roll back with the refusal."""
    if not may_use_api(user, token, Scope.WRITE_RESPONSES, Action.ENTER_RESPONSES, audit):
        raise PermissionDenied(Action.ENTER_RESPONSES)
    header, answers = _checked(audit, data)
    paper_number = header["paper_number"].strip()
    if data["channel"] == Channel.PAPER:
        collection_services._refuse_other_form_with_same_number(audit, paper_number, answers)
    try:
        response, created = collection_services.submit_response(
            instrument=header["instrument"],
            unit=header["unit"],
            target_group=header["target_group"],
            channel=data["channel"],
            language=header["language"],
            respondent=header["respondent"],
            answers=answers,
            submission_key=_stored_key(audit, data["submission_key"]),
            entered_by=user,
            paper_number=paper_number,
        )
    except collection_services.SubmissionConflict:
        raise Conflict(data["submission_key"]) from None
    same = (
        response.instrument_id == header["instrument"].pk
        and response.unit_id == header["unit"].pk
        and response.target_group_id == header["target_group"].pk
        and response.channel == data["channel"]
        and response.respondent == header["respondent"]
    )
    if not created and not same:
        record_event(
            SecurityEvent.Kind.SUBMISSION_CONFLICT,
            user=user,
            audit=audit,
            detail=f"API resend with another unit, group or channel, audit {audit.slug}",
        )
        raise Conflict(data["submission_key"])
    return response, created
