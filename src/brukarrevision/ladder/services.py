"""Every write of the participation ladder: starting a round, adding a perspective, answering
through a link (once) and closing the round. Permission is checked by the views."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.organisations.models import Unit

from . import questions
from .models import LadderResponse, LadderRound

MAX_RESPONSES = 40


def _clean_labels(labels) -> list[str]:
    seen, cleaned = set(), []
    for label in labels:
        label = " ".join(str(label).split())[:120]
        if label and label.lower() not in seen:
            seen.add(label.lower())
            cleaned.append(label)
    return cleaned


@transaction.atomic
def start_round(
    *,
    unit: Unit,
    by,
    title: str,
    started_on: datetime.date,
    staff_labels=(),
    user_group_labels=(),
    unit_label: str = "",
) -> LadderRound:
    """A new round for `unit`: one response for the unit as a whole, and one per staff member
    and per user group named, each with its own answer link."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the round a title.")})
    staff, groups = _clean_labels(staff_labels), _clean_labels(user_group_labels)
    if 1 + len(staff) + len(groups) > MAX_RESPONSES:
        raise ValidationError(
            _("A round can have at most %(n)s answer links.") % {"n": MAX_RESPONSES}
        )
    round_ = LadderRound.objects.create(
        unit=unit, title=title[:200], started_on=started_on, created_by=by
    )
    LadderResponse.objects.create(
        round=round_,
        perspective=LadderResponse.Perspective.UNIT,
        label=unit_label or _("The whole unit"),
    )
    for perspective, labels in (
        (LadderResponse.Perspective.STAFF, staff),
        (LadderResponse.Perspective.USERS, groups),
    ):
        for label in labels:
            LadderResponse.objects.create(round=round_, perspective=perspective, label=label)
    return round_


@transaction.atomic
def add_response(*, round: LadderRound, perspective: str, label: str) -> LadderResponse:
    """One more answer link in an open round, e.g. for a user group that joins later."""
    round_ = LadderRound.objects.select_for_update().get(pk=round.pk)
    if round_.closed_at is not None:
        raise ValidationError(_("The round is closed."))
    if perspective not in LadderResponse.Perspective.values:
        raise ValidationError({"perspective": _("Choose whose answers these are.")})
    cleaned = _clean_labels([label])
    if not cleaned:
        raise ValidationError({"label": _("Give a label, for example “User group Tuesdays”.")})
    if round_.responses.count() >= MAX_RESPONSES:
        raise ValidationError(
            _("A round can have at most %(n)s answer links.") % {"n": MAX_RESPONSES}
        )
    if round_.responses.filter(perspective=perspective, label__iexact=cleaned[0]).exists():
        raise ValidationError({"label": _("There is already an answer link with this label.")})
    return LadderResponse.objects.create(round=round_, perspective=perspective, label=cleaned[0])


def submit_answers(*, response: LadderResponse, answers: dict[str, str], user=None) -> None:
    """Save the 15 answers through the response's link. A link works once, while the round is
    open: a second submission, or one after closing, is refused and changes nothing."""
    valid = set(LadderResponse.Answer.values)
    if set(answers) != set(questions.KEYS) or not set(answers.values()) <= valid:
        raise ValidationError(_("Answer all 15 questions."))
    by = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        # Claim the link in one statement, so two submissions at once cannot both count.
        claimed = LadderResponse.objects.filter(
            pk=response.pk, submitted_at=None, round__closed_at=None
        ).update(
            answers={key: answers[key] for key in questions.KEYS},
            submitted_at=timezone.now(),
            answered_by=by,
        )
    if not claimed:
        response.refresh_from_db()
        if response.round.closed_at is not None:
            raise ValidationError(_("The round is closed. Answers can no longer be sent."))
        raise ValidationError(_("Answers have already been sent through this link."))
    response.refresh_from_db()


@transaction.atomic
def close_round(*, round: LadderRound, by) -> LadderRound:
    """Close the round: its answer links stop working; its results stay."""
    round_ = LadderRound.objects.select_for_update().get(pk=round.pk)
    if round_.closed_at is None:
        round_.closed_at = timezone.now()
        round_.save(update_fields=["closed_at"])
    return round_
