"""Shier's rule, as a pure function over one response's answers.

A level counts as reached at a stage when the answer for that level and stage is "yes"
("partly" counts as not yet). Per stage, the ladder reaches the highest level for which that
level and every level below it are reached: a "yes" above a gap does not count.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import questions

YES = "yes"


def reached_levels(answers: dict[str, str]) -> dict[str, int]:
    """{stage code: highest level reached with all levels below also reached} (0 = none)."""
    reached = {}
    for stage in questions.STAGES:
        level = 0
        for candidate in questions.LEVELS:
            if answers.get(questions.key(candidate.number, stage.code)) != YES:
                break
            level = candidate.number
        reached[stage.code] = level
    return reached


@dataclass(frozen=True)
class Movement:
    before: int
    after: int

    @property
    def steps(self) -> int:
        return self.after - self.before

    @property
    def arrow(self) -> str:
        return "↑" if self.steps > 0 else "↓" if self.steps < 0 else "→"

    @property
    def direction(self) -> str:
        return "up" if self.steps > 0 else "down" if self.steps < 0 else "same"

    @property
    def words(self) -> str:
        if self.steps > 0:
            return ngettext("up %(n)s step", "up %(n)s steps", self.steps) % {"n": self.steps}
        if self.steps < 0:
            n = -self.steps
            return ngettext("down %(n)s step", "down %(n)s steps", n) % {"n": n}
        return _("unchanged")


def movement(before: dict[str, int], after: dict[str, int]) -> dict[str, Movement]:
    return {
        stage.code: Movement(before.get(stage.code, 0), after.get(stage.code, 0))
        for stage in questions.STAGES
    }
