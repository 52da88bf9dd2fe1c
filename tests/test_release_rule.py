"""The release rule against an attacker who sees every release of every audit and solves for
any combination of published figures: sums, differences, totals, complements, across time and
across audits. Respondents are modelled one by one; a published figure is the set of
respondents it counts. The attacker learns a group exactly when that group's indicator
vector lies in the span of the published vectors; the tests check that no such group has
between 1 and threshold - 1 respondents."""

import itertools
import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from brukarrevision.lib import releasing

LIMIT = 5


# The attacker -------------------------------------------------------------------------------------


def smallest_revealed(published: list[frozenset], limit: int = LIMIT) -> frozenset | None:
    """A set of fewer than `limit` (and more than 0) respondents whose figures follow from
    `published` by linear combination, or None."""
    published = [vector for vector in published if vector]
    if not published:
        return None
    people = sorted(set().union(*published))
    signature = {p: tuple(p in vector for vector in published) for p in people}
    atoms: dict[tuple, list] = {}
    for person, mark in signature.items():
        atoms.setdefault(mark, []).append(person)
    atom_list = list(atoms.values())
    matrix = np.array(
        [[1.0 if atom[0] in vector else 0.0 for atom in atom_list] for vector in published]
    )
    _u, singular, vh = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null = vh[rank:].T  # columns orthogonal to every published vector
    small = [i for i, atom in enumerate(atom_list) if len(atom) < limit]
    for size in range(1, limit):
        for chosen in itertools.combinations(small, size):
            members = sum(len(atom_list[i]) for i in chosen)
            if members >= limit:
                continue
            if null.shape[1] == 0 or np.abs(null[list(chosen)].sum(axis=0)).max() < 1e-8:
                return frozenset(p for i in chosen for p in atom_list[i])
    return None


def test_the_attacker_finds_a_group_by_subtraction():
    total = frozenset(range(24))
    big = frozenset(range(21))
    assert smallest_revealed([total, big]) == frozenset({21, 22, 23})
    assert smallest_revealed([total]) is None


# A simulated audit ----------------------------------------------------------------------------


class Audit:
    """Respondents arriving in groups (units), and the vectors each release publishes."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.members: dict[str, list] = {}
        self.table: releasing.Table | None = None
        self.published: list[frozenset] = []
        self.snapshot: dict[str, frozenset] = {}  # what each shown group counts, as released
        self.total: frozenset = frozenset()

    def answer(self, group: str, count: int) -> None:
        found = self.members.setdefault(group, [])
        start = len(found)
        found.extend(f"{self.prefix}{group}-{start + i}" for i in range(count))

    def sizes(self) -> dict:
        return {group: len(people) for group, people in self.members.items()}

    def release(self, limit: int = LIMIT) -> releasing.Outcome:
        outcome = releasing.follow(self.table, self.sizes(), limit)
        if outcome.refreshed and outcome.table.published:
            self.snapshot = {g: frozenset(self.members[g]) for g in outcome.table.sizes}
            self.total = frozenset().union(*self.snapshot.values())
            self.published.append(self.total)
            for group in outcome.table.shown():
                self.published.append(self.snapshot[group])
        self.table = outcome.table
        return outcome


steps = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(0, 4), st.integers(1, 12)),
        st.tuples(st.just("release"), st.just(0), st.just(0)),
    ),
    min_size=1,
    max_size=14,
)


def run(audit: Audit, plan, limit: int = LIMIT) -> None:
    for kind, group, count in plan:
        if kind == "answer":
            audit.answer(f"u{group}", count)
        else:
            audit.release(limit)
    audit.release(limit)


@settings(max_examples=300, deadline=None)
@given(steps, st.sampled_from([3, 5, 6]))
def test_no_sequence_of_answers_new_units_and_releases_reveals_a_small_group(plan, limit):
    audit = Audit("a")
    run(audit, plan, limit)
    assert smallest_revealed(audit.published, limit) is None


@settings(max_examples=300, deadline=None)
@given(steps)
def test_shown_groups_are_large_and_hidden_ones_together_too(plan):
    audit = Audit("a")
    run(audit, plan)
    table = audit.table
    if table is None or not table.published:
        return
    assert all(table.sizes[g] >= LIMIT for g in table.shown())
    hidden = [g for g in table.hidden]
    assert not hidden or (len(hidden) >= 2 and sum(table.sizes[g] for g in hidden) >= LIMIT)


@settings(max_examples=250, deadline=None)
@given(steps, steps, st.sets(st.integers(0, 4), min_size=1))
def test_no_pair_of_audits_and_their_comparison_reveals_a_small_group(first, second, common):
    """Two audits of partly the same units, each with its own releases, and the comparison
    of the shared units that reads both latest releases."""
    earlier, later = Audit("e"), Audit("l")
    run(earlier, first)
    run(later, second)
    shared = {f"u{g}" for g in common}
    published = earlier.published + later.published
    for audit in (earlier, later):
        population = releasing.compared_population(audit.table, shared) if audit.table else None
        if population is not None:
            published.append(frozenset().union(*(audit.snapshot[g] for g in population.keys)))
    assert smallest_revealed(published) is None


# What the earlier rule gave away ------------------------------------------------------------------


def test_re_deciding_each_release_alone_gave_a_small_unit_away():
    """The rule before releases: suppression decided afresh on each read. A unit added with
    few respondents changed which group was hidden, and subtracting the two reads revealed
    Träffpunkten's three respondents."""
    members = {"B": set(range(20)), "C": set(range(20, 26)), "T": {26, 27, 28}}
    reads = []
    for step in range(2):
        if step == 1:
            members["D"] = set(range(29, 34))
        sizes = {g: len(p) for g, p in members.items()}
        decision = releasing.first(sizes, LIMIT)  # decided afresh, as each read did
        reads.append(frozenset().union(*members.values()))
        reads.extend(frozenset(members[g]) for g in decision.shown())
    assert smallest_revealed(reads) == frozenset({26, 27, 28})


def test_the_release_rule_keeps_the_same_unit_hidden():
    audit = Audit("a")
    audit.answer("B", 20)
    audit.answer("C", 6)
    audit.answer("T", 3)
    assert audit.release().table.hidden == {"T", "C"}
    audit.answer("D", 5)
    outcome = audit.release()
    assert {"T", "C"} <= outcome.table.hidden
    assert smallest_revealed(audit.published) is None


def test_one_new_answer_keeps_the_previous_figures():
    audit = Audit("a")
    audit.answer("B", 20)
    audit.answer("T", 3)
    first = audit.release()
    audit.answer("B", 1)
    again = audit.release()
    assert not again.refreshed and again.table == first.table
    audit.answer("B", 4)
    assert audit.release().refreshed


def test_random_long_histories_stay_safe():
    """Longer histories than hypothesis draws: 60 seeds of 30 steps each."""
    for seed in range(60):
        chance = random.Random(seed)
        audit = Audit("a")
        for _step in range(30):
            if chance.random() < 0.3:
                audit.release()
            else:
                audit.answer(f"u{chance.randrange(6)}", chance.choice([1, 1, 2, 3, 5, 8]))
        assert smallest_revealed(audit.published) is None, seed
