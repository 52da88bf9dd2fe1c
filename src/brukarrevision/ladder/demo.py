"""Demo: two participation ladder rounds for Boendestöd Åsby, with views that differ
(the unit as a whole, the staff, a user group) and movement between the rounds."""

import datetime

from django.utils import timezone

from brukarrevision.organisations.models import Unit

from . import questions, services
from .models import LadderResponse


def _answers(reached: dict[str, int], extra: dict[str, str] | None = None) -> dict[str, str]:
    """Yes up to the level given per stage, then partly for the next level, no above it."""
    answers = {}
    for stage in questions.STAGES:
        top = reached[stage.code]
        for level in questions.LEVELS:
            key = questions.key(level.number, stage.code)
            if level.number <= top:
                answers[key] = "yes"
            elif level.number == top + 1:
                answers[key] = "partly"
            else:
                answers[key] = "no"
    answers.update(extra or {})
    return answers


ROUNDS = [
    (
        "Delaktighetstrappan hösten",
        200,
        {
            "Hela verksamheten": {"openings": 3, "opportunities": 1, "obligations": 1},
            "Personal": {"openings": 3, "opportunities": 2, "obligations": 1},
            "Brukargrupp tisdagar": {"openings": 2, "opportunities": 1, "obligations": 0},
        },
    ),
    (
        "Delaktighetstrappan våren",
        30,
        {
            "Hela verksamheten": {"openings": 4, "opportunities": 2, "obligations": 1},
            "Personal": {"openings": 4, "opportunities": 3, "obligations": 2},
            # The users see less than the staff: a yes on level 3 above a gap on level 2.
            "Brukargrupp tisdagar": {"openings": 3, "opportunities": 1, "obligations": 0},
        },
    ),
]

GAP = {"2-opportunities": "no", "3-opportunities": "yes"}


def load(by=None) -> None:
    unit = Unit.objects.filter(name="Boendestöd Åsby").first()
    if unit is None:
        return
    for title, days_ago, views in ROUNDS:
        started = timezone.localdate() - datetime.timedelta(days=days_ago)
        round_ = services.start_round(
            unit=unit,
            by=by,
            title=title,
            started_on=started,
            staff_labels=["Personal"],
            user_group_labels=["Brukargrupp tisdagar"],
            unit_label="Hela verksamheten",
        )
        for response in round_.responses.all():
            extra = GAP if response.perspective == LadderResponse.Perspective.USERS else None
            if days_ago > 100:
                extra = None
            services.submit_answers(
                response=response, answers=_answers(views[response.label], extra)
            )
        services.close_round(round=round_, by=by)
        closed = timezone.now() - datetime.timedelta(days=max(days_ago - 14, 1))
        type(round_).objects.filter(pk=round_.pk).update(closed_at=closed)
        LadderResponse.objects.filter(round=round_).update(
            submitted_at=timezone.now() - datetime.timedelta(days=max(days_ago - 7, 1))
        )
