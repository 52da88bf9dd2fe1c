"""Demo instruments: a complete questionnaire (plain, easy-to-read and English) and an
interview guide for the demo audit, built from the question bank like auditors build them."""

from brukarrevision.audits.models import Audit

from . import bank, services
from .languages import EASY, PLAIN
from .models import Item, Section

LANGS = [PLAIN, EASY, "en"]


def T(sv: str, easy: str, en: str = "") -> dict:  # noqa: N802 - reads like a table
    texts = {PLAIN: sv, EASY: easy}
    if en:
        texts["en"] = en
    return texts


AUDIT_QUESTIONS = [
    ("Blir brukarna bemötta med respekt och lyssnar personalen på dem?", ["treatment"]),
    ("Får brukarna vara med och bestämma om sitt stöd och sina mål?", ["goals", "user_influence"]),
    (
        "Får brukarna den information de behöver, och följs stödet upp?",
        ["information", "follow_up"],
    ),
]


def _bank_items(area: str, service: str, count: int) -> list[str]:
    found = [e for e in bank.search(quality_area=area, service=service, respondent="users")]
    return [e["key"] for e in found if e["kind"] == "rating"][:count]


def load(audit: Audit, user) -> None:
    questions = [
        services.save_audit_question(user=user, audit=audit, text=text, quality_areas=areas)
        for text, areas in AUDIT_QUESTIONS
    ]
    questionnaire = services.create_instrument(
        user=user,
        audit=audit,
        title="Enkät till brukare",
        kind="questionnaire",
        respondent="users",
        language_codes=LANGS,
        target_groups=audit.target_groups.filter(kind="users"),
    )
    questionnaire.intro = T(
        "Vi är brukarrevisorer. Vi har själva erfarenhet av stöd. Vi vill veta vad du tycker "
        "om ditt boendestöd eller träffpunkten. Det är frivilligt att svara och du är anonym.",
        "Vi vill veta vad du tycker om ditt stöd. Du väljer själv om du vill svara. "
        "Ingen får veta vad just du svarar.",
        "We are user auditors with our own experience of support. We want to know what you "
        "think of your housing support or the drop-in centre. Answering is voluntary and "
        "anonymous.",
    )
    questionnaire.save()
    _questionnaire(questionnaire, user, questions)
    _guide(audit, user, questions)


def _questionnaire(instrument, user, questions) -> None:
    first = instrument.sections.get()
    services.update_section(
        user=user, section=first, title=T("Om ditt stöd", "Om ditt stöd", "About your support")
    )
    _about_you(first, user, questions)
    treatment = services.add_section(
        user=user, instrument=instrument, title=T("Bemötande och information", "")
    )
    services.update_section(
        user=user,
        section=treatment,
        title=T(
            "Bemötande och information", "Hur personalen är mot dig", "Treatment and information"
        ),
    )
    _from_bank(treatment, user, ["treatment", "information"], questions[0])
    _matrix(treatment, user, questions[0])
    last = services.add_section(user=user, instrument=instrument, title=T("Mål och inflytande", ""))
    services.update_section(
        user=user,
        section=last,
        title=T(
            "Mål, inflytande och uppföljning",
            "Dina mål och vad du får bestämma",
            "Goals, influence and follow-up",
        ),
    )
    _from_bank(last, user, ["goals", "user_influence", "follow_up"], questions[1])
    _open_questions(last, user)


def _add(section, user, kind, text, **fields) -> Item:
    item = services.add_item(user=user, section=section, kind=kind, text=text)
    choices = fields.pop("choices", None)
    rows = fields.pop("rows", None)
    services.update_item(user=user, item=item, fields=fields, choices=choices, rows=rows)
    return item


def _about_you(section: Section, user, questions) -> None:
    _add(
        section,
        user,
        Item.Kind.SINGLE,
        T("Vilket stöd får du?", "Vilket stöd får du?", "What support do you get?"),
        code="stod",
        required=True,
        quality_area="support",
        choices=[
            {"value": "boendestod", "label": T("Boendestöd", "Stöd i hemmet", "Housing support")},
            {"value": "traffpunkt", "label": T("Träffpunkt", "Träffpunkt", "Drop-in centre")},
            {"value": "bada", "label": T("Båda", "Båda", "Both")},
        ],
    )
    _add(
        section,
        user,
        Item.Kind.NUMBER,
        T(
            "Ungefär hur många år har du haft stödet?",
            "Hur många år har du haft stöd?",
            "About how many years have you had the support?",
        ),
        code="ar",
        quality_area="support",
    )
    plan = _add(
        section,
        user,
        Item.Kind.YES_NO,
        T(
            "Har du en genomförandeplan?",
            "Har du en plan för ditt stöd?",
            "Do you have a care plan?",
        ),
        code="plan",
        quality_area="goals",
        audit_question=questions[1],
    )
    _add(
        section,
        user,
        Item.Kind.RATING,
        T(
            "Jag var med och bestämde vad som står i min plan.",
            "Jag fick vara med och göra planen.",
            "I took part in deciding what my plan says.",
        ),
        code="plan_med",
        quality_area="goals",
        audit_question=questions[1],
        scale_steps=5,
        scale_low=T("Stämmer inte alls", "Nej, inte alls", "Not at all true"),
        scale_high=T("Stämmer helt", "Ja, helt", "Completely true"),
        dont_know=True,
        condition={"item": plan.code, "op": "=", "value": "yes"},
    )


def _from_bank(section, user, areas, question) -> None:
    keys = [key for area in areas for key in _bank_items(area, "social_services", 2)]
    for item in services.copy_from_bank(user=user, section=section, keys=keys):
        services.update_item(user=user, item=item, fields={"audit_question": question})


def _matrix(section, user, question) -> None:
    _add(
        section,
        user,
        Item.Kind.MATRIX,
        T(
            "Hur är personalen mot dig?",
            "Hur är personalen mot dig?",
            "How do the staff treat you?",
        ),
        code="personal",
        quality_area="treatment",
        audit_question=question,
        scale_steps=4,
        scale_low=T("Aldrig", "Aldrig", "Never"),
        scale_high=T("Alltid", "Alltid", "Always"),
        dont_know=True,
        not_applicable=True,
        rows=[
            {
                "code": "personal_lyssnar",
                "text": T(
                    "Personalen lyssnar på mig.",
                    "Personalen lyssnar på mig.",
                    "The staff listen to me.",
                ),
            },
            {
                "code": "personal_tid",
                "text": T(
                    "Personalen har tid för mig.",
                    "Personalen har tid för mig.",
                    "The staff have time for me.",
                ),
            },
            {
                "code": "personal_respekt",
                "text": T(
                    "Personalen behandlar mig med respekt.",
                    "Personalen är schyssta mot mig.",
                    "The staff treat me with respect.",
                ),
            },
        ],
    )


def _open_questions(section, user) -> None:
    _add(
        section,
        user,
        Item.Kind.MULTIPLE,
        T(
            "Vad gör du på träffpunkten?",
            "Vad gör du på träffpunkten?",
            "What do you do at the drop-in centre?",
        ),
        code="gor",
        quality_area="support",
        condition={"item": "stod", "op": "!=", "value": "boendestod"},
        choices=[
            {
                "value": "fika",
                "label": T("Fikar och pratar", "Fikar och pratar", "Have coffee and talk"),
            },
            {
                "value": "aktivitet",
                "label": T("Är med i aktiviteter", "Gör aktiviteter", "Take part in activities"),
            },
            {"value": "rad", "label": T("Får råd och stöd", "Får hjälp", "Get advice and support")},
            {"value": "annat", "label": T("Annat", "Något annat", "Something else")},
        ],
    )
    _add(
        section,
        user,
        Item.Kind.SHORT_TEXT,
        T(
            "Beskriv med några ord hur stödet är för dig.",
            "Skriv några ord om ditt stöd.",
            "Describe in a few words what the support is like for you.",
        ),
        code="ord",
        quality_area="support",
    )
    _add(
        section,
        user,
        Item.Kind.LONG_TEXT,
        T("Vad skulle du vilja ändra på?", "Vad vill du ändra?", "What would you like to change?"),
        code="andra",
        quality_area="user_influence",
        help=T("Skriv inte namn på personer.", "Skriv inga namn.", "Do not write anyone's name."),
    )


GUIDE = [
    (
        T("Bemötande", "Hur personalen är mot dig"),
        [
            (
                T(
                    "Berätta om en gång när du kände dig väl bemött.",
                    "Berätta om en gång när personalen var bra mot dig.",
                ),
                "Vad gjorde personalen?\nHur märkte du det?",
                "Låt personen berätta klart innan du frågar vidare.",
                "treatment",
            ),
            (
                T(
                    "Har det hänt att du inte kände dig lyssnad på?",
                    "Har personalen inte lyssnat på dig någon gång?",
                ),
                "Vad hände sedan?\nVad hade behövts?",
                "",
                "treatment",
            ),
        ],
    ),
    (
        T("Mål och inflytande", "Dina mål"),
        [
            (
                T("Hur var det att göra din plan?", "Hur var det att göra din plan?"),
                "Vem bestämde målen?\nVet du vad som står i planen?",
                "Fråga inte efter diagnoser.",
                "goals",
            ),
        ],
    ),
]


def _guide(audit, user, questions) -> None:
    guide = services.create_instrument(
        user=user,
        audit=audit,
        title="Intervjuguide för brukare",
        kind="interview_guide",
        respondent="users",
        language_codes=[PLAIN, EASY],
        target_groups=audit.target_groups.filter(kind="users"),
    )
    first = guide.sections.get()
    for index, (title, main_questions) in enumerate(GUIDE):
        section = first
        if index == 0:
            services.update_section(user=user, section=first, title=title)
        else:
            section = services.add_section(user=user, instrument=guide, title=title)
        for text, prompts, note, area in main_questions:
            _add(
                section,
                user,
                Item.Kind.LONG_TEXT,
                text,
                quality_area=area,
                audit_question=questions[0] if area == "treatment" else questions[1],
                prompts={PLAIN: prompts, EASY: prompts},
                interviewer_note={PLAIN: note} if note else {},
            )
    keys = _bank_items("information", "social_services", 1)
    services.copy_from_bank(user=user, section=section, keys=keys)


def load_small(audit: Audit, user) -> None:
    """A finished audit's questionnaire: plain and easy-to-read Swedish, from the bank."""
    services.save_audit_question(
        user=user,
        audit=audit,
        text="Hur upplever patienterna bemötandet och informationen på mottagningen?",
        quality_areas=["treatment", "information"],
    )
    instrument = services.create_instrument(
        user=user,
        audit=audit,
        title="Enkät till patienter",
        kind="questionnaire",
        respondent="users",
        language_codes=[PLAIN, EASY],
    )
    section = instrument.sections.get()
    services.update_section(
        user=user, section=section, title=T("Bemötande och information", "Hur du blir bemött")
    )
    keys = [k for area in ["treatment", "information"] for k in _bank_items(area, "psychiatry", 3)]
    services.copy_from_bank(user=user, section=section, keys=keys)
