"""Demo collection: an open web link with the token `demo`, and fictional responses from the
web, paper and interviews. Träffpunkten has fewer than five respondents, so later analysis
shows suppression."""

import datetime
import random

from django.utils import timezone

from brukarrevision.instruments import options
from brukarrevision.instruments import selectors as instrument_selectors
from brukarrevision.instruments.models import Item

from . import answer_codes, services
from .models import AnswerCode, Channel, Interview, Response

COMMENTS = [
    "Personalen är snäll och lyssnar på mig.",
    "Jag vill ha mer tid med min kontaktperson.",
    "Det är bra att samma personal kommer.",
    "Ibland vet jag inte vem som ska komma. Ring gärna 070-123 45 67 om ni undrar.",
    "Jag skulle vilja vara med mer när planen görs.",
    "Träffpunkten är det bästa i veckan.",
    "Svårt att få tag på någon på kvällar och helger.",
    "Informationen kom för sent.",
    "Jag pratar mest med Anna och hon hjälper mig mycket.",
]


def _answer(item: Item, rng: random.Random):
    if item.kind == Item.Kind.NOTE or item.kind == Item.Kind.MATRIX:
        return None
    if rng.random() < 0.08 and not item.required:
        return None
    offered = [o.value for o in options.options(item, "sv")]
    kind = Item.Kind.RATING if item.is_row else item.kind
    if kind == Item.Kind.RATING:
        steps = [v for v in offered if v.isdigit()]
        if rng.random() < 0.07 and len(offered) > len(steps):
            return offered[len(steps)]
        return rng.choices(steps, weights=range(1, len(steps) + 1))[0]
    if kind == Item.Kind.MULTIPLE:
        return sorted(rng.sample(offered, rng.randint(1, min(2, len(offered)))))
    if kind in (Item.Kind.SINGLE, Item.Kind.YES_NO):
        return rng.choice(offered)
    if kind == Item.Kind.NUMBER:
        return rng.randint(1, 12)
    return rng.choice(COMMENTS)


def _answers(instrument, rng) -> dict:
    from brukarrevision.instruments import conditions

    found: dict = {}
    for item in instrument.all_items().select_related("parent").prefetch_related("choices"):
        condition = item.parent.condition if item.parent_id else item.condition
        if not conditions.is_met(condition, found):
            continue
        value = _answer(item, rng)
        if value is not None:
            found[item.code] = value
    return found


def load(audit, coordinator, auditor) -> None:
    rng = random.Random(2026)
    questionnaire = instrument_selectors.questionnaires(audit).get()
    users = audit.target_groups.get(kind="users")
    home = audit.units.get(name__startswith="Boendestöd")
    meeting_place = audit.units.get(name__startswith="Träffpunkten")
    web = services.create_distribution(
        user=coordinator,
        audit=audit,
        instrument=questionnaire,
        unit=home,
        target_group=users,
        token="demo",
    )
    small = services.create_distribution(
        user=coordinator,
        audit=audit,
        instrument=questionnaire,
        unit=meeting_place,
        target_group=users,
    )
    for number in range(16):
        _store(web, rng, f"demo-web-{number}", Channel.WEB)
    for number in range(3):
        _store(small, rng, f"demo-small-{number}", Channel.WEB)
    for number in range(5):
        services.enter_paper_response(
            user=auditor,
            instrument=questionnaire,
            unit=home,
            target_group=users,
            language="sv",
            answers=_answers(questionnaire, rng),
            respondent="assisted" if number == 0 else "self",
            paper_number=str(number + 1),
            key=f"demo-paper-{number}",
        )
    _interviews(audit, coordinator, auditor, home, users)


def _store(distribution, rng, key, channel) -> None:
    services.submit_response(
        instrument=distribution.instrument,
        unit=distribution.unit,
        target_group=distribution.target_group,
        channel=channel,
        language=rng.choice(["sv", "sv", "sv", "sv-x-easy", "en"]),
        answers=_answers(distribution.instrument, rng),
        submission_key=key,
        respondent=rng.choice(["self"] * 8 + ["assisted", "proxy"]),
        distribution=distribution,
    )


INTERVIEW_NOTES = [
    "Hen berättade att personalen oftast lyssnar, men att det var svårt i början.",
    "Vill vara med mer när planen görs. Tycker att målen är personalens mål.",
    "Tycker att informationen om vad man har rätt till kom sent.",
]


def _interviews(audit, coordinator, auditor, unit, group) -> None:
    guide = instrument_selectors.current(audit).get(kind="interview_guide")
    second = audit.members.filter(role="auditor").exclude(user=auditor).first().user
    soon = timezone.now() + datetime.timedelta(days=3)
    people = [
        ("Kim", "070-000 00 01"),
        ("Sam", "kim.exempel@example.org"),
        ("Alex", "—"),
        ("Robin", "070-000 00 04"),
    ]
    for index, (name, reach) in enumerate(people):
        contact = services.pass_on_contact(
            user=coordinator,
            audit=audit,
            unit=unit,
            target_group=group,
            name=name,
            how_to_reach=reach,
        )
        interview = Interview.objects.get(contact=contact)
        if index == 3:
            continue  # waiting to be booked
        services.book_interview(
            user=coordinator,
            interview=interview,
            starts_at=soon + datetime.timedelta(hours=index),
            place="Träffpunkten, lilla rummet",
            interviewers=[auditor, second],
            guide=guide,
        )
        if index == 2:
            continue  # booked, not yet held
        items = [i for i in guide.all_items() if i.kind == Item.Kind.LONG_TEXT]
        notes = {
            item.code: {"answer": INTERVIEW_NOTES[(index + n) % len(INTERVIEW_NOTES)]}
            for n, item in enumerate(items)
        }
        services.save_interview_notes(user=auditor, interview=interview, notes=notes)
        services.finish_interview(user=auditor, interview=interview)


def load_re_audit(audit, coordinator) -> None:
    """Twelve web answers to the re-audit, a little better on the scales than the first time."""
    rng = random.Random(2027)
    questionnaire = instrument_selectors.questionnaires(audit).get()
    unit = audit.units.get()
    distribution = services.create_distribution(
        user=coordinator,
        audit=audit,
        instrument=questionnaire,
        unit=unit,
        target_group=audit.target_groups.get(kind="users"),
        token="demo-2027",
    )
    for number in range(12):
        answers = _answers(questionnaire, rng)
        for code, value in answers.items():
            if isinstance(value, str) and value.isdigit() and int(value) <= 5:
                answers[code] = str(min(5, int(value) + 1))
        services.submit_response(
            instrument=questionnaire,
            unit=unit,
            target_group=distribution.target_group,
            channel=Channel.WEB,
            language="sv",
            answers=answers,
            submission_key=f"demo-2027-{number}",
            distribution=distribution,
        )
    _spread_hours(distribution.responses.all(), rng)


def load_answer_codes(audit, coordinator) -> None:
    """Träffpunkten's link asks for one-time answer codes: 20 made, 3 used (its three web
    answers). The web answers get plausible hours over the last week, and the `demo` link an
    evening with eleven answers, which the page of answers per hour marks as unusual."""
    small = audit.distributions.exclude(token="demo").filter(unit__name__startswith="Träffpunkten")
    small = small.first()
    answer_codes.set_required(user=coordinator, distribution=small, required=True)
    answer_codes.make_codes(user=coordinator, distribution=small, count=20)
    used = small.answer_codes.order_by("pk").values_list("pk", flat=True)[:3]
    AnswerCode.objects.filter(pk__in=list(used)).update(used=True)

    web = Response.objects.filter(audit=audit, channel=Channel.WEB, distribution__isnull=False)
    burst = list(web.filter(distribution__token="demo").order_by("pk")[:11])
    _spread_hours(web.exclude(pk__in=[r.pk for r in burst]), random.Random(2028))
    evening = _at(timezone.localdate() - datetime.timedelta(days=2), 19)
    Response.objects.filter(pk__in=[r.pk for r in burst]).update(submitted_hour=evening)


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _spread_hours(responses, rng) -> None:
    """Web answers of the demo come in over the last week, as real ones would."""
    today = timezone.localdate()
    for pk in responses.order_by("pk").values_list("pk", flat=True):
        hour = _at(today - datetime.timedelta(days=rng.randint(1, 6)), rng.randint(8, 20))
        responses.model.objects.filter(pk=pk).update(submitted_hour=hour)
