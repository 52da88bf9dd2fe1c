"""Demo report for the audit `demo`: colour ratings, proposals (one passed on to the region),
each with its easy-to-read text, a published report; then feedback: the meeting, the unit's
answers, an action plan with a few updates, and a follower."""

import datetime

from django.utils import timezone

from brukarrevision.analysis.models import Finding
from brukarrevision.followup import services as followup
from brukarrevision.followup.models import Follower

from . import services

RATINGS = {
    "treatment": ("works_well", "De flesta känner sig lyssnade på och respekterade."),
    "information": ("partly", "Information om rättigheter kommer ofta sent."),
    "goals": ("needs_improvement", "Få har varit med och bestämt målen i sin plan."),
    "support": ("partly", "Stödet är bra men svårt att nå kvällar och helger."),
}

PROPOSALS = [
    {
        "title": "Gör genomförandeplanen tillsammans med brukaren",
        "text": "Boka ett eget möte för planen. Brukaren väljer tid och plats och får planen "
        "på lättläst svenska.",
        "easy_text": "Du ska få vara med när din plan görs. Du väljer tid och plats för mötet. "
        "Du får din plan på lätt svenska.",
        "quality_area": "goals",
        "level": "local",
        "priority": "high",
        "finding": "Brukarna vill vara med när planen görs",
    },
    {
        "title": "Ge ett telefonnummer som svarar kvällar och helger",
        "text": "Ett nummer dit brukare kan ringa när kontoret är stängt.",
        "easy_text": "Det ska gå att ringa och få svar på kvällar och helger.",
        "quality_area": "support",
        "level": "local",
        "priority": "medium",
        "finding": "Svårt att nå personalen kvällar och helger",
    },
    {
        "title": "Samordna information om rättigheter i hela regionen",
        "text": "En gemensam broschyr på lättläst svenska om vad man har rätt till.",
        "easy_text": "Alla i regionen ska få veta vad de har rätt till. De ska få ett papper "
        "om det på lätt svenska.",
        "quality_area": "information",
        "level": "regional",
        "priority": "low",
        "recipient": "Region Norrtorp, samverkansgruppen för socialpsykiatri",
        "finding": "",
    },
]


def load(audit, coordinator, auditor, unit_contact) -> None:
    services.save_assessments(user=auditor, audit=audit, ratings=RATINGS)
    proposals = []
    for entry in PROPOSALS:
        fields = {k: v for k, v in entry.items() if k != "finding"}
        findings = list(Finding.objects.filter(audit=audit, title=entry["finding"]))
        proposals.append(
            services.save_proposal(user=auditor, audit=audit, findings=findings, **fields)
        )
    report = services.start_report(user=auditor, audit=audit)
    summary = report.sections.get(key="summary")
    services.save_section(
        user=auditor,
        section=summary,
        heading=summary.heading,
        text=summary.text + "\n\nDet som fungerar bäst är bemötandet. Mest behöver brukarna "
        "få vara med när planen och målen görs.",
    )
    services.submit_for_review(user=auditor, report=report)
    services.publish(user=coordinator, report=report)
    _correct(report, coordinator, auditor)
    _feedback(audit, coordinator, unit_contact, proposals)


def _correct(report, coordinator, auditor) -> None:
    """A correction after publication: version 2 with a change note; version 1 stays listed."""
    services.back_to_draft(user=coordinator, report=report, note="Förtydliga sammanfattningen.")
    summary = report.sections.get(key="summary")
    services.save_section(
        user=auditor,
        section=summary,
        heading=summary.heading,
        text=summary.text.replace("Det som fungerar bäst", "Det som fungerar allra bäst"),
    )
    services.submit_for_review(user=auditor, report=report)
    services.publish(
        user=coordinator,
        report=report,
        note="Ett förtydligande i sammanfattningen om vad som fungerar bäst.",
    )


def _feedback(audit, coordinator, unit_contact, proposals) -> None:
    today = timezone.localdate()
    followup.record_meeting(
        user=coordinator,
        audit=audit,
        held_on=today - datetime.timedelta(days=20),
        participants="Brukarrevisorerna, enhetschefen för boendestödet, två ur personalen",
        notes="Enheten tog emot rapporten och svarade på förslagen.",
        next_follow_up=today + datetime.timedelta(days=160),
    )
    Follower.objects.create(audit=audit, email="foljare@demo.example", confirmed_at=timezone.now())
    plan, phone, region = proposals
    followup.answer_proposal(
        user=unit_contact,
        proposal=plan,
        decision="accepted",
        reason="Vi håller med. Alla planer ska göras tillsammans med brukaren.",
    )
    action = followup.add_action(
        user=unit_contact,
        proposal=plan,
        description="Alla genomförandeplaner görs på ett eget möte med brukaren",
        owner="Enhetschef boendestöd",
        starts_on=today - datetime.timedelta(days=14),
        due_on=today + datetime.timedelta(days=90),
    )
    followup.update_action(
        user=unit_contact,
        action=action,
        status="in_progress",
        progress=40,
        note="Hälften av planerna är gjorda på det nya sättet.",
        made_on=today - datetime.timedelta(days=3),
    )
    followup.answer_proposal(
        user=unit_contact,
        proposal=phone,
        decision="partly",
        reason="Kvällar ja, helger kan vi inte lösa i år.",
    )
    followup.add_action(
        user=unit_contact,
        proposal=phone,
        description="Telefon bemannad vardagar till klockan 21",
        owner="Verksamhetschef",
        starts_on=today + datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=120),
    )
    followup.answer_proposal(
        user=coordinator,
        proposal=region,
        decision="accepted",
        reason="Samverkansgruppen tar fram broschyren under våren.",
    )


def prepare_re_audit(audit, earlier, coordinator) -> None:
    """The re-audit asks the same questions: the earlier audit questions and a copy of its
    questionnaire, so that item codes match and results can be compared."""
    from brukarrevision.instruments import selectors as instrument_selectors
    from brukarrevision.instruments import services as instrument_services

    for question in earlier.audit_questions.order_by("number"):
        instrument_services.save_audit_question(
            user=coordinator, audit=audit, text=question.text, quality_areas=question.quality_areas
        )
    source = instrument_selectors.questionnaires(earlier).get()
    copy = instrument_services.copy_instrument(source, audit=audit)
    copy.target_groups.set(audit.target_groups.all())


def start_re_audit_report(audit, auditor) -> None:
    services.start_report(user=auditor, audit=audit)
