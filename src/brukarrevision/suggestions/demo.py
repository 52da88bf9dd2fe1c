# ruff: noqa: E501 - Swedish demo texts read best unbroken
"""Demo suggestions for two units: some approved and answered (on the wall), some waiting in
the queue, one rejected. Dated in the last quarter and this one, so the wall's counts show
a finished quarter with small numbers hidden."""

import datetime

from django.utils import timezone

from brukarrevision.organisations.models import Unit

from . import services
from .models import Suggestion
from .selectors import Quarter

APPROVED = "approved"
REJECTED = "rejected"

# unit name: [(days into the quarter, about, change, quality area, decision, answer or reason)]
LAST_QUARTER = {
    "Boendestöd Åsby": [
        (
            3,
            "Tiderna för besöken",
            "Jag vill få veta i förväg om boendestödjaren kommer senare än vi bestämt. Ett sms räcker.",
            "information",
            APPROVED,
            "Tack! Från och med nästa månad skickar vi sms om besöket blir mer än en kvart försenat.",
        ),
        (
            9,
            "Bemötandet när jag ringer",
            "Den som svarar i telefon kan säga sitt namn. Då vet jag vem jag pratar med.",
            "treatment",
            APPROVED,
            "Det har du rätt i. Vi har bestämt att alla säger sitt namn när de svarar.",
        ),
        (
            15,
            "Mina mål",
            "Jag vill vara med när målen i min plan skrivs, inte bara skriva under.",
            "goals",
            APPROVED,
            "Vi ändrar rutinen så att planen skrivs tillsammans med dig på ett möte. Vi tar upp det i brukarrådet i vår.",
        ),
        (
            21,
            "Information om vart man vänder sig",
            "En lapp med telefonnummer till chefen och till brukarrådet skulle hjälpa.",
            "information",
            APPROVED,
            "",
        ),
        (
            30,
            "Personalen byts ofta",
            "Det är jobbigt att berätta samma sak för nya personer hela tiden.",
            "treatment",
            None,
            "",
        ),
        (
            41,
            "Aktiviteter",
            "Gemensam promenad en gång i veckan vore bra.",
            "support",
            APPROVED,
            "Från april finns en promenadgrupp på tisdagar klockan 10. Välkommen!",
        ),
        (
            50,
            "Klagomål på en person",
            "Jag tycker inte om hur Maria pratar med mig.",
            "treatment",
            REJECTED,
            "Innehåller ett namn och kan peka ut en person. Synpunkten är lämnad vidare till enhetschefen som ett klagomål.",
        ),
        (
            62,
            "Samarbetet med psykiatrin",
            "Boendestödet och psykiatrin borde prata med varandra innan de ändrar något för mig.",
            "cooperation",
            None,
            "",
        ),
    ],
    "Psykiatrimottagning Norrtorp": [
        (
            5,
            "Väntrummet",
            "Det är trångt och stökigt i väntrummet. Kan det finnas ett lugnare hörn?",
            "",
            APPROVED,
            "Vi har ställt i ordning ett lugnt rum bredvid väntrummet. Fråga i receptionen.",
        ),
        (
            12,
            "Kallelser",
            "Kallelserna är svåra att förstå. Skriv enklare.",
            "information",
            APPROVED,
            "Tack. Vi skriver om kallelserna tillsammans med patientforumet under hösten.",
        ),
        (26, "Läkarbyten", "Jag har träffat fyra olika läkare på ett år.", "treatment", None, ""),
    ],
}

THIS_QUARTER = {
    "Boendestöd Åsby": [
        (
            "Brukarrådet",
            "Fler borde få veta att brukarrådet finns. Sätt upp affischer.",
            "user_influence",
        ),
        ("Mitt nummer", "Ring mig på 070-123 45 67 om ni vill veta mer.", "information"),
    ],
    "Psykiatrimottagning Norrtorp": [
        ("Telefontiderna", "Telefontiden på morgonen är för kort.", "information"),
    ],
}


def load(people: dict) -> None:
    """`people`: the demo's users by e-mail; each unit's own contact or client contact
    moderates its box."""
    moderators = {
        "Boendestöd Åsby": people.get("verksamhet@demo.example"),
        "Psykiatrimottagning Norrtorp": people.get("region@demo.example"),
    }
    from brukarrevision.toolbox import starter

    starter.ensure()  # the toolbox's starter set, should the database have been emptied
    today = timezone.localdate()
    last = Quarter.of(today).previous()
    for unit_name, rows in LAST_QUARTER.items():
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None:
            continue
        moderator = moderators[unit_name]
        for days, about, change, area, decision, text in rows:
            suggestion = services.submit(
                unit=unit, about=about, change=change, quality_area=area, language="sv"
            )
            if decision == APPROVED:
                services.moderate(
                    suggestion=suggestion, by=moderator, decision=decision, answer=text
                )
            elif decision == REJECTED:
                services.moderate(
                    suggestion=suggestion, by=moderator, decision=decision, reason=text
                )
            Suggestion.objects.filter(pk=suggestion.pk).update(
                created_on=last.first_day + datetime.timedelta(days=days)
            )
    for unit_name, rows in THIS_QUARTER.items():
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None:
            continue
        for about, change, area in rows:
            services.submit(unit=unit, about=about, change=change, quality_area=area, language="sv")
