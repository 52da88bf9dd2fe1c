"""Counting requests per address and clock hour without keeping the address: a keyed hash
(HMAC with SECRET_KEY) of it names a counter in Django's cache, gone after two hours. Used by
the survey links (collection/limits.py) and the suggestion boxes (suggestions/limits.py),
which name their counters and their limits."""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from brukarrevision.accounts.services import client_ip

TIMEOUT = 2 * 3600


def hashed_address(request) -> str:
    address = client_ip(request) or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def hour() -> int:
    """The clock hour a counter belongs to: part of every counter's name."""
    return int(time.time() // 3600)


def seconds_left() -> int:
    """Until the next hour, when every count starts again."""
    return max(1, int((hour() + 1) * 3600 - time.time()))


def reached(key: str, limit: int) -> bool:
    return (cache.get(key) or 0) >= limit


def increment(key: str) -> None:
    """One more under `key`."""
    if cache.add(key, 1, timeout=TIMEOUT):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=TIMEOUT)


def first_refusal(key: str) -> bool:
    """True the first time in the counter's hour that a request under `key` is turned away."""
    return cache.add(key + ":refused", 1, timeout=TIMEOUT)
