"""Every write of data collection: distributions, responses from every channel, interviews.
Each works in one transaction; staff actions are permission-checked in one place."""

import datetime
import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.models import Audit
from brukarrevision.instruments import frozen, languages, options, respondent
from brukarrevision.instruments import selectors as instrument_selectors
from brukarrevision.instruments import services as instrument_services
from brukarrevision.instruments.models import Instrument, Item
from brukarrevision.permissions import Action, can

from . import answer_codes, cleaning, storing
from .models import Channel, Distribution, Interview, InterviewContact, Response


def _require(user, action: Action, audit: Audit) -> None:
    if not can(user, action, audit):
        raise PermissionDenied(action)


class SubmissionConflict(Exception):
    """The same submission key came back with different answers."""


# Distributions -------------------------------------------------------------------------


def complete_languages(instrument: Instrument) -> list[str]:
    """The language versions respondents may use: those with no missing translation."""
    return frozen.remember(instrument, "complete_languages", _complete_languages)


def _complete_languages(instrument: Instrument) -> list[str]:
    gaps = instrument_selectors.gaps_by_language(instrument)
    return [code for code in instrument.languages if code not in gaps]


@transaction.atomic
def create_distribution(
    *, user, audit: Audit, instrument: Instrument, unit, target_group, language="sv", token=""
) -> Distribution:
    _require(user, Action.MANAGE_COLLECTION, audit)
    if instrument.audit_id != audit.pk or not instrument.is_current or instrument.is_guide:
        raise ValidationError({"instrument": _("Choose a current questionnaire of this audit.")})
    if not audit.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Choose a unit in the audit.")})
    if target_group.audit_id != audit.pk:
        raise ValidationError({"target_group": _("Choose a target group of the audit.")})
    if language not in complete_languages(instrument):
        raise ValidationError(
            {"language": _("This language version lacks translations and cannot be used yet.")}
        )
    instrument_services.freeze(user=user, instrument=instrument)
    distribution = Distribution(
        audit=audit, instrument=instrument, unit=unit, target_group=target_group, language=language
    )
    if token:
        distribution.token = token
    distribution.full_clean()
    distribution.save()
    return distribution


@transaction.atomic
def set_open(*, user, distribution: Distribution, is_open: bool) -> Distribution:
    _require(user, Action.MANAGE_COLLECTION, distribution.audit)
    distribution.is_open = is_open
    distribution.save(update_fields=["is_open"])
    return distribution


# Responses -----------------------------------------------------------------------------


def content_hash(answers: dict) -> str:
    text = json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _rows_for(item: Item, value) -> list[tuple]:
    """The answer rows of one answer, as storing.row() makes them."""
    if value in (None, "", []):
        return []
    row = storing.row
    kind = Item.Kind.RATING if item.is_row else item.kind
    if kind == Item.Kind.MULTIPLE:
        return [row(item.pk, choice=str(v)) for v in value]
    if kind == Item.Kind.RATING:
        if value in (options.DONT_KNOW, options.NOT_APPLICABLE):
            return [row(item.pk, special=value)]
        return [row(item.pk, number=int(value))]
    if kind == Item.Kind.NUMBER:
        return [row(item.pk, number=int(value))]
    if kind in Item.TEXT_KINDS:
        cleaned = cleaning.clean(str(value))
        return [row(item.pk, text=cleaned.text, needs_review=cleaned.needs_review)]
    return [row(item.pk, choice=str(value))]


def _normalise(answers: dict) -> dict:
    """Answers as stored: text already cleaned, so a resend compares equal."""
    found = {}
    for code, value in answers.items():
        if value in (None, "", []):
            continue
        if isinstance(value, str):
            value = cleaning.clean(value).text
        found[code] = sorted(value) if isinstance(value, list) else value
    return found


def submit_response(
    *,
    instrument: Instrument,
    unit,
    target_group,
    channel: str,
    language: str,
    answers: dict,
    submission_key: str,
    respondent: str = Response.Respondent.SELF,
    distribution: Distribution | None = None,
    entered_by=None,
    paper_number: str = "",
    draft=None,
) -> tuple[Response, bool]:
    """Store one response, once (`unit` and `target_group` are objects or their ids). The
    same key with the same answers returns the stored response (created False); the same key
    with different answers raises SubmissionConflict and is logged. A web respondent's draft
    goes in the same transaction as the response is stored (and stays when nothing is)."""
    answers = _normalise(answers)
    digest = content_hash(answers)
    response = Response(
        audit_id=instrument.audit_id,
        instrument=instrument,
        distribution=distribution,
        unit_id=getattr(unit, "pk", unit),
        target_group_id=getattr(target_group, "pk", target_group),
        channel=channel,
        language=language,
        respondent=respondent,
        submission_key=submission_key,
        content_hash=digest,
        submitted_on=timezone.localdate(),
        submitted_hour=timezone.now().replace(minute=0, second=0, microsecond=0),
        entered_by=entered_by,
        paper_number=paper_number,
    )
    # The unique submission key decides: a resend stores nothing and finds the stored response.
    # store() is atomic on its own (one statement on PostgreSQL, a transaction elsewhere).
    stored = storing.store(response, _answer_rows(instrument, answers), draft)
    if not stored:
        existing = Response.objects.get(submission_key=submission_key)
        return _same_or_conflict(existing, digest, distribution), False
    return response, True


def submit_web_response(*, draft, distribution: Distribution, answers: dict) -> Response:
    """A respondent's last page. A refused resend leaves the draft in place. On a link that
    needs an answer code, the draft's code is used up in the same transaction as the response
    is stored: if it was used meanwhile, nothing is stored and the draft stays
    (answer_codes.CodeRefused). Without a code, storing is one atomic step and needs no
    transaction of its own (on PostgreSQL: one statement, no BEGIN and COMMIT round trips)."""
    if not distribution.requires_code:
        return _submit_web(draft, distribution, answers)[0]
    code_digest = draft.code_digest
    if not code_digest:
        raise answer_codes.CodeRefused("missing")
    with transaction.atomic():
        response, created = _submit_web(draft, distribution, answers)
        if created:
            answer_codes.use(distribution, code_digest)
    return response


def _submit_web(draft, distribution, answers) -> tuple[Response, bool]:
    return submit_response(
        instrument=distribution.instrument,
        unit=distribution.unit_id,  # ids: the link's unit and group need not be read
        target_group=distribution.target_group_id,
        channel=Channel.WEB,
        language=draft.language,
        answers=answers,
        submission_key=draft.submission_key,
        respondent=draft.respondent,
        distribution=distribution,
        draft=draft,
    )


def _answer_rows(instrument: Instrument, answers: dict) -> list[tuple]:
    items = {item.code: item for item in respondent.answerable_items(instrument)}
    rows = []
    for code, value in answers.items():
        if code in items:
            rows.extend(_rows_for(items[code], value))
    return rows


def _same_or_conflict(existing: Response, digest: str, distribution) -> Response:
    if existing.content_hash == digest:
        return existing
    record_event(
        SecurityEvent.Kind.SUBMISSION_CONFLICT,
        audit=existing.audit,
        detail=f"audit {existing.audit.slug}, distribution {getattr(distribution, 'token', '-')}",
    )
    raise SubmissionConflict(existing.submission_key)


def stored_answers(response: Response) -> dict:
    """The answers of a response as code → value, the shape forms give."""
    found: dict = {}
    for answer in response.answers.select_related("item", "item__parent"):
        item = answer.item
        kind = Item.Kind.RATING if item.is_row else item.kind
        if kind == Item.Kind.MULTIPLE:
            found.setdefault(item.code, []).append(answer.choice)
        elif answer.special:
            found[item.code] = answer.special
        elif answer.number is not None:
            found[item.code] = answer.number if kind == Item.Kind.NUMBER else str(answer.number)
        else:
            found[item.code] = answer.text or answer.choice
    return {k: sorted(v) if isinstance(v, list) else v for k, v in found.items()}


# Paper ---------------------------------------------------------------------------------


def _refuse_other_form_with_same_number(audit: Audit, paper_number: str, answers: dict) -> None:
    """A paper number names one form: typing it in again with other answers is a mistake."""
    number = (paper_number or "").strip()
    if not number:
        return
    stored = Response.objects.filter(audit=audit, channel=Channel.PAPER, paper_number=number)
    digest = content_hash(_normalise(answers))
    if stored.exclude(content_hash=digest).exists():
        raise ValidationError(
            {
                "paper_number": _("Paper form %(number)s is already stored with other answers.")
                % {"number": number}
            }
        )


@transaction.atomic
def enter_paper_response(
    *, user, instrument, unit, target_group, language, answers, respondent, paper_number, key
) -> tuple[Response, bool]:
    _require(user, Action.ENTER_RESPONSES, instrument.audit)
    if not instrument.audit.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Choose a unit in the audit.")})
    _refuse_other_form_with_same_number(instrument.audit, paper_number, answers)
    return submit_response(
        instrument=instrument,
        unit=unit,
        target_group=target_group,
        channel=Channel.PAPER,
        language=language,
        answers=answers,
        submission_key=key,
        respondent=respondent,
        entered_by=user,
        paper_number=paper_number,
    )


# Interviews ----------------------------------------------------------------------------


@transaction.atomic
def pass_on_contact(*, user, audit: Audit, unit, target_group, name, how_to_reach, needs=""):
    _require(user, Action.PASS_ON_CONTACTS, audit)
    if not audit.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Choose a unit in the audit.")})
    contact = InterviewContact.objects.create(
        audit=audit,
        unit=unit,
        target_group=target_group,
        name=name.strip(),
        how_to_reach=how_to_reach.strip(),
        needs=needs.strip(),
        passed_on_by=user,
    )
    Interview.objects.create(audit=audit, unit=unit, target_group=target_group, contact=contact)
    return contact


@transaction.atomic
def book_interview(*, user, interview: Interview, starts_at, place, interviewers, guide):
    _require(user, Action.BOOK_INTERVIEWS, interview.audit)
    team = set(interview.audit.members.values_list("user_id", flat=True))
    chosen = list(interviewers)
    if len(chosen) != 2 or len({u.pk for u in chosen}) != 2:
        raise ValidationError({"interviewers": _("Choose two interviewers.")})
    if any(u.pk not in team for u in chosen):
        raise ValidationError({"interviewers": _("Interviewers must be in the audit team.")})
    if guide is not None and (guide.audit_id != interview.audit_id or not guide.is_guide):
        raise ValidationError({"guide": _("Choose an interview guide of this audit.")})
    interview.starts_at, interview.place, interview.guide = starts_at, place.strip(), guide
    interview.status = Interview.Status.BOOKED
    interview.save()
    interview.interviewers.set(chosen)
    if guide is not None:
        instrument_services.freeze(user=user, instrument=guide)
    return interview


def _erase_contact(interview: Interview) -> None:
    if interview.contact_id:
        contact = interview.contact
        interview.contact = None
        interview.save(update_fields=["contact"])
        contact.delete()


@transaction.atomic
def cancel_interview(*, user, interview: Interview) -> Interview:
    _require(user, Action.BOOK_INTERVIEWS, interview.audit)
    interview.status = Interview.Status.CANCELLED
    interview.save(update_fields=["status"])
    _erase_contact(interview)
    return interview


@transaction.atomic
def save_interview_notes(*, user, interview: Interview, notes: dict) -> Interview:
    """Autosave: answers and notes per guide question, cleaned like free text."""
    if not may_record(user, interview):
        raise PermissionDenied(Action.BOOK_INTERVIEWS)
    if interview.status not in (Interview.Status.BOOKED,):
        raise ValidationError(_("Only a booked interview can be noted."))
    interview.notes = {
        code: {part: cleaning.clean(text).text for part, text in entry.items() if text}
        for code, entry in notes.items()
    }
    interview.save(update_fields=["notes"])
    return interview


def may_record(user, interview: Interview) -> bool:
    return can(user, Action.VIEW_RAW_ANSWERS, interview.audit) and (
        interview.interviewers.filter(pk=user.pk).exists()
        or can(user, Action.MANAGE_COLLECTION, interview.audit)
    )


@transaction.atomic
def finish_interview(*, user, interview: Interview) -> Response:
    """The interview is done: its notes become a response on the guide's version, and the
    contact details are erased."""
    if not may_record(user, interview):
        raise PermissionDenied(Action.BOOK_INTERVIEWS)
    if interview.guide is None:
        raise ValidationError(_("Choose an interview guide before the interview is done."))
    answers = {}
    items = {item.code: item for item in interview.guide.all_items().select_related("parent")}
    for code, entry in interview.notes.items():
        item = items.get(code)
        if item is None:
            continue
        if item.kind in Item.TEXT_KINDS:
            parts = [entry.get("answer", ""), entry.get("note", "")]
            answers[code] = "\n\n".join(part for part in parts if part)
        elif entry.get("answer") in {o.value for o in options.options(item, languages.PLAIN)}:
            answers[code] = entry["answer"]
    response, _created = submit_response(
        instrument=interview.guide,
        unit=interview.unit,
        target_group=interview.target_group,
        channel=Channel.INTERVIEW,
        language=languages.PLAIN,
        answers=answers,
        submission_key=f"interview-{interview.pk}",
        entered_by=user,
    )
    interview.response = response
    interview.status = Interview.Status.DONE
    interview.save(update_fields=["response", "status"])
    _erase_contact(interview)
    return response


def purge_old_drafts(days: int) -> int:
    """Unfinished answers nobody has touched for `days` days are deleted."""
    from .models import Draft

    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _details = Draft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted
