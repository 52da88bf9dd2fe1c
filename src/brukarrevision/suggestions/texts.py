# ruff: noqa: E501 - texts for the public read best unbroken
"""The suggestion box's own words, in the language the writer chose (like the survey's
collection/texts.py): plain Swedish, easy-to-read Swedish (lättläst) and English."""

from brukarrevision.instruments.models import QualityArea

from .languages import EASY, ENGLISH, PLAIN

TEXTS = {
    PLAIN: {
        "title": "Lämna en synpunkt",
        "to_unit": "Till {unit}, {organisation}",
        "intro": "Har du en synpunkt på {unit}? Skriv vad det gäller och vad du skulle vilja ändra. Verksamheten läser alla synpunkter och svarar.",
        "anonymous": "Du är anonym. Vi sparar inte ditt namn, din IP-adress eller tiden du skrev, bara datumet. Skriv inga namn, personnummer eller telefonnummer. Om du ändå gör det döljer vi personnummer, telefonnummer och e-postadresser.",
        "public": "Synpunkter som verksamheten godkänner visas tillsammans med svaret på en sida som alla kan läsa. Synpunkter med namn eller sådant som kan peka ut någon visas inte.",
        "about_label": "Vad gäller det?",
        "about_help": "Till exempel bemötandet, informationen, lokalerna eller maten.",
        "change_label": "Vad skulle du vilja ändra?",
        "change_help": "Skriv med egna ord. Det behöver inte vara långt.",
        "area_label": "Vilket område gäller det? (Du behöver inte välja.)",
        "area_none": "Vet inte eller vill inte välja",
        "send": "Skicka synpunkten",
        "errors_title": "Något behöver rättas",
        "required_about": "Skriv vad synpunkten gäller.",
        "required_change": "Skriv vad du skulle vilja ändra.",
        "too_long": "Skriv högst {n} tecken.",
        "thanks_title": "Tack för din synpunkt!",
        "thanks_body": "Vi har tagit emot den. Verksamheten läser den och svarar. Om den godkänns visas den med svaret på verksamhetens synpunktsvägg.",
        "thanks_masked": "Vi dolde något som såg ut som ett personnummer, telefonnummer eller en e-postadress.",
        "to_wall": "Läs synpunkter och svar",
        "another": "Skriv en synpunkt till",
        "limited_title": "Försök igen lite senare",
        "limited_body": "Många synpunkter har skickats från samma nätverk den senaste timmen, så vi kan inte ta emot fler just nu. Din text är kvar nedan. Försök igen om en stund.",
        "language": "Språk",
        "all_boxes": "Alla synpunktslådor",
    },
    EASY: {
        "title": "Säg vad du tycker",
        "to_unit": "Till {unit}, {organisation}",
        "intro": "Här kan du skriva vad du tycker om {unit}. Du kan skriva vad som är bra. Du kan skriva vad som kan bli bättre. Personalen läser det du skriver. De svarar dig.",
        "anonymous": "Ingen får veta att det är du som skriver. Skriv inte ditt namn. Skriv inte andras namn. Skriv inte telefonnummer.",
        "public": "Personalen kan visa det du skriver på en sida. Där kan alla läsa det. Där står också personalens svar.",
        "about_label": "Vad vill du säga något om?",
        "about_help": "Till exempel hur personalen är mot dig, maten eller rummen.",
        "change_label": "Vad vill du ändra?",
        "change_help": "Skriv med dina egna ord. Det får vara kort.",
        "area_label": "Vad handlar det om? (Du måste inte välja.)",
        "area_none": "Jag vet inte",
        "send": "Skicka",
        "errors_title": "Du behöver ändra något",
        "required_about": "Skriv vad du vill säga något om.",
        "required_change": "Skriv vad du vill ändra.",
        "too_long": "Det är för långt. Skriv högst {n} tecken.",
        "thanks_title": "Tack!",
        "thanks_body": "Vi har fått det du skrev. Personalen läser det. Personalen svarar. Svaret kan visas på en sida som alla kan läsa.",
        "thanks_masked": "Vi tog bort ett nummer eller en e-postadress från det du skrev.",
        "to_wall": "Läs vad andra har skrivit",
        "another": "Skriv en gång till",
        "limited_title": "Vänta lite",
        "limited_body": "Många har skrivit från samma ställe nyss. Vi kan inte ta emot mer just nu. Det du skrev finns kvar. Försök igen om en stund.",
        "language": "Språk",
        "all_boxes": "Alla synpunktslådor",
    },
    ENGLISH: {
        "title": "Give a suggestion",
        "to_unit": "To {unit}, {organisation}",
        "intro": "Do you have a view on {unit}? Write what it is about and what you would change. The service reads every suggestion and answers.",
        "anonymous": "You are anonymous. We do not keep your name, your IP address or the time you wrote, only the date. Please write no names, personal identity numbers or phone numbers. If you do, we hide identity numbers, phone numbers and e-mail addresses.",
        "public": "Suggestions the service approves are shown with its answer on a page everyone can read. Suggestions with names or anything that could point to someone are not shown.",
        "about_label": "What is it about?",
        "about_help": "For example how you were treated, the information, the premises or the food.",
        "change_label": "What would you change?",
        "change_help": "Write in your own words. It does not need to be long.",
        "area_label": "Which area is it about? (You do not have to choose.)",
        "area_none": "Don't know or prefer not to choose",
        "send": "Send the suggestion",
        "errors_title": "Something needs to be corrected",
        "required_about": "Write what the suggestion is about.",
        "required_change": "Write what you would change.",
        "too_long": "Write at most {n} characters.",
        "thanks_title": "Thank you for your suggestion!",
        "thanks_body": "We have received it. The service reads it and answers. If it is approved, it is shown with the answer on the service's suggestion wall.",
        "thanks_masked": "We hid something that looked like a personal identity number, a phone number or an e-mail address.",
        "to_wall": "Read suggestions and answers",
        "another": "Write another suggestion",
        "limited_title": "Please try again a little later",
        "limited_body": "Many suggestions have been sent from the same network in the last hour, so we cannot take more just now. Your text is still below. Try again in a while.",
        "language": "Language",
        "all_boxes": "All suggestion boxes",
    },
}

# The quality areas in each language (plain Swedish as in the glossary, DESIGN.md §3).
AREAS = {
    PLAIN: {
        QualityArea.TREATMENT: "Bemötande",
        QualityArea.INFORMATION: "Information",
        QualityArea.NEEDS_ASSESSMENT: "Kartläggning av problem",
        QualityArea.GOALS: "Mål och delmål",
        QualityArea.SUPPORT: "Stödinsatser",
        QualityArea.COOPERATION: "Samverkan med andra",
        QualityArea.FOLLOW_UP: "Uppföljning",
        QualityArea.TRAINING: "Utbildning av personal",
        QualityArea.USER_INFLUENCE: "Brukarinflytande",
        QualityArea.QUALITY_SYSTEM: "Kvalitetsarbete",
    },
    EASY: {
        QualityArea.TREATMENT: "Hur personalen är mot dig",
        QualityArea.INFORMATION: "Information du får",
        QualityArea.NEEDS_ASSESSMENT: "Hur de tar reda på vad du behöver",
        QualityArea.GOALS: "Dina mål",
        QualityArea.SUPPORT: "Stödet du får",
        QualityArea.COOPERATION: "Hur de jobbar med andra",
        QualityArea.FOLLOW_UP: "Hur de följer upp",
        QualityArea.TRAINING: "Vad personalen kan",
        QualityArea.USER_INFLUENCE: "Att du får vara med och bestämma",
        QualityArea.QUALITY_SYSTEM: "Hur de gör saker bättre",
    },
    ENGLISH: {
        QualityArea.TREATMENT: "Treatment",
        QualityArea.INFORMATION: "Information",
        QualityArea.NEEDS_ASSESSMENT: "Assessment of needs",
        QualityArea.GOALS: "Goals and sub-goals",
        QualityArea.SUPPORT: "Support",
        QualityArea.COOPERATION: "Cooperation with others",
        QualityArea.FOLLOW_UP: "Follow-up",
        QualityArea.TRAINING: "Staff training",
        QualityArea.USER_INFLUENCE: "User influence",
        QualityArea.QUALITY_SYSTEM: "Quality work",
    },
}


def texts(lang: str) -> dict:
    return TEXTS.get(lang, TEXTS[PLAIN])


def areas(lang: str) -> list[tuple[str, str]]:
    names = AREAS.get(lang, AREAS[PLAIN])
    return [(str(code), name) for code, name in names.items()]
