"""A frozen instrument never changes (a change makes a new version), so what respondents
need of it is read from the database once per process and kept, keyed by the instrument's id
and the moment it was frozen. An instrument still being built is always read afresh."""

from collections.abc import Callable
from typing import TypeVar

from .models import Instrument

T = TypeVar("T")
KEEP_AT_MOST = 256
_kept: dict[tuple, object] = {}


def remember(instrument: Instrument, what: str, compute: Callable[[Instrument], T]) -> T:
    if instrument.frozen_at is None:
        return compute(instrument)
    key = (instrument.pk, instrument.frozen_at, what)
    if key not in _kept:
        if len(_kept) >= KEEP_AT_MOST:
            _kept.clear()
        _kept[key] = compute(instrument)
    return _kept[key]
