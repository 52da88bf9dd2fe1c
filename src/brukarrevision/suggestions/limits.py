"""At most SUGGESTIONS_PER_HOUR suggestions per address in a clock hour, across every box.

As in collection/limits.py: counted in Django's cache under a keyed hash (HMAC with
SECRET_KEY) of the address and the hour. The address is stored nowhere, neither here nor
with the suggestion, and the count is gone after two hours.
"""

from django.conf import settings

from brukarrevision.lib import ratelimit

DEFAULT_PER_HOUR = 10


def per_hour() -> int:
    return int(getattr(settings, "SUGGESTIONS_PER_HOUR", DEFAULT_PER_HOUR))


def _key(request) -> str:
    return f"suggestion-sent:{ratelimit.hashed_address(request)}:{ratelimit.hour()}"


def is_over(request) -> bool:
    return ratelimit.reached(_key(request), per_hour())


def first_refusal(request) -> bool:
    """True the first time this hour this address is turned away."""
    return ratelimit.first_refusal(_key(request))


seconds_left = ratelimit.seconds_left


def count(request) -> None:
    ratelimit.increment(_key(request))
