"""Suppression that holds over time and across outputs: the rule each release applies to
each breakdown (by unit, target group, channel …) of an audit's results.

A breakdown splits the respondents into groups. What people outside the team can work out
from one breakdown, over every release, are the shown groups, the total, and the hidden
groups together (the total less the shown ones). Each release adds to each of these a
*block*: the respondents who arrived since the figures were last computed. Every figure ever
published is a sum of blocks, and blocks do not overlap, so subtracting figures (two
releases, a total and its parts) yields exactly the unions of blocks and nothing finer. The
rule is therefore: **every block is empty or holds at least `limit` respondents.**

- The first time, groups under the limit are hidden (primary) and more groups join them,
  smallest first, until the hidden ones number at least two and `limit` respondents together
  (complementary). If even the total is under the limit, nothing is published.
- Later, a hidden group stays hidden. A shown group that gained fewer than `limit` new
  respondents joins the hidden ones; if the hidden groups together gained fewer than
  `limit`, more shown groups join them (those with the fewest new respondents first). If
  nothing can make every block empty or large enough, the breakdown keeps the figures of
  its previous release unchanged.

docs/suppression.md gives the threat model and why this holds; tests/test_releases.py
checks it with an attacker who solves for every combination of published figures.
"""

from dataclasses import dataclass, field

PRIMARY = "primary"  # the group itself has fewer respondents than the limit
COMPLEMENTARY = "complementary"  # hidden so that a smaller group cannot be worked out
KEPT = "kept"  # hidden in an earlier release, so hidden in every later one
FEW_NEW = "few_new"  # gained fewer new respondents than the limit since it was last shown


@dataclass(frozen=True)
class Table:
    """One breakdown as published: respondents per group (at the time its figures were
    computed), which groups are hidden and why, and whether anything is published."""

    sizes: dict = field(default_factory=dict)
    hidden: frozenset = frozenset()
    reasons: dict = field(default_factory=dict)
    published: bool = False

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def shown(self) -> list:
        return [key for key in self.sizes if key not in self.hidden] if self.published else []


@dataclass(frozen=True)
class Outcome:
    table: Table
    refreshed: bool  # False: the previous release's figures are kept unchanged


def first(sizes: dict, limit: int) -> Table:
    """The first publication of a breakdown."""
    sizes = {key: n for key, n in sizes.items() if n > 0}
    if sum(sizes.values()) < limit:
        return Table(sizes, frozenset(sizes), {key: PRIMARY for key in sizes}, False)
    reasons = {key: PRIMARY for key, n in sizes.items() if n < limit}
    _fill_pool(sizes, reasons, {key: 0 for key in sizes}, limit)
    return Table(sizes, frozenset(reasons), reasons, True)


def follow(previous: Table | None, sizes: dict, limit: int) -> Outcome:
    """The next publication of a breakdown whose last published state is `previous`."""
    sizes = {key: n for key, n in sizes.items() if n > 0}
    if previous is None or not previous.published:
        return Outcome(first(sizes, limit), True)
    arrivals = {key: n - previous.sizes.get(key, 0) for key, n in sizes.items()}
    if any(n < 0 for n in arrivals.values()) or set(previous.sizes) - set(sizes):
        raise ValueError("responses were removed since the previous release")
    if not any(arrivals.values()):
        return Outcome(previous, False)
    reasons = {key: PRIMARY if sizes[key] < limit else KEPT for key in previous.hidden}
    for key, n in sizes.items():
        if key not in previous.sizes and n < limit:
            reasons[key] = PRIMARY
        elif key not in reasons and 0 < arrivals[key] < limit:
            reasons[key] = FEW_NEW
    if not _fill_block(sizes, reasons, arrivals, limit):
        return Outcome(previous, False)
    _fill_pool(sizes, reasons, arrivals, limit)
    return Outcome(Table(sizes, frozenset(reasons), reasons, True), True)


def _fill_block(sizes: dict, reasons: dict, arrivals: dict, limit: int) -> bool:
    """Hide more groups until the hidden ones gained nothing or at least `limit`."""
    block = sum(arrivals[key] for key in reasons)
    while 0 < block < limit:
        growing = sorted(
            (arrivals[key], str(key), key) for key in sizes if key not in reasons and arrivals[key]
        )
        if not growing:
            return False
        key = growing[0][2]
        reasons[key] = COMPLEMENTARY
        block += arrivals[key]
    return True


def _fill_pool(sizes: dict, reasons: dict, arrivals: dict, limit: int) -> None:
    """Hide more groups until the hidden ones are none, or two or more with at least `limit`
    respondents together. Only groups whose new respondents are none or enough are left to
    choose from, so the hidden groups' block stays empty or large enough."""
    while reasons and (len(reasons) < 2 or sum(sizes[key] for key in reasons) < limit):
        open_ = sorted((sizes[key], str(key), key) for key in sizes if key not in reasons)
        if not open_:
            return
        reasons[open_[0][2]] = COMPLEMENTARY


# Comparing two audits -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Population:
    """Whose figures an audit contributes to a comparison: the shown groups `keys`, or the
    whole audit (`whole=True`) when a common group is hidden in it."""

    keys: tuple
    whole: bool


def compared_population(table: Table, common: set) -> Population | None:
    """The smallest published population of one audit that holds the groups both audits
    covered: their sum if every one of them is shown, else the audit's total. A group hidden
    in the audit is never shown beside a total, so nothing new can be subtracted: every
    figure of a comparison is already a figure (or a sum of figures) of a release."""
    if not table.published:
        return None
    present = [key for key in table.sizes if key in common]
    if not present:
        return None
    if set(present) == set(table.sizes) or any(key in table.hidden for key in present):
        return Population(tuple(table.sizes), True)
    return Population(tuple(present), False)
