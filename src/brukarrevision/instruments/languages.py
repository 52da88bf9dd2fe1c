"""The language versions an instrument can have.

Codes are BCP 47 tags. Plain Swedish is `sv`; easy-to-read Swedish and the children's wording
are Swedish with private-use subtags, so they travel through XLSForm's `label::Name (code)`.
"""

from django.utils.translation import gettext_lazy as _

PLAIN = "sv"
EASY = "sv-x-easy"
CHILD = "sv-x-child"

NAMES = {
    PLAIN: _("Swedish"),
    EASY: _("Easy-to-read Swedish"),
    CHILD: _("Swedish for children and young people"),
    "en": _("English"),
    "ar": _("Arabic"),
    "fa": _("Persian"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "fi": _("Finnish"),
    "smi": _("Sami"),
    "bs": _("Bosnian"),
    "pl": _("Polish"),
    "uk": _("Ukrainian"),
    "es": _("Spanish"),
    "de": _("German"),
}

# What a language is called in its own words, for the respondent's language switch.
OWN_NAMES = {
    PLAIN: "Svenska",
    EASY: "Lättläst svenska",
    CHILD: "Svenska för barn och unga",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "so": "Soomaali",
    "ti": "ትግርኛ",
    "fi": "Suomi",
    "smi": "Sámegiella",
    "bs": "Bosanski",
    "pl": "Polski",
    "uk": "Українська",
    "es": "Español",
    "de": "Deutsch",
}

RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps", "ckb"}

CHOICES = list(NAMES.items())


def name(code: str) -> str:
    return str(NAMES.get(code, code))


def html_lang(code: str) -> str:
    """The value for an HTML lang attribute: private-use subtags are still Swedish."""
    return code.split("-x-")[0]


def direction(code: str) -> str:
    return "rtl" if html_lang(code) in RIGHT_TO_LEFT else "ltr"


def text_in(texts: dict | None, code: str) -> str:
    """The text in `code`; easy-to-read and children's versions fall back to nothing, never
    silently to another language (a missing translation must show, not hide)."""
    return (texts or {}).get(code, "") or ""
