"""The languages a suggestion box is offered in: the survey's codes (instruments/languages.py)."""

from brukarrevision.instruments import languages as survey

PLAIN = survey.PLAIN
EASY = survey.EASY
ENGLISH = "en"

# The box's own texts exist in these versions (see texts.py).
OFFERED = [PLAIN, EASY, ENGLISH]

CHOICES = [(code, survey.NAMES[code]) for code in OFFERED]
OWN_NAMES = {code: survey.OWN_NAMES[code] for code in OFFERED}


def html_lang(code: str) -> str:
    return survey.html_lang(code)


def direction(code: str) -> str:
    return survey.direction(code)
