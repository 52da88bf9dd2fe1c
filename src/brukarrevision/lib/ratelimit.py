"""Counting requests per address without keeping the address: a keyed hash (HMAC with
SECRET_KEY) of it names a counter in Django's cache, gone after two hours. Used by the survey
links (collection/limits.py) and the suggestion boxes (suggestions/limits.py)."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from brukarrevision.accounts.services import client_ip

TIMEOUT = 2 * 3600


def hashed_address(request) -> str:
    address = client_ip(request) or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def increment(key: str) -> None:
    """One more under `key`."""
    if cache.add(key, 1, timeout=TIMEOUT):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=TIMEOUT)
