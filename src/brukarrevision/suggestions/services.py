"""Every write of the suggestion box: submitting (masked, dated, nothing identifying),
moderating, answering, and sending a suggestion on to a council."""

import importlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.collection import cleaning
from brukarrevision.instruments.models import QualityArea
from brukarrevision.organisations.models import Unit

from . import languages
from .models import Suggestion

MAX_LENGTH = 2000


@transaction.atomic
def submit(
    *, unit: Unit, about: str, change: str, quality_area: str = "", language: str
) -> Suggestion:
    """Store an anonymous suggestion. Identity numbers, phone numbers and e-mail addresses
    are masked before saving (collection.cleaning, as for survey answers); the original text
    is never stored. Only the date is kept, not the time or any address."""
    about, change = about.strip(), change.strip()
    if not about or not change:
        raise ValidationError(_("Both what it is about and what you would change are needed."))
    if len(about) > MAX_LENGTH or len(change) > MAX_LENGTH:
        raise ValidationError(_("The text is too long."))
    if quality_area and quality_area not in QualityArea.values:
        raise ValidationError({"quality_area": _("Choose a quality area from the list.")})
    cleaned_about, cleaned_change = cleaning.clean(about), cleaning.clean(change)
    suggestion = Suggestion(
        unit=unit,
        about=cleaned_about.text,
        change=cleaned_change.text,
        may_hold_name=cleaned_about.needs_review or cleaned_change.needs_review,
        quality_area=quality_area,
        language=language if language in languages.OFFERED else languages.PLAIN,
        created_on=timezone.localdate(),
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


def was_masked(suggestion: Suggestion) -> bool:
    masks = (cleaning.PERSONAL_NUMBER_MASK, cleaning.PHONE_MASK, cleaning.EMAIL_MASK)
    return any(mask in suggestion.about or mask in suggestion.change for mask in masks)


@transaction.atomic
def moderate(
    *, suggestion: Suggestion, by, decision: str, reason: str = "", answer: str = ""
) -> Suggestion:
    """Approve or reject a suggestion, and answer it. A rejected one is never public and
    needs a reason; an approved one is shown on the wall once it has an answer."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if decision not in (Suggestion.Status.APPROVED, Suggestion.Status.REJECTED):
        raise ValidationError({"decision": _("Approve or reject the suggestion.")})
    reason, answer = reason.strip(), answer.strip()
    if decision == Suggestion.Status.REJECTED and not reason:
        raise ValidationError({"reason": _("Give a reason for rejecting.")})
    now = timezone.now()
    if decision != suggestion.status:
        suggestion.moderated_by, suggestion.moderated_at = by, now
    suggestion.status = decision
    suggestion.rejection_reason = reason if decision == Suggestion.Status.REJECTED else ""
    if answer != suggestion.answer:
        suggestion.answer = answer
        suggestion.answered_by, suggestion.answered_at = (by, now) if answer else (None, None)
    suggestion.full_clean()
    suggestion.save()
    return suggestion


# Sending on to a council ----------------------------------------------------------------


def council_service():
    """councils.services.raise_issue, if the councils app provides it (checked at call time)."""
    try:
        module = importlib.import_module("brukarrevision.councils.services")
    except ImportError:
        return None
    return getattr(module, "raise_issue", None)


def council_bodies(unit: Unit, user) -> list:
    """The councils a suggestion to `unit` can go to, as `user`: those of the unit and those
    of its whole organisation that `user` may raise issues with. Empty without councils."""
    from django.apps import apps
    from django.db.models import Q

    from brukarrevision import permissions

    may_raise = getattr(permissions, "may_raise_issue", None)
    try:
        body_model = apps.get_model("councils", "Body")
    except LookupError:
        return []
    if may_raise is None:
        return []
    bodies = body_model.objects.filter(
        Q(unit=unit) | Q(organisation_id=unit.client_id, unit__isnull=True)
    ).order_by("name")
    return [body for body in bodies if may_raise(user, body, unit)]


@transaction.atomic
def send_to_council(*, suggestion: Suggestion, by, body):
    """Make an approved suggestion an issue of a council (councils.services.raise_issue)."""
    raise_issue = council_service()
    if raise_issue is None:
        raise ValidationError(_("Councils are not available."))
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Suggestion.Status.APPROVED:
        raise ValidationError(_("Only approved suggestions can be sent to a council."))
    if suggestion.sent_to_council_at:
        raise ValidationError(_("This suggestion has already been sent to a council."))
    issue = raise_issue(
        by=by,
        body=body,
        title=suggestion.about[:200],
        text=suggestion.change,
        quality_area=suggestion.quality_area,
        level="",
        unit=suggestion.unit,
        source="suggestion",
        suggestion=suggestion,
    )
    suggestion.sent_to_council_at = timezone.now()
    suggestion.save(update_fields=["sent_to_council_at"])
    return issue
