"""Demo for the portfolio: every demo unit gets its county, and a third county gets a client
with two audits of its own (a few answers each, a release, and for one a published report
whose proposals go to national agencies and are answered and followed up), so the national
overview spans seven audits in three counties. Every name here is invented."""

import datetime
import random
import secrets

from django.utils import timezone

from brukarrevision.audits.models import Offer, Phase, TargetGroup
from brukarrevision.collection.models import Answer, Response
from brukarrevision.followup import services as followup
from brukarrevision.instruments import demo as instrument_demo
from brukarrevision.instruments import options
from brukarrevision.organisations.models import County, Membership, Organisation, Unit
from brukarrevision.releases import demo as release_demo
from brukarrevision.reports import services as reports

COUNTIES = {  # municipality -> county
    "Åsby": County.VASTRA_GOTALAND,
    "Norrtorp": County.OREBRO,
    "Västerby": County.OREBRO,
    "Sjöbacka": County.DALARNA,
}

SJOBACKA_UNITS = [
    ("Socialpsykiatriskt stöd Sjöbacka", Unit.ServiceType.SOCIAL_SERVICES),
    ("Beroendemottagningen Sjöbacka", Unit.ServiceType.ADDICTION),
]

PROPOSALS = [
    {
        "title": "Ta fram nationella riktlinjer för brukarinflytande i socialpsykiatrin",
        "text": "Kommunerna gör på olika sätt. Riktlinjer skulle ge alla samma möjlighet att "
        "påverka sitt stöd.",
        "quality_area": "user_influence",
        "level": "national",
        "priority": "high",
        "recipient": "Socialstyrelsen",
    },
    {
        "title": "Samla information om rättigheter på ett ställe på nätet",
        "text": "Brukarna hittar inte vad de har rätt till. En nationell sida på lättläst "
        "svenska behövs.",
        "quality_area": "information",
        "level": "national",
        "priority": "medium",
        "recipient": "Myndigheten för delaktighet",
    },
    {
        "title": "Gemensam utbildning i bemötande för kommun och region",
        "text": "Personal i kommun och region utbildas tillsammans, med brukare som lärare.",
        "quality_area": "training",
        "level": "regional",
        "priority": "medium",
        "recipient": "Region Dalsjö, samverkansrådet",
    },
    {
        "title": "Fler tider för samtal på kvällstid",
        "text": "Många arbetar eller studerar dagtid.",
        "quality_area": "support",
        "level": "local",
        "priority": "low",
    },
]


def load(people: dict, coordinator) -> None:
    _counties()
    performer = Organisation.objects.get(name="Brukarkraft Väst")
    client = Organisation.objects.create(
        name="Sjöbacka kommun", kind=Organisation.Kind.MUNICIPALITY
    )
    units = [
        Unit.objects.create(
            client=client,
            name=name,
            service_type=service,
            municipality="Sjöbacka",
            county=COUNTIES["Sjöbacka"],
        )
        for name, service in SJOBACKA_UNITS
    ]
    contact = _contact(people, client)
    offer = Offer.objects.create(
        performer=performer,
        title="Brukarrevisioner i Sjöbacka 2026",
        description="Två brukarrevisioner inom socialpsykiatri och beroendevård.",
    )
    auditors = [people["revisor2@demo.example"], people["revisor4@demo.example"]]
    published = _audit(
        offer, client, [units[0]], contact, coordinator, auditors, "sjobacka-socialpsykiatri",
        "Brukarrevision av socialpsykiatriskt stöd i Sjöbacka", 18, 11,
    )  # fmt: skip
    _publish(published, coordinator, auditors[0])
    _answer(published, coordinator)
    _audit(
        offer, client, [units[1]], contact, coordinator, auditors, "sjobacka-beroende",
        "Brukarrevision av beroendemottagningen i Sjöbacka", 14, 12,
    )  # fmt: skip
    offer.is_open = False
    offer.save(update_fields=["is_open"])


def _counties() -> None:
    """The demo's units get their county (the units table names the municipality only)."""
    for municipality, county in COUNTIES.items():
        Unit.objects.filter(municipality=municipality, county="").update(county=county)


def _contact(people: dict, client):
    from brukarrevision.core.demo import _user

    user = _user("sjobacka@demo.example", "Selma Sjöberg")
    Membership.objects.get_or_create(
        user=user, organisation=client, role=Membership.Role.CLIENT_CONTACT
    )
    people["sjobacka@demo.example"] = user
    return user


def _audit(offer, client, units, contact, coordinator, auditors, slug, title, answers, seed):
    """An audit through the usual steps, a few answers entered in one go, and a release."""
    from brukarrevision.core import demo as core

    audit = core._accepted_audit(
        offer, client, units, contact, coordinator, slug, title, "Välkomna!"
    )
    start = timezone.localdate() - datetime.timedelta(days=200)
    core._plan(audit, coordinator, start, [("Brukare", TargetGroup.Kind.USERS)], quota=8)
    core._advance(audit, coordinator, Phase.TEAM, core.REASONS)
    core._team(audit, coordinator, auditors)
    core._advance(audit, coordinator, Phase.INSTRUMENTS, core.REASONS)
    instrument_demo.load_small(audit, coordinator)
    core._advance(audit, coordinator, Phase.COLLECTION, core.REASONS)
    _responses(audit, answers, random.Random(seed))
    core._advance(audit, coordinator, Phase.ANALYSIS, core.REASONS)
    release_demo.load(audit, coordinator, "Insamlingen är avslutad.")
    core._backdate(audit, 200)
    return audit


def _responses(audit, count: int, rng: random.Random) -> None:
    """Answers as if typed in from paper forms: most positive, some not."""
    instrument = audit.instruments.get()
    unit = audit.units.get()
    group = audit.target_groups.get()
    items = [i for i in instrument.sections.get().items.all() if i.kind == "rating"]
    offered = {item.pk: [o.value for o in options.options(item, "sv")] for item in items}
    day = timezone.localdate() - datetime.timedelta(days=100)
    responses = Response.objects.bulk_create(
        Response(
            audit=audit,
            instrument=instrument,
            unit=unit,
            target_group=group,
            channel="paper",
            language="sv",
            respondent="self",
            submission_key=secrets.token_hex(16),
            content_hash="-",
            submitted_on=day,
        )
        for _ in range(count)
    )
    answers = []
    for response in responses:
        for item in items:
            value = rng.choices(
                offered[item.pk], weights=[1, 2, 3, 5, 4, 1][: len(offered[item.pk])]
            )[0]  # noqa: E501
            if value.isdigit():
                answers.append(Answer(response=response, item=item, number=int(value)))
            else:
                answers.append(Answer(response=response, item=item, special=value))
    Answer.objects.bulk_create(answers)


def _publish(audit, coordinator, auditor) -> None:
    from brukarrevision.core import demo as core

    core._advance(audit, coordinator, Phase.REPORT, core.REASONS)
    for entry in PROPOSALS:
        reports.save_proposal(user=auditor, audit=audit, **entry)
    report = reports.start_report(user=auditor, audit=audit)
    reports.submit_for_review(user=auditor, report=report)
    reports.publish(user=coordinator, report=report)
    core._advance(audit, coordinator, Phase.FOLLOW_UP, core.REASONS)


def _answer(audit, coordinator) -> None:
    """The national and regional proposals were passed on and answered; what happened."""
    today = timezone.localdate()
    guidelines, website, training, evenings = audit.proposals.order_by("number")
    followup.answer_proposal(
        user=coordinator,
        proposal=guidelines,
        decision="partly",
        reason="Socialstyrelsen tar med brukarinflytande när riktlinjerna ses över 2027.",
    )
    action = followup.add_action(
        user=coordinator,
        proposal=guidelines,
        description="Brukarinflytande tas med i översynen av riktlinjerna",
        owner="Socialstyrelsen, enheten för socialtjänst",
        starts_on=today - datetime.timedelta(days=60),
        due_on=today + datetime.timedelta(days=300),
    )
    followup.update_action(
        user=coordinator,
        action=action,
        status="in_progress",
        progress=20,
        note="En referensgrupp med brukarorganisationer har bildats.",
        made_on=today - datetime.timedelta(days=10),
    )
    followup.answer_proposal(
        user=coordinator,
        proposal=website,
        decision="accepted",
        reason="Vi samlar informationen på vår webbplats, även på lättläst svenska.",
    )
    action = followup.add_action(
        user=coordinator,
        proposal=website,
        description="En sida om rättigheter i socialpsykiatrin, också på lättläst svenska",
        owner="Myndigheten för delaktighet",
        starts_on=today - datetime.timedelta(days=90),
        due_on=today - datetime.timedelta(days=5),
    )
    followup.update_action(
        user=coordinator,
        action=action,
        status="done",
        progress=100,
        note="Sidan är publicerad.",
        made_on=today - datetime.timedelta(days=7),
    )
    followup.answer_proposal(
        user=coordinator,
        proposal=training,
        decision="not_accepted",
        reason="Regionen har ingen budget för gemensam utbildning i år.",
    )
    del evenings  # not answered yet
