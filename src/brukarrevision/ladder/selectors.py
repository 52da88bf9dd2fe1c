"""Reads of the participation ladder: a unit's rounds, a round's result per perspective (drawn
as a ladder), and the movement since the round before.

For the certification (or any page about a unit):

    from brukarrevision.ladder.selectors import rounds_for_unit, latest_summary
    {% load ladder_tags %}{% ladder_summary unit %}      (renders ladder/includes/summary.html)
or  {% include "ladder/includes/summary.html" with ladder_summary=summary %}
    where summary = latest_summary(unit) and the link is shown when ladder_may_view is true.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from brukarrevision.organisations.models import Unit

from . import questions, scoring
from .models import LadderResponse, LadderRound


def rounds_for_unit(unit: Unit) -> QuerySet[LadderRound]:
    """A unit's rounds, newest first, with their responses."""
    return (
        LadderRound.objects.filter(unit=unit)
        .select_related("unit", "created_by")
        .prefetch_related("responses")
        .annotate(
            answered_count=Count("responses", filter=Q(responses__submitted_at__isnull=False))
        )
        .order_by("-started_on", "-pk")
    )


def round_for_token(token: str) -> LadderResponse | None:
    if not token or len(token) > 64:
        return None
    return (
        LadderResponse.objects.select_related("round", "round__unit", "round__unit__client")
        .filter(token=token)
        .first()
    )


def previous_round(round: LadderRound) -> LadderRound | None:
    """The unit's round before this one that has answers."""
    return (
        LadderRound.objects.filter(unit_id=round.unit_id, responses__submitted_at__isnull=False)
        .filter(
            Q(started_on__lt=round.started_on) | Q(started_on=round.started_on, pk__lt=round.pk)
        )
        .exclude(pk=round.pk)
        .order_by("-started_on", "-pk")
        .prefetch_related("responses")
        .distinct()
        .first()
    )


@dataclass
class Cell:
    stage: questions.Stage
    answer: str  # yes / partly / no / "" (not answered)
    reached: bool  # counts on the ladder: this and every level below are yes


@dataclass
class Step:
    level: questions.Level
    cells: list[Cell]


@dataclass
class ResponseResult:
    response: LadderResponse
    reached: dict[str, int]
    steps: list[Step]  # level 5 first, as a ladder is drawn
    movement: dict[str, scoring.Movement] | None = None

    @property
    def stage_levels(self) -> list[tuple[questions.Stage, int, scoring.Movement | None]]:
        return [
            (stage, self.reached[stage.code], (self.movement or {}).get(stage.code))
            for stage in questions.STAGES
        ]


@dataclass
class RoundResult:
    round: LadderRound
    answered: list[ResponseResult]
    waiting: list[LadderResponse]
    previous: LadderRound | None
    by_perspective: list[tuple[str, list[ResponseResult]]] = field(default_factory=list)

    @property
    def has_movement(self) -> bool:
        return any(result.movement for result in self.answered)


def _result(response: LadderResponse) -> ResponseResult:
    reached = scoring.reached_levels(response.answers)
    steps = [
        Step(
            level,
            [
                Cell(
                    stage,
                    response.answers.get(questions.key(level.number, stage.code), ""),
                    level.number <= reached[stage.code],
                )
                for stage in questions.STAGES
            ],
        )
        for level in reversed(questions.LEVELS)
    ]
    return ResponseResult(response, reached, steps)


def _match(response: LadderResponse, earlier: list[LadderResponse]) -> LadderResponse | None:
    """The same perspective in the round before: the unit as a whole, or the same label."""
    for candidate in earlier:
        if candidate.perspective != response.perspective:
            continue
        if response.perspective == LadderResponse.Perspective.UNIT:
            return candidate
        if candidate.label.casefold() == response.label.casefold():
            return candidate
    return None


def round_result(round: LadderRound) -> RoundResult:
    responses = sorted(
        round.responses.all(),
        key=lambda r: (list(LadderResponse.Perspective.values).index(r.perspective), r.label),
    )
    answered = [_result(r) for r in responses if r.submitted_at is not None]
    waiting = [r for r in responses if r.submitted_at is None]
    previous = previous_round(round)
    if previous is not None:
        earlier = [r for r in previous.responses.all() if r.submitted_at is not None]
        for result in answered:
            match = _match(result.response, earlier)
            if match is not None:
                before = scoring.reached_levels(match.answers)
                result.movement = scoring.movement(before, result.reached)
    groups = []
    for value, label in LadderResponse.Perspective.choices:
        members = [r for r in answered if r.response.perspective == value]
        if members:
            groups.append((label, members))
    return RoundResult(round, answered, waiting, previous, groups)


def latest_summary(unit: Unit) -> RoundResult | None:
    """The latest round of `unit` with answers, with its movement since the round before."""
    latest = (
        LadderRound.objects.filter(unit=unit, responses__submitted_at__isnull=False)
        .select_related("unit")
        .prefetch_related("responses")
        .order_by("-started_on", "-pk")
        .distinct()
        .first()
    )
    return round_result(latest) if latest else None


def unit_overview(units) -> dict[int, dict]:
    """Per unit: how many rounds, and the latest round. Two queries, whatever the units."""
    rounds = LadderRound.objects.filter(unit__in=units).order_by("unit_id", "-started_on", "-pk")
    overview: dict[int, dict] = {}
    for round_ in rounds:
        entry = overview.setdefault(round_.unit_id, {"count": 0, "latest": round_})
        entry["count"] += 1
    return overview
