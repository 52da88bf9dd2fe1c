"""Demo certifications: Träffpunkten Åsby is certified (a valid certificate, one follow-up
done), Beroendemottagningen Åsby is working through the checklist (one check-in), and
Psykiatrimottagning Norrtorp's certificate lapsed when a follow-up was missed. Boendestöd
Åsby is left for the walk from offer to certificate. No PDF is drawn at load time."""

import datetime

from django.utils import timezone

from brukarrevision.organisations.models import Unit

from . import selectors, services
from .models import Action, Assessment, Certification, CheckIn, Evidence, FollowUp, TakingPart

BOTH = [TakingPart.STAFF, TakingPart.USERS]


def load(performer, coordinator) -> None:
    today = timezone.localdate()
    units = {unit.name: unit for unit in Unit.objects.all()}
    certified = _through_decision(
        performer,
        coordinator,
        units["Träffpunkten Åsby"],
        started=today - datetime.timedelta(days=420),
        certified=today - datetime.timedelta(days=240),
        partly=4,
    )
    FollowUp.objects.filter(certification=certified).order_by("due_on").filter(
        due_on__lt=today
    ).update(notes="Förslagslådan töms varje vecka och svaren sitter på väggen.")
    for follow_up in certified.follow_ups.filter(due_on__lt=today):
        follow_up.done_on = follow_up.due_on - datetime.timedelta(days=3)
        follow_up.save(update_fields=["done_on"])
    finding = selectors.linkable_findings(certified.unit).first()
    if finding is not None:
        criterion = certified.checklist.criteria.filter(quality_area="information").first()
        Evidence.objects.create(
            certification=certified,
            criterion=criterion,
            kind=Evidence.Kind.FINDING,
            finding=finding,
            description="Brukarrevisionen visade att informationen blivit tydligare.",
            added_by=coordinator,
        )

    lapsed = _through_decision(
        performer,
        coordinator,
        units["Psykiatrimottagning Norrtorp"],
        started=today - datetime.timedelta(days=600),
        certified=today - datetime.timedelta(days=430),
        partly=6,
    )
    first = lapsed.follow_ups.order_by("due_on").first()
    first.done_on, first.notes = first.due_on, "Handlingsplanen följs. Nya personalen introducerad."
    first.save(update_fields=["done_on", "notes"])
    services.apply_lapses(today)

    _in_progress(performer, coordinator, units["Beroendemottagningen Åsby"], today)


def _offer(performer, coordinator, unit, started, text):
    certification = services.offer_certification(
        user=coordinator, performer=performer, unit=unit, offer_text=text
    )
    services.answer_offer(user=coordinator, certification=certification, accept=True)
    Certification.objects.filter(pk=certification.pk).update(
        offered_on=started, accepted_on=started + datetime.timedelta(days=14)
    )
    certification.refresh_from_db()
    services.record_meeting(
        user=coordinator,
        certification=certification,
        held_on=started + datetime.timedelta(days=30),
        staff=9,
        union=1,
        managers=2,
        users=5,
        notes="Vi gick igenom stegen och checklistan. Brukarrådet utser två representanter.",
    )
    return certification


def _assess(certification, coordinator, criteria, on, partly=0):
    Assessment.objects.bulk_create(
        Assessment(
            certification=certification,
            criterion=criterion,
            result=Assessment.Result.PARTLY if index < partly else Assessment.Result.MET,
            taking_part=BOTH,
            assessed_on=on,
            assessed_by=coordinator,
            comment="Bedömt tillsammans av personal och brukare.",
        )
        for index, criterion in enumerate(criteria)
    )


def _through_decision(performer, coordinator, unit, *, started, certified, partly):
    certification = _offer(
        performer,
        coordinator,
        unit,
        started,
        "Ni erbjuds att delta som pilotverksamhet i certifiering av brukarinflytande.",
    )
    criteria = list(certification.checklist.criteria.order_by("position"))
    _assess(certification, coordinator, criteria, started + datetime.timedelta(days=60), partly)
    for days, notes in [
        (75, "Arbetsgruppen har kommit halvvägs. Gästdatorn är beställd."),
        (120, "Gruppernas tider är ändrade efter brukarnas önskemål. Broschyren skrivs."),
    ]:
        CheckIn.objects.create(
            certification=certification,
            held_on=started + datetime.timedelta(days=days),
            notes=notes,
            recorded_by=coordinator,
        )
    actions = services.make_action_plan(user=coordinator, certification=certification)
    examples = [
        "Sätta upp en förslagslåda på väggen i entrén och svara på förslagen varje månad.",
        "Skriva en ny broschyr om verksamheten tillsammans med brukare.",
        "Utöka tiderna för självhjälpsgruppen till två kvällar i veckan.",
        "Ställa i ordning en gästdator för deltagarna.",
    ]
    for index, action in enumerate(actions):
        action.text = examples[index % len(examples)]
        action.owner = "Enhetschefen"
        action.due_on = certified + datetime.timedelta(days=60)
        action.status = Action.Status.DONE
        action.done_evidence = "Klart och uppföljt på avstämningen."
        action.done_on = certified + datetime.timedelta(days=30)
        action.save()
    services.decide(
        user=coordinator,
        certification=certification,
        presented_on=certified - datetime.timedelta(days=7),
        decision=Certification.Decision.CERTIFIED,
        reasoning="Verksamheten uppfyller kriterierna. Handlingsplanen är tydlig och brukarna "
        "har varit delaktiga i hela arbetet.",
        valid_until=certified + datetime.timedelta(days=730),
    )
    Certification.objects.filter(pk=certification.pk).update(
        certified_on=certified, decided_on=certified
    )
    certification.refresh_from_db()
    services._plan_follow_ups(certification)
    return certification


def _in_progress(performer, coordinator, unit, today):
    started = today - datetime.timedelta(days=60)
    certification = _offer(
        performer,
        coordinator,
        unit,
        started,
        "Välkomna att certifiera ert brukarinflytande tillsammans med oss.",
    )
    criteria = list(certification.checklist.criteria.order_by("position"))[:18]
    _assess(certification, coordinator, criteria, today - datetime.timedelta(days=10), partly=5)
    Evidence.objects.create(
        certification=certification,
        criterion=criteria[0],
        kind=Evidence.Kind.LINK,
        url="https://example.org/beroendemottagningen/information",
        description="Verksamhetens informationssida, granskad av brukarrådet.",
        added_by=coordinator,
    )
    CheckIn.objects.create(
        certification=certification,
        held_on=today - datetime.timedelta(days=7),
        notes="Halva checklistan är bedömd. Nästa gång: samverkan och uppföljning.",
        recorded_by=coordinator,
    )
