"""One-time answer codes: a link that needs one takes one answer per code.

The codes name no one. They are printed on paper invitations that the coordinator hands out,
and only a keyed digest of each is stored (HMAC-SHA256 with SECRET_KEY and the distribution),
with whether it has been used: not when, nor by which response. A code is used up in the same
transaction as the response is stored, so a double submit or two browsers with the same code
store one response for it; an answer left unfinished leaves its code unused.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.permissions import Action, can

from .models import AnswerCode, Distribution

# No 0/O, 1/I/L: nothing that reads as something else on paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
MAX_AT_ONCE = 500


class CodeRefused(Exception):
    """The code typed is not one of the link's codes, or it has been used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "missing", "wrong" or "used"


def normalise(typed: str) -> str:
    """Letter case, dashes and spaces do not matter."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def shown(code: str) -> str:
    """The code as printed: two groups of four, e.g. K7QX-M4TR."""
    return f"{code[:4]}-{code[4:]}"


def digest(distribution: Distribution, typed: str) -> str:
    message = f"{distribution.pk}:{normalise(typed)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


@transaction.atomic
def make_codes(*, user, distribution: Distribution, count: int, request=None) -> list[str]:
    """Make `count` new codes for the link and return them as printed. This is the only time
    they exist in plain text: they cannot be shown again."""
    if not can(user, Action.MANAGE_COLLECTION, distribution.audit):
        raise PermissionDenied(Action.MANAGE_COLLECTION)
    if not 1 <= count <= MAX_AT_ONCE:
        raise ValueError(count)
    taken = set(distribution.answer_codes.values_list("digest", flat=True))
    codes: dict[str, str] = {}
    while len(codes) < count:
        code = new_code()
        key = digest(distribution, code)
        if key not in taken and key not in codes:
            codes[key] = code
    AnswerCode.objects.bulk_create(
        AnswerCode(distribution=distribution, digest=key) for key in codes
    )
    record_event(
        SecurityEvent.Kind.ANSWER_CODES_MADE,
        request=request,
        user=user,
        audit=distribution.audit,
        detail=f"{count} codes, distribution {distribution.pk}",
    )
    return [shown(code) for code in codes.values()]


@transaction.atomic
def set_required(*, user, distribution: Distribution, required: bool) -> Distribution:
    if not can(user, Action.MANAGE_COLLECTION, distribution.audit):
        raise PermissionDenied(Action.MANAGE_COLLECTION)
    distribution.requires_code = required
    distribution.save(update_fields=["requires_code"])
    return distribution


def check(distribution: Distribution, typed: str) -> str:
    """The digest of a code that may start an answer, or CodeRefused. Nothing is used up."""
    if not normalise(typed):
        raise CodeRefused("missing")
    key = digest(distribution, typed)
    found = AnswerCode.objects.filter(distribution=distribution, digest=key).first()
    if found is None:
        raise CodeRefused("wrong")
    if found.used:
        raise CodeRefused("used")
    return key


def use(distribution: Distribution, key: str) -> None:
    """Use the code up, inside the transaction that stores the response. One conditional
    update: of two submits with the same code, only one finds it unused."""
    if not key:
        raise CodeRefused("missing")
    updated = AnswerCode.objects.filter(distribution=distribution, digest=key, used=False).update(
        used=True
    )
    if updated != 1:
        raise CodeRefused("used")


def counts(distribution: Distribution) -> dict:
    made = distribution.answer_codes.count()
    used = distribution.answer_codes.filter(used=True).count()
    return {"made": made, "used": used, "unused": made - used}
