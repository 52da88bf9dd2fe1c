"""At most SUGGESTIONS_PER_HOUR suggestions per address in a clock hour, across every box.

As in collection/limits.py: counted in Django's cache under a keyed hash (HMAC with
SECRET_KEY) of the address and the hour. The address is stored nowhere, neither here nor
with the suggestion, and the count is gone after two hours.
"""

import time

from django.conf import settings
from django.core.cache import cache

from brukarrevision.lib import ratelimit

DEFAULT_PER_HOUR = 10


def per_hour() -> int:
    return int(getattr(settings, "SUGGESTIONS_PER_HOUR", DEFAULT_PER_HOUR))


def _hour() -> int:
    return int(time.time() // 3600)


def _key(request) -> str:
    return f"suggestion-sent:{ratelimit.hashed_address(request)}:{_hour()}"


def is_over(request) -> bool:
    return (cache.get(_key(request)) or 0) >= per_hour()


def first_refusal(request) -> bool:
    """True the first time this hour this address is turned away."""
    return cache.add(_key(request) + ":refused", 1, timeout=2 * 3600)


def seconds_left() -> int:
    return max(1, int((_hour() + 1) * 3600 - time.time()))


def count(request) -> None:
    ratelimit.increment(_key(request))
