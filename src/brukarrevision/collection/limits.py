"""At most SURVEY_SUBMISSIONS_PER_HOUR stored answers per address and link in a clock hour.

Counted in Django's cache (shared by every app server when CACHE_URL names Redis), under a
keyed hash of the address (HMAC with SECRET_KEY) and the hour: the address itself is stored
nowhere, neither here nor with the response, and the count is gone after two hours.
"""

from django.conf import settings

from brukarrevision.lib import ratelimit

from .models import Distribution

DEFAULT_PER_HOUR = 20


def per_hour() -> int:
    return int(getattr(settings, "SURVEY_SUBMISSIONS_PER_HOUR", DEFAULT_PER_HOUR))


def _key(request, distribution: Distribution) -> str:
    hashed = ratelimit.hashed_address(request)
    # The link's moment of making is part of the key, so a link made anew (with a reused id)
    # starts from nothing.
    link = f"{distribution.pk}-{int(distribution.created_at.timestamp())}"
    return f"survey-sent:{link}:{hashed}:{ratelimit.hour()}"


def is_over(request, distribution: Distribution) -> bool:
    """Whether this address has already sent as many answers this hour as are allowed."""
    return ratelimit.reached(_key(request, distribution), per_hour())


def first_refusal(request, distribution: Distribution) -> bool:
    """True the first time this hour this address is turned away from this link."""
    return ratelimit.first_refusal(_key(request, distribution))


seconds_left = ratelimit.seconds_left


def count(request, distribution: Distribution) -> None:
    """One more stored answer from this address to this link in this hour."""
    ratelimit.increment(_key(request, distribution))


# Wrong answer codes: a few typing slips are normal; many from one address are guessing.
WRONG_CODES_PER_HOUR = 10


def _wrong_key(request, distribution: Distribution) -> str:
    return _key(request, distribution).replace("survey-sent:", "survey-wrong-code:", 1)


def too_many_wrong_codes(request, distribution: Distribution) -> bool:
    return ratelimit.reached(_wrong_key(request, distribution), WRONG_CODES_PER_HOUR)


def count_wrong_code(request, distribution: Distribution) -> None:
    ratelimit.increment(_wrong_key(request, distribution))
