"""The answers an item offers a respondent, in one language.

Rating scales store the step number (1 = lowest); "don't know" and "not applicable" have their
own codes and are never a scale value.
"""

from dataclasses import dataclass

from . import languages
from .models import Item

DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
YES = "yes"
NO = "no"

# Fixed answer texts every instrument uses, in each language we ship.
FIXED = {
    DONT_KNOW: {
        "sv": "Vet inte / vill inte svara",
        "sv-x-easy": "Jag vet inte eller vill inte svara",
        "sv-x-child": "Vet inte / vill inte svara",
        "en": "Don't know / prefer not to say",
        "ar": "لا أعرف / لا أريد الإجابة",
        "fa": "نمی‌دانم / نمی‌خواهم پاسخ دهم",
        "fi": "En tiedä / en halua vastata",
        "de": "Weiß nicht / möchte nicht antworten",
        "es": "No sé / prefiero no responder",
        "pl": "Nie wiem / wolę nie odpowiadać",
        "uk": "Не знаю / не хочу відповідати",
    },
    NOT_APPLICABLE: {
        "sv": "Ej aktuellt",
        "sv-x-easy": "Gäller inte mig",
        "sv-x-child": "Gäller inte mig",
        "en": "Not applicable",
        "ar": "لا ينطبق",
        "fa": "مربوط نیست",
        "fi": "Ei koske minua",
        "de": "Trifft nicht zu",
        "es": "No aplica",
        "pl": "Nie dotyczy",
        "uk": "Не стосується",
    },
    YES: {
        "sv": "Ja",
        "sv-x-easy": "Ja",
        "sv-x-child": "Ja",
        "en": "Yes",
        "ar": "نعم",
        "fa": "بله",
        "fi": "Kyllä",
        "de": "Ja",
        "es": "Sí",
        "pl": "Tak",
        "uk": "Так",
    },
    NO: {
        "sv": "Nej",
        "sv-x-easy": "Nej",
        "sv-x-child": "Nej",
        "en": "No",
        "ar": "لا",
        "fa": "نه",
        "fi": "Ei",
        "de": "Nein",
        "es": "No",
        "pl": "Nie",
        "uk": "Ні",
    },
}

MESSAGES = {
    "required": {
        "sv": "Svara på frågan.",
        "sv-x-easy": "Du måste svara på frågan.",
        "sv-x-child": "Svara på frågan.",
        "en": "Answer this question.",
        "ar": "أجب عن هذا السؤال.",
        "fa": "به این سؤال پاسخ دهید.",
        "fi": "Vastaa kysymykseen.",
        "de": "Beantworten Sie diese Frage.",
        "es": "Responda a esta pregunta.",
        "pl": "Odpowiedz na to pytanie.",
        "uk": "Дайте відповідь на це запитання.",
    },
    "number": {
        "sv": "Skriv ett heltal, till exempel 3.",
        "sv-x-easy": "Skriv en siffra. Till exempel 3.",
        "sv-x-child": "Skriv ett heltal, till exempel 3.",
        "en": "Write a whole number, for example 3.",
        "ar": "اكتب عددًا صحيحًا، مثل 3.",
        "fa": "یک عدد صحیح بنویسید، مثلاً 3.",
        "fi": "Kirjoita kokonaisluku, esimerkiksi 3.",
        "de": "Schreiben Sie eine ganze Zahl, zum Beispiel 3.",
        "es": "Escriba un número entero, por ejemplo 3.",
        "pl": "Wpisz liczbę całkowitą, na przykład 3.",
        "uk": "Напишіть ціле число, наприклад 3.",
    },
}

MESSAGES["errors_title"] = {
    "sv": "Något behöver rättas",
    "sv-x-easy": "Du behöver ändra något",
    "sv-x-child": "Något behöver rättas",
    "en": "Something needs to be fixed",
    "ar": "هناك ما يحتاج إلى تصحيح",
    "fa": "چیزی باید اصلاح شود",
    "fi": "Jotain pitää korjata",
    "de": "Etwas muss korrigiert werden",
    "es": "Hay algo que corregir",
    "pl": "Coś trzeba poprawić",
    "uk": "Щось потрібно виправити",
}
MESSAGES["send"] = {
    "sv": "Skicka",
    "sv-x-easy": "Skicka",
    "sv-x-child": "Skicka",
    "en": "Send",
    "ar": "إرسال",
    "fa": "ارسال",
    "fi": "Lähetä",
    "de": "Senden",
    "es": "Enviar",
    "pl": "Wyślij",
    "uk": "Надіслати",
}


def message(key: str, lang: str) -> str:
    return MESSAGES[key].get(lang) or MESSAGES[key]["sv"]


SUPPORTED_LANGUAGES = [code for code in languages.NAMES if code in FIXED[YES]]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    counts: bool = True  # False for "don't know" and "not applicable"


def fixed(value: str, lang: str) -> str:
    return FIXED[value].get(lang) or FIXED[value]["sv"]


def scale_labels(item: Item, lang: str) -> list[str]:
    scale = item.scale
    steps = scale.scale_steps or 5
    low = languages.text_in(scale.scale_low, lang)
    high = languages.text_in(scale.scale_high, lang)
    labels = [str(n) for n in range(1, steps + 1)]
    if low:
        labels[0] = f"1 – {low}"
    if high:
        labels[-1] = f"{steps} – {high}"
    return labels


def options(item: Item, lang: str) -> list[Option]:
    kind = item.kind if not item.is_row else Item.Kind.RATING
    if kind in Item.CHOICE_KINDS:
        return [Option(c.value, languages.text_in(c.label, lang)) for c in item.choices.all()]
    if kind == Item.Kind.YES_NO:
        return [Option(YES, fixed(YES, lang)), Option(NO, fixed(NO, lang))]
    if kind == Item.Kind.RATING:
        found = [Option(str(n), label) for n, label in enumerate(scale_labels(item, lang), 1)]
        if item.scale.dont_know:
            found.append(Option(DONT_KNOW, fixed(DONT_KNOW, lang), counts=False))
        if item.scale.not_applicable:
            found.append(Option(NOT_APPLICABLE, fixed(NOT_APPLICABLE, lang), counts=False))
        return found
    return []
