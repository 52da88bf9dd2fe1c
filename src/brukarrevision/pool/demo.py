"""The demo pool of Brukarkraft Väst: twenty people (the demo auditors among them, with
their employee numbers), a spring course that one person completed, an autumn course
whose attendance is still to be marked, and one request through the way in from a unit,
accepted by Rami Revisor. Every name is invented."""

import datetime

from django.utils import timezone

from brukarrevision.accounts.models import User
from brukarrevision.organisations.models import Membership, Organisation, Unit

from . import services
from .consent import CURRENT_VERSION
from .models import Experience, Module, Participant, PoolMember

USER, RELATIVE, BOTH = Experience.USER, Experience.RELATIVE, Experience.BOTH

# email of a demo account (or None), name, payroll id, experience, languages, availability
PEOPLE = [
    ("revisor@demo.example", "Rami Revisor", "1001", USER, "svenska, arabiska", "Vardagar"),
    ("revisor2@demo.example", "Kim Karlsson", "1002", USER, "svenska, engelska", "Eftermiddagar"),
    ("revisor3@demo.example", "Leila Lund", "1003", RELATIVE, "svenska, persiska", "Vardagar"),
    ("revisor4@demo.example", "Olle Ek", "1004", BOTH, "svenska", "Måndag–onsdag"),
    ("amir.haddad@demo.example", "Amir Haddad", "1005", USER, "svenska, arabiska", "Kvällar"),
    ("nora.nystrom@demo.example", "Nora Nyström", "1006", RELATIVE, "svenska", "Vardagar"),
    (None, "Elsa Berg", "", USER, "svenska, finska", "Förmiddagar"),
    (None, "Johan Strand", "", BOTH, "svenska, engelska", "Vardagar"),
    (None, "Maja Holm", "", RELATIVE, "svenska", "Tisdagar och torsdagar"),
    (None, "Yusuf Ali", "", USER, "svenska, somaliska", "Vardagar efter 13"),
    (None, "Greta Sjöberg", "", RELATIVE, "svenska, teckenspråk", "Hela veckan"),
    (None, "Tomas Lindqvist", "", USER, "svenska", "Inte i juli"),
    (None, "Sofia Petrović", "", USER, "svenska, serbiska", "Eftermiddagar"),
    (None, "Ahmed Karimi", "", RELATIVE, "svenska, dari", "Vardagar"),
    (None, "Lena Forsberg", "", USER, "svenska", "Måndagar"),
    (None, "Pekka Niemi", "", BOTH, "svenska, finska", "Vardagar"),
    (None, "Hanna Åberg", "", USER, "svenska, engelska", "Kvällar"),
    (None, "Daniel Ekström", "", RELATIVE, "svenska", "Fredagar"),
    (None, "Fatima Hussein", "", USER, "svenska, arabiska, engelska", "Vardagar"),
    (None, "Ingrid Wallin", "", RELATIVE, "svenska", "Förmiddagar"),
]


def _account(email, name, performer):
    """The two pool members with accounts who are not among core's demo accounts: made as
    the pool makes accounts (no usable password, the auditor role)."""
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(
        user=user, organisation=performer, role=Membership.Role.AUDITOR
    )
    return user


def _pool(performer: Organisation) -> dict[str, PoolMember]:
    consent_at = timezone.now() - datetime.timedelta(days=150)
    members = {}
    for email, name, payroll_id, experience, languages, availability in PEOPLE:
        user = None
        if email:
            user = User.objects.filter(email=email).first() or _account(email, name, performer)
        member, _created = PoolMember.objects.get_or_create(
            organisation=performer,
            full_name=name,
            defaults={
                "user": user,
                "email": email or f"{name.split()[0].lower()}@exempel.example",
                "phone": "070-123 45 67",
                "payroll_id": payroll_id,
                "experience": experience,
                "languages": languages,
                "availability": availability,
                "consent_given_at": consent_at,
                "consent_text_version": CURRENT_VERSION,
            },
        )
        members[name] = member
    # People who use a service may not audit it.
    traffpunkten = Unit.objects.filter(name="Träffpunkten Åsby").first()
    if traffpunkten:
        members["Elsa Berg"].not_to_audit.add(traffpunkten)
    members["Johan Strand"].not_to_audit_service_types = [Unit.ServiceType.PSYCHIATRY]
    members["Johan Strand"].save(update_fields=["not_to_audit_service_types"])
    members["Tomas Lindqvist"].available = False
    members["Tomas Lindqvist"].save(update_fields=["available"])
    return members


def _courses(performer, coordinator, members) -> None:
    today = timezone.localdate()
    spring = services.save_course(
        user=coordinator,
        organisation=performer,
        title="Grundutbildning för brukarrevisorer, våren",
        modules=Module.values,
    )
    sessions = [
        services.add_session(
            user=coordinator,
            course=spring,
            date=today - datetime.timedelta(days=days),
            place="Föreningens lokal, Storgatan 4",
            modules=modules,
        )
        for days, modules in [
            (120, [Module.LAW, Module.SECRECY]),
            (113, [Module.INTERVIEWING]),
            (106, [Module.ANALYSIS, Module.REPORT_WRITING]),
        ]
    ]
    places = {
        name: services.add_participant(
            user=coordinator, course=spring, member=members[name], role=role
        )
        for name, role in [
            ("Amir Haddad", Participant.Role.AUDITOR),
            ("Elsa Berg", Participant.Role.AUDITOR),
            ("Maja Holm", Participant.Role.AUDITOR),
            ("Johan Strand", Participant.Role.COORDINATOR),
        ]
    }
    for index, session in enumerate(sessions):
        present = [places["Amir Haddad"], places["Johan Strand"]]
        if index < 2:
            present.append(places["Elsa Berg"])
        if index == 0:
            present.append(places["Maja Holm"])
        services.record_attendance(user=coordinator, session=session, present=present)

    autumn = services.save_course(
        user=coordinator,
        organisation=performer,
        title="Grundutbildning för brukarrevisorer, hösten",
        modules=[Module.LAW, Module.SECRECY, Module.INTERVIEWING],
    )
    for days, modules in [(14, [Module.LAW, Module.SECRECY]), (7, [Module.INTERVIEWING])]:
        services.add_session(
            user=coordinator,
            course=autumn,
            date=today - datetime.timedelta(days=days),
            place="Föreningens lokal, Storgatan 4",
            modules=modules,
        )
    for name in ("Nora Nyström", "Yusuf Ali", "Greta Sjöberg"):
        services.add_participant(
            user=coordinator, course=autumn, member=members[name], role=Participant.Role.AUDITOR
        )


def _way_in(performer, coordinator, members) -> None:
    unit = Unit.objects.filter(name="Träffpunkten Åsby").first()
    found = services.submit_request(
        organisation=performer,
        data={
            "requester_kind": "unit",
            "requester_name": "Träffpunkten Åsby, Åsby kommun",
            "service_type": Unit.ServiceType.PSYCHIATRY,
            "contact_name": "Vera Verksamhet",
            "contact_email": "verksamhet@demo.example",
            "contact_phone": "0123-456 78",
            "kind": "working_group",
            "task": "Vi gör om vårt informationsmaterial och vill ha med två personer med egen "
            "erfarenhet i arbetsgruppen: tre möten à två timmar.",
            "starts_on": timezone.localdate() + datetime.timedelta(days=21),
            "ends_on": timezone.localdate() + datetime.timedelta(days=49),
            "dates_note": "Tisdagar 13–15 på Träffpunkten",
            "people_needed": 2,
            "compensation": "Arvode enligt föreningens taxa och resekostnader",
            "experience_wanted": "",
        },
    )
    services.update_request(user=coordinator, found=found, status=found.status, unit=unit)
    made = services.offer_request(
        user=coordinator, found=found, members=[members["Rami Revisor"], members["Leila Lund"]]
    )
    rami = next(a for a in made if a.member == members["Rami Revisor"])
    services.answer_assignment(token=rami.token, accept=True)


def load(performer: Organisation, coordinator) -> None:
    if PoolMember.objects.filter(organisation=performer).exists():
        return
    members = _pool(performer)
    _courses(performer, coordinator, members)
    _way_in(performer, coordinator, members)
