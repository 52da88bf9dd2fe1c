"""Demo councils: a user council for Åsby kommun (six members, no one for the relatives, so
representativity shows a gap) and a weekly patient forum at Psykiatrimottagning Norrtorp
whose minutes raise three issues, one of them overdue; the demo audit's first action
proposal is sent to the user council. Every name is invented."""

import datetime

from django.utils import timezone

from brukarrevision.accounts.models import User
from brukarrevision.organisations.models import Organisation, Unit

from . import services
from .models import Body, Issue, Level, Member


def load(audit, coordinator) -> None:
    today = timezone.localdate()
    client = User.objects.get(email="bestallare@demo.example")
    region = User.objects.get(email="region@demo.example")
    unit_contact = User.objects.get(email="verksamhet@demo.example")
    _asby_council(audit, coordinator, client, unit_contact, today)
    _patient_forum(region, today)


def _asby_council(audit, coordinator, client, unit_contact, today) -> None:
    asby = Organisation.objects.get(name="Åsby kommun")
    units = {u.name: u for u in Unit.objects.filter(client=asby)}
    council = services.create_body(
        by=client,
        organisation=asby,
        kind=Body.Kind.USER_COUNCIL,
        name="Brukarrådet i Åsby kommun",
        run_by=audit.performer,
        purpose="Brukare och föreningar ger råd till socialförvaltningen om stöd och "
        "insatser inom socialpsykiatri, beroendevård och LSS.",
    )
    start = today - datetime.timedelta(days=300)
    olle = User.objects.filter(email="revisor4@demo.example").first()
    for name, represents, organisation, unit_names, user in [
        ("Anna Berg", Member.Represents.USERS, "", ["Boendestöd Åsby"], None),
        ("Jonas Åkesson", Member.Represents.USERS, "", ["Träffpunkten Åsby"], None),
        ("Fatima Yusuf", Member.Represents.USERS, "", ["Beroendemottagningen Åsby"], None),
        (
            "Olle Ek",
            Member.Represents.ORGANISATION,
            "Brukarkraft Väst",
            ["Boendestöd Åsby", "Träffpunkten Åsby"],
            olle,
        ),
        (
            "Gunilla Strand",
            Member.Represents.ORGANISATION,
            "RSMH Åsby",
            ["Träffpunkten Åsby"],
            None,
        ),
        ("Per Nyberg", Member.Represents.ORGANISATION, "Länkarna Åsby", [], None),
    ]:
        services.add_member(
            by=client,
            body=council,
            name=name,
            represents=represents,
            organisation_name=organisation,
            units=[units[n] for n in unit_names],
            term_from=start,
            term_to=start + datetime.timedelta(days=730),
            user=user,
        )
    services.add_staff(by=client, body=council, name="Göran Sjöberg", role="socialchef")
    services.add_staff(
        by=client, body=council, name="Vera Verksamhet", role="enhetschef, boendestöd"
    )
    held = today - datetime.timedelta(days=20)
    meeting = services.plan_meeting(
        by=client,
        body=council,
        held_on=held,
        agenda="Föregående protokoll\nBrukarrevisionen av boendestöd och träffpunkt\n"
        "Synpunktslådorna\nÖvriga frågor",
    )
    services.write_minutes(
        by=client,
        meeting=meeting,
        agenda=meeting.agenda,
        minutes="Brukarrevisorerna presenterade rapporten. Rådet vill följa förslagen om "
        "information till nya brukare. Synpunktslådor sätts upp på alla enheter.",
        easy_summary="Vi pratade om brukarrevisionen. Rådet vill veta vad som händer med "
        "förslagen. Alla ställen ska få en låda för synpunkter.",
    )
    services.record_attendance(
        by=client,
        meeting=meeting,
        members=list(council.members.all()[:5]),
        staff=list(council.staff.all()),
    )
    proposal = audit.proposals.order_by("number").first()
    if proposal is not None:
        services.raise_issue(
            by=coordinator,
            body=council,
            title=proposal.title,
            text=proposal.text,
            quality_area=proposal.quality_area,
            level=Level.SERVICE,
            unit=units.get("Boendestöd Åsby"),
            source=Issue.Source.PROPOSAL,
            proposal=proposal,
            owner=unit_contact,
        )
    services.plan_meeting(
        by=client,
        body=council,
        held_on=today + datetime.timedelta(days=40),
        agenda="Svar på frågor från förra mötet\nSynpunktslådorna: första månaden",
    )


def _patient_forum(region, today) -> None:
    norrtorp = Organisation.objects.get(name="Region Norrtorp")
    ward = Unit.objects.get(client=norrtorp, name="Psykiatrimottagning Norrtorp")
    forum = services.create_body(
        by=region,
        organisation=norrtorp,
        unit=ward,
        kind=Body.Kind.PATIENT_FORUM,
        name="Patientforum Psykiatrimottagning Norrtorp",
        purpose="Varje vecka möts patienter och personal. Forumet leds av en person med "
        "egen erfarenhet av psykisk ohälsa. Alla frågor får komma upp.",
    )
    start = today - datetime.timedelta(days=60)
    for name, represents, organisation in [
        ("Samir Haddad", Member.Represents.USERS, ""),
        ("Lena Holm", Member.Represents.USERS, ""),
        ("Emil Vik", Member.Represents.USERS, ""),
        ("Karin Dahl", Member.Represents.RELATIVES, ""),
        ("Tove Lind", Member.Represents.ORGANISATION, "Hjärnkoll Norrtorp"),
    ]:
        services.add_member(
            by=region,
            body=forum,
            name=name,
            represents=represents,
            organisation_name=organisation,
            units=[ward],
            term_from=start,
            term_to=today + datetime.timedelta(days=120),
        )
    services.add_staff(by=region, body=forum, name="Maria Lind", role="avdelningschef")
    services.add_staff(by=region, body=forum, name="Peter Ahl", role="skötare")
    meetings = [
        services.plan_meeting(
            by=region,
            body=forum,
            held_on=today - datetime.timedelta(days=7 * weeks),
            agenda="Runda: hur har veckan varit?\nFrågor från förra veckan\nNya frågor",
        )
        for weeks in (3, 2, 1)
    ]
    for meeting in meetings:
        services.record_attendance(
            by=region,
            meeting=meeting,
            members=list(forum.members.all()[:4]),
            staff=list(forum.staff.all()),
        )
    first = meetings[0]
    services.write_minutes(
        by=region,
        meeting=first,
        agenda=first.agenda,
        minutes="Samir Haddad ledde mötet. Patienterna tog upp tre frågor: balkongen är "
        "stängd för ofta, tv:n i dagrummet fungerar dåligt, och det är oklart vilka regler "
        "som gäller för permission.",
        easy_summary="Vi pratade om tre saker. Balkongen är ofta stängd. Tv:n är dålig. "
        "Reglerna för permission är svåra att förstå.",
    )
    balcony = services.raise_issue(
        by=region,
        body=forum,
        meeting=first,
        title="Balkongen är stängd för ofta",
        text="Patienterna vill kunna gå ut på balkongen varje dag, också på kvällen.",
        quality_area="support",
        level=Level.SERVICE,
        unit=ward,
        source=Issue.Source.MEETING,
        owner=region,
        due_on=today - datetime.timedelta(days=7),
    )
    services.start_work(by=region, issue=balcony, note="Avdelningschefen ser över schemat.")
    tv = services.raise_issue(
        by=region,
        body=forum,
        meeting=first,
        title="Tv:n i dagrummet fungerar dåligt",
        text="Bilden hackar och fjärrkontrollen saknas ofta.",
        quality_area="support",
        level=Level.SERVICE,
        unit=ward,
        source=Issue.Source.MEETING,
        owner=region,
        due_on=today + datetime.timedelta(days=7),
    )
    services.answer_issue(
        by=region,
        issue=tv,
        answer="En ny tv är beställd och kommer nästa vecka. Fjärrkontrollen får en fast "
        "plats vid personalrummet.",
    )
    services.raise_issue(
        by=region,
        body=forum,
        meeting=first,
        title="Oklart vilka regler som gäller för permission",
        text="Patienterna vill ha reglerna skriftligt, också på lättläst svenska.",
        quality_area="information",
        level=Level.INDIVIDUAL,
        unit=ward,
        source=Issue.Source.MEETING,
        owner=region,
        due_on=today + datetime.timedelta(days=14),
    )
    services.plan_meeting(
        by=region,
        body=forum,
        held_on=today + datetime.timedelta(days=7),
        agenda="Svar på frågor: tv:n i dagrummet\nBalkongen\nNya frågor",
    )
