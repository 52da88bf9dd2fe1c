"""A realistic, fictional demo: one user organisation, two clients with units, audits in
several phases, an open offer and an auditor team. Every name here is invented."""

import datetime

from django.db import transaction
from django.utils import timezone, translation

from brukarrevision.accounts.models import User
from brukarrevision.analysis import demo as analysis_demo
from brukarrevision.audits import services
from brukarrevision.audits.checklists import CHECKLISTS
from brukarrevision.audits.models import (
    Audit,
    AuditMember,
    ChecklistTick,
    Method,
    Offer,
    Phase,
    PhaseDate,
    PhaseTransition,
    TargetGroup,
    TrainingRecord,
    TrainingTopic,
)
from brukarrevision.collection import demo as collection_demo
from brukarrevision.instruments import demo as instrument_demo
from brukarrevision.organisations.models import Membership, Organisation, Unit
from brukarrevision.releases import demo as release_demo
from brukarrevision.reports import demo as reports_demo

DEMO_PASSWORD = "demo-brukare-2026"

ACCOUNTS = [
    # email, name, role, organisation, unit
    ("admin@demo.example", "Alva Admin", "admin", None, None),
    ("samordnare@demo.example", "Sara Samordnare", "coordinator", "Brukarkraft Väst", None),
    ("revisor@demo.example", "Rami Revisor", "auditor", "Brukarkraft Väst", None),
    ("revisor2@demo.example", "Kim Karlsson", "auditor", "Brukarkraft Väst", None),
    ("revisor3@demo.example", "Leila Lund", "auditor", "Brukarkraft Väst", None),
    ("revisor4@demo.example", "Olle Ek", "auditor", "Brukarkraft Väst", None),
    ("bestallare@demo.example", "Birgitta Beställare", "client_contact", "Åsby kommun", None),
    ("region@demo.example", "Reza Region", "client_contact", "Region Norrtorp", None),
    (
        "verksamhet@demo.example",
        "Vera Verksamhet",
        "unit_contact",
        "Åsby kommun",
        "Boendestöd Åsby",
    ),
]

UNITS = {
    "Åsby kommun": [
        ("Boendestöd Åsby", Unit.ServiceType.SOCIAL_SERVICES, "Åsby"),
        ("Träffpunkten Åsby", Unit.ServiceType.PSYCHIATRY, "Åsby"),
        ("Beroendemottagningen Åsby", Unit.ServiceType.ADDICTION, "Åsby"),
        ("Gruppbostäder LSS Åsby", Unit.ServiceType.LSS, "Åsby"),
    ],
    "Region Norrtorp": [
        ("Psykiatrimottagning Norrtorp", Unit.ServiceType.PSYCHIATRY, "Norrtorp"),
        ("BUP Norrtorp", Unit.ServiceType.CHILD_YOUTH, "Norrtorp"),
        ("Psykiatrimottagning Västerby", Unit.ServiceType.PSYCHIATRY, "Västerby"),
    ],
}

ANSWERS = {
    "purpose": "Vi vill veta hur brukarna upplever bemötande, information och inflytande, "
    "och få förslag på vad vi kan göra bättre.",
    "anchoring": "Enhetscheferna har beslutat om granskningen och informerat personalen på APT.",
    "recruitment": "Boendestödjarna lämnar information till alla brukare. Anhöriga nås via "
    "anhörigkonsulenten. Personal svarar på en egen enkät.",
    "use_of_results": "Rapporten tas upp i socialnämnden. Varje förslag besvaras skriftligt.",
    "participation": "Brukarrådet är med när resultaten presenteras och när handlingsplanen görs.",
    "follow_up": "Uppföljning efter sex och tolv månader, redovisas på brukarrådet.",
}


def _user(email, name, is_admin=False):
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = is_admin
        user.save()
    return user


def _organisations():
    performer, _ = Organisation.objects.get_or_create(
        name="Brukarkraft Väst",
        defaults={"kind": Organisation.Kind.PERFORMER, "contact_email": "info@brukarkraft.example"},
    )
    asby, _ = Organisation.objects.get_or_create(
        name="Åsby kommun", defaults={"kind": Organisation.Kind.MUNICIPALITY}
    )
    norrtorp, _ = Organisation.objects.get_or_create(
        name="Region Norrtorp", defaults={"kind": Organisation.Kind.REGION}
    )
    for client in (asby, norrtorp):
        for name, service, municipality in UNITS[client.name]:
            Unit.objects.get_or_create(
                client=client,
                name=name,
                defaults={"service_type": service, "municipality": municipality},
            )
    return performer, asby, norrtorp


def _people():
    people = {}
    for email, name, role, org_name, unit_name in ACCOUNTS:
        user = _user(email, name, is_admin=role == "admin")
        people[email] = user
        if org_name:
            org = Organisation.objects.get(name=org_name)
            unit = Unit.objects.get(client=org, name=unit_name) if unit_name else None
            Membership.objects.get_or_create(user=user, organisation=org, role=role, unit=unit)
    return people


def _train(user, by, days_ago=200):
    for topic in TrainingTopic.values:
        TrainingRecord.objects.get_or_create(
            user=user,
            topic=topic,
            defaults={
                "completed_on": timezone.localdate() - datetime.timedelta(days=days_ago),
                "recorded_by": by,
            },
        )


def _plan(audit, coordinator, start, groups, quota=6):
    services.update_plan(
        user=coordinator,
        audit=audit,
        units=list(audit.units.all()),
        municipalities=audit.municipalities,
        method=Method.MIXED,
        budget_sek=85000,
        informs_users="Boendestödjarna och brukarrådet",
        informs_staff="Enhetscheferna på arbetsplatsträffar",
    )
    for name, kind in groups:
        TargetGroup.objects.get_or_create(audit=audit, name=name, defaults={"kind": kind})
    services.set_quotas(
        user=coordinator,
        audit=audit,
        quotas={
            (unit.pk, group.pk): quota if group.kind != TargetGroup.Kind.STAFF else 4
            for unit in audit.units.all()
            for group in audit.target_groups.all()
        },
    )
    dates = {}
    for phase in range(Phase.PLANNING, Phase.CLOSED):
        begin = start + datetime.timedelta(days=30 * (phase - 1))
        dates[phase] = (begin, begin + datetime.timedelta(days=29))
    services.set_timeline(user=coordinator, audit=audit, dates=dates)


def _tick_all(audit, phase, user):
    for item in CHECKLISTS[phase]:
        if item.check is None:
            ChecklistTick.objects.get_or_create(
                audit=audit, key=item.key, defaults={"done_by": user}
            )


def _team(audit, coordinator, auditors, sign=True):
    for index, auditor in enumerate(auditors):
        _train(auditor, coordinator)
        member = services.add_auditor(
            user=coordinator,
            audit=audit,
            auditor=auditor,
            perspective=AuditMember.Perspective.RELATIVE
            if index == 2
            else AuditMember.Perspective.USER,
            declares_not_current_user=True,
        )
        if sign:
            services.sign_pledge(user=auditor, audit=audit)
    coordinator_member = audit.members.get(user=coordinator)
    if sign and not coordinator_member.has_signed_pledge:
        services.sign_pledge(user=coordinator, audit=audit)
    return member


def _advance(audit, user, to_phase, reasons):
    while audit.phase < to_phase:
        _tick_all(audit, audit.phase, user)
        services.move_phase(
            user=user,
            audit=audit,
            to_phase=audit.phase + 1,
            reason=reasons.get(audit.phase + 1, "Checklistan är klar."),
        )
        audit.refresh_from_db()


def _accepted_audit(offer, client, units, submitter, coordinator, slug, title, message):
    application = services.submit_application(
        user=submitter, offer=offer, client=client, units=units, answers=ANSWERS
    )
    audit = services.accept_application(user=coordinator, application=application, message=message)
    Audit.objects.filter(pk=audit.pk).update(slug=slug, title=title)
    audit.refresh_from_db()
    return audit


def _re_audit(offer, asby, unit, submitter, coordinator, auditors, earlier):
    """`demo-2027`: a re-audit of Boendestöd Åsby, collecting answers, its draft report
    compared with the first audit."""
    today = timezone.localdate()
    audit = _accepted_audit(
        offer,
        asby,
        [unit],
        submitter,
        coordinator,
        "demo-2027",
        "Återrevision av boendestöd i Åsby",
        "Vi följer upp brukarrevisionen från i fjol.",
    )
    audit.previous_audit = earlier
    audit.save(update_fields=["previous_audit"])
    _plan(
        audit,
        coordinator,
        today - datetime.timedelta(days=30),
        [("Brukare", TargetGroup.Kind.USERS)],
    )
    _advance(audit, coordinator, Phase.TEAM, REASONS)
    _team(audit, coordinator, auditors[:2])
    _advance(audit, coordinator, Phase.INSTRUMENTS, REASONS)
    reports_demo.prepare_re_audit(audit, earlier, coordinator)
    _advance(audit, coordinator, Phase.COLLECTION, REASONS)
    collection_demo.load_re_audit(audit, coordinator)
    release_demo.load(audit, coordinator, "Svaren hittills, för att jämföra med förra revisionen.")
    reports_demo.start_re_audit_report(audit, auditors[0])


REASONS = {
    Phase.TEAM: "Planen är klar och godkänd av beställaren.",
    Phase.INSTRUMENTS: "Teamet är utbildat och har skrivit på tystnadslöftet.",
    Phase.COLLECTION: "Enkät och intervjuguide är klara och låsta.",
    Phase.ANALYSIS: "Insamlingen är avslutad.",
    Phase.REPORT: "Analysen är klar.",
    Phase.FEEDBACK: "Rapporten är publicerad.",
    Phase.FOLLOW_UP: "Återkopplingsmötet är hållet.",
}


@transaction.atomic
def load() -> None:
    if Audit.objects.filter(slug="demo").exists():
        return
    with translation.override("sv"):  # generated texts (the report's first draft) in Swedish
        _load()


def _load() -> None:
    performer, asby, norrtorp = _organisations()
    people = _people()
    coordinator = people["samordnare@demo.example"]
    client = people["bestallare@demo.example"]
    region = people["region@demo.example"]
    auditors = [people[f"revisor{n}@demo.example"] for n in ("", "2", "3")]
    today = timezone.localdate()

    past = Offer.objects.create(
        performer=performer,
        title="Brukarrevisioner 2026",
        places=None,
        is_open=False,
        description="Brukarstyrda brukarrevisioner inom socialpsykiatri och psykiatri.",
    )
    open_offer = Offer.objects.create(
        performer=performer,
        title="Fyra kommuner hösten 2027",
        places=4,
        closes_on=today + datetime.timedelta(days=60),
        description="Vi genomför brukarrevisioner i fyra kommuner under hösten 2027. "
        "Platserna fördelas i den ordning ansökningarna kommer in.",
    )
    past.is_open = True
    past.save()

    asby_units = list(Unit.objects.filter(client=asby).order_by("pk"))
    demo = _accepted_audit(
        past,
        asby,
        asby_units[:2],
        client,
        coordinator,
        "demo",
        "Brukarrevision av boendestöd och träffpunkt i Åsby",
        "Välkommen! Vi hör av oss om planeringsmöte.",
    )
    groups = [
        ("Brukare", TargetGroup.Kind.USERS),
        ("Anhöriga", TargetGroup.Kind.RELATIVES),
        ("Personal", TargetGroup.Kind.STAFF),
    ]
    _plan(demo, coordinator, today - datetime.timedelta(days=75), groups)
    _advance(demo, coordinator, Phase.TEAM, REASONS)
    _team(demo, coordinator, auditors)
    _advance(demo, coordinator, Phase.INSTRUMENTS, REASONS)
    instrument_demo.load(demo, coordinator)
    _advance(demo, coordinator, Phase.COLLECTION, REASONS)
    collection_demo.load(demo, coordinator, auditors[0])
    collection_demo.load_answer_codes(demo, coordinator)
    analysis_demo.load(demo, auditors[0], auditors[1])
    release_demo.load(demo, coordinator, "Insamlingen är avslutad.")
    _advance(demo, coordinator, Phase.REPORT, REASONS)
    reports_demo.load(demo, coordinator, auditors[0], people["verksamhet@demo.example"])
    _advance(demo, coordinator, Phase.FOLLOW_UP, REASONS)
    _re_audit(past, asby, asby_units[0], client, coordinator, auditors, demo)

    lss = _accepted_audit(
        past,
        asby,
        [asby_units[3]],
        client,
        coordinator,
        "asby-lss",
        "Brukarrevision av gruppbostäder LSS i Åsby",
        "Vi startar planeringen i januari.",
    )
    _plan(
        lss,
        coordinator,
        today - datetime.timedelta(days=10),
        [("Boende", TargetGroup.Kind.USERS), ("Gode män och anhöriga", TargetGroup.Kind.RELATIVES)],
        quota=5,
    )

    norrtorp_units = list(Unit.objects.filter(client=norrtorp).order_by("pk"))
    bup = _accepted_audit(
        past,
        norrtorp,
        [norrtorp_units[1]],
        region,
        coordinator,
        "norrtorp-bup",
        "Brukarrevision av BUP Norrtorp: barn, unga och vårdnadshavare",
        "Barn och unga intervjuas av revisorer med egen erfarenhet.",
    )
    _plan(
        bup,
        coordinator,
        today - datetime.timedelta(days=70),
        [
            ("Barn och unga", TargetGroup.Kind.CHILDREN),
            ("Vårdnadshavare", TargetGroup.Kind.GUARDIANS),
        ],
    )
    _advance(bup, coordinator, Phase.TEAM, REASONS)
    _team(bup, coordinator, [people["revisor3@demo.example"]], sign=False)

    psykiatri = _accepted_audit(
        past,
        norrtorp,
        [norrtorp_units[0]],
        region,
        coordinator,
        "norrtorp-psykiatri-2025",
        "Brukarrevision av Psykiatrimottagning Norrtorp 2025",
        "Tack för ansökan.",
    )
    _plan(
        psykiatri,
        coordinator,
        today - datetime.timedelta(days=400),
        [("Patienter", TargetGroup.Kind.USERS), ("Anhöriga", TargetGroup.Kind.RELATIVES)],
    )
    _advance(psykiatri, coordinator, Phase.TEAM, REASONS)
    _team(
        psykiatri, coordinator, [people["revisor2@demo.example"], people["revisor4@demo.example"]]
    )
    _advance(psykiatri, coordinator, Phase.INSTRUMENTS, REASONS)
    instrument_demo.load_small(psykiatri, coordinator)
    _advance(psykiatri, coordinator, Phase.ANALYSIS, REASONS)
    release_demo.load(psykiatri, coordinator, "Insamlingen är avslutad.")
    _advance(psykiatri, coordinator, Phase.FOLLOW_UP, REASONS)
    _backdate(psykiatri, 400)

    past.is_open = False
    past.save()
    services.submit_application(
        user=region, offer=open_offer, client=norrtorp, units=[norrtorp_units[2]], answers=ANSWERS
    )
    _backdate(demo, 75)
    _backdate(bup, 70)
    from brukarrevision.audits.demo_retention import load_retention

    load_retention(demo, psykiatri, coordinator)
    from brukarrevision.councils import demo as councils_demo

    councils_demo.load(demo, coordinator)
    from brukarrevision.suggestions import demo as suggestions_demo

    suggestions_demo.load(people)
    from brukarrevision.pool import demo as pool_demo

    pool_demo.load(performer, coordinator)
    from brukarrevision.pay import demo as pay_demo

    pay_demo.load(performer, demo, coordinator, auditors)
    from brukarrevision.ladder import demo as ladder_demo

    ladder_demo.load(people["verksamhet@demo.example"])
    from brukarrevision.openrosa import demo as openrosa_demo

    openrosa_demo.load(auditors[0])
    from brukarrevision.certification import demo as certification_demo

    certification_demo.load(performer, coordinator)
    from brukarrevision.portfolio import demo as portfolio_demo

    portfolio_demo.load(people, coordinator)
    from brukarrevision.core import demo_security

    demo_security.load(DEMO_PASSWORD)


def _backdate(audit, days):
    """Spread the demo's recorded moves over the past, as a real audit's would be."""
    moves = list(PhaseTransition.objects.filter(audit=audit).order_by("pk"))
    start = timezone.now() - datetime.timedelta(days=days)
    step = datetime.timedelta(days=days / max(len(moves), 1) * 0.8)
    for index, move in enumerate(moves):
        move.moved_at = start + step * index
        move.save(update_fields=["moved_at"])
    PhaseDate.objects.filter(audit=audit)  # dates were already set relative to today
