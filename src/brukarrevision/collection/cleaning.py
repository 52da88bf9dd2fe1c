"""Free text is cleaned before it is saved: personal identity numbers, phone numbers and
e-mail addresses are masked, and possible names are flagged for the auditors to review.
The original text is never stored."""

import re
from dataclasses import dataclass

PERSONAL_NUMBER_MASK = "[personnummer]"
PHONE_MASK = "[telefonnummer]"
EMAIL_MASK = "[e-postadress]"

# 19121212-1212, 121212-1212, 121212+1212, 1212121212, and with a space before the last four.
_PERSONAL_NUMBER = re.compile(r"(?<![\d-])((?:19|20)?)(\d{6})([-+ ]?)(\d{4})(?![\d-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# anna(at)example.se, anna [at] example punkt se, anna at example dot se, (snabel-a) …
_AT = r"(?:\s*[\(\[]\s*(?:at|snabel-?a)\s*[\)\]]\s*|\s+(?:at|snabel-?a)\s+)"
_DOT = r"(?:\s*\.\s*|\s*[\(\[]\s*(?:dot|punkt)\s*[\)\]]\s*|\s+(?:dot|punkt)\s+)"
_HIDDEN_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[a-zåäö]{{2,}})+\b", re.IGNORECASE)
# 070-123 45 67, 070 - 123 45 67, +46 70 123 45 67, 0046…, (08) 123 45 67, 46701234567.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+46|0046|46(?=\s?7)|\(?0)\s*\)?\d{1,3}\)?\s*-?\s*(?:\d[\s-]?){5,8}(?<=\d)"
    r"(?!\w)"
)
_WORD = re.compile(r"\b[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöü]+)?\b")

# Common first names in Sweden: a name in a free-text answer may identify someone.
FIRST_NAMES = set(
    """Adam Agnes Ahmed Ali Alice Alva Alexander Amanda Andreas Anders Anna Anneli Annika
    Anton Astrid Axel Barbro Bengt Birgitta Björn Bo Camilla Carina Carl Caroline Cecilia
    Charlotte Christer Christina Daniel David Ebba Elias Elin Elisabeth Ella Ellen Elsa Emil
    Emma Erik Eva Fatima Felix Filip Fredrik Freja Gunilla Gustav Göran Hanna Hans Hassan
    Helena Henrik Hugo Ida Ingrid Isak Jan Jenny Jesper Johan Johanna Johannes Jonas Josefin
    Julia Karin Kent Kerstin Kristina Lars Leif Lena Leo Linda Linnea Lisa Liam Louise Lucas
    Magnus Maja Malin Maria Marie Markus Martin Mats Mattias Max Mikael Mohammed Mohamed
    Monica Nils Noah Oliver Olivia Oscar Ove Per Peter Petra Rasmus Robert Sara Sebastian
    Simon Sofia Sofie Stefan Sven Thomas Tomas Ulf Ulla Viktor Wilma William Yvonne Åsa""".split()
)


@dataclass(frozen=True)
class Cleaned:
    text: str
    needs_review: bool


def _luhn_ok(ten_digits: str) -> bool:
    total = 0
    for index, char in enumerate(ten_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def _is_personal_number(match: re.Match) -> bool:
    date, last = match.group(2), match.group(4)
    month, day = int(date[2:4]), int(date[4:6])
    day = day - 60 if day > 60 else day  # samordningsnummer
    return 1 <= month <= 12 and 1 <= day <= 31 and _luhn_ok(date + last)


def _mask_personal_numbers(text: str) -> str:
    return _PERSONAL_NUMBER.sub(
        lambda m: PERSONAL_NUMBER_MASK if _is_personal_number(m) else m.group(0), text
    )


def _may_hold_a_name(text: str) -> bool:
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word in FIRST_NAMES:
            return True
        before = text[: match.start()].rstrip()
        starts_sentence = not before or before[-1] in ".!?:\n"
        if not starts_sentence and word.lower() not in _COMMON_CAPITALISED:
            return True
    return False


# Capitalised words that are not names: places of the service, days and the like.
_COMMON_CAPITALISED = {"jag", "bup", "lss", "sip", "vc", "sfi", "ipad", "iphone"}


def clean(text: str) -> Cleaned:
    masked = _mask_personal_numbers(text)
    masked = _EMAIL.sub(EMAIL_MASK, masked)
    masked = _HIDDEN_EMAIL.sub(EMAIL_MASK, masked)
    masked = _PHONE.sub(PHONE_MASK, masked)
    return Cleaned(masked, _may_hold_a_name(masked))
