"""Small-group suppression: the one module every output that leaves the auditors' hands uses
(client pages, exports, charts, reports, the API).

A figure computed from fewer than `threshold` respondents is never shown. Groups are the
columns of a breakdown (units, target groups, channels …) and the total is their sum, so
suppressing one small group alone would let anyone subtract it out of the total. Complementary
suppression therefore widens the hidden set until it holds at least two groups and at least
`threshold` respondents together; only their combined figure can then be derived, and that is
a figure for enough people. If no such set exists the total is hidden too.
"""

from dataclasses import dataclass

from django.conf import settings

LOWEST_ALLOWED = 3


def threshold() -> int:
    """The configured threshold (SUPPRESSION_THRESHOLD, default 5), never below 3."""
    return max(LOWEST_ALLOWED, int(getattr(settings, "SUPPRESSION_THRESHOLD", 5)))


@dataclass(frozen=True)
class Decision:
    hidden: frozenset  # keys of the groups whose figures are withheld
    total_hidden: bool
    primary: frozenset  # the groups hidden because they are small themselves

    def shows(self, key) -> bool:
        return key not in self.hidden


def decide(sizes: dict, limit: int | None = None) -> Decision:
    """`sizes` maps each group to the number of respondents its figures rest on."""
    limit = threshold() if limit is None else max(LOWEST_ALLOWED, limit)
    total = sum(sizes.values())
    if total < limit:
        return Decision(frozenset(sizes), True, frozenset(k for k, n in sizes.items() if n))
    primary = {key for key, n in sizes.items() if 0 < n < limit}
    hidden = set(primary)
    open_ = sorted((n, str(key), key) for key, n in sizes.items() if key not in hidden and n)
    while hidden and (len(hidden) < 2 or sum(sizes[k] for k in hidden) < limit):
        if not open_:
            return Decision(frozenset(sizes), True, frozenset(primary))
        hidden.add(open_.pop(0)[2])  # the smallest group that is still shown
    return Decision(frozenset(hidden), False, frozenset(primary))


def allows_quote(group_size: int, limit: int | None = None) -> bool:
    """A quote from a group smaller than the threshold is withheld."""
    limit = threshold() if limit is None else max(LOWEST_ALLOWED, limit)
    return group_size >= limit
