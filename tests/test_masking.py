"""Free text is masked when it is saved, in drafts as well as in responses: personal identity
numbers, phone numbers and e-mail addresses in the forms people really write them, while
dates, amounts, years and codes stay as they are."""

import pytest

from brukarrevision.collection import cleaning

PN, PHONE, EMAIL = cleaning.PERSONAL_NUMBER_MASK, cleaning.PHONE_MASK, cleaning.EMAIL_MASK

MASKED = [
    ("Mitt personnummer är 19121212-1212.", PN),
    ("pnr 191212121212", PN),
    ("19121212 1212", PN),
    ("121212-1212", PN),
    ("121212+1212", PN),
    ("1212121212", PN),
    ("20121212-1211 är min son", None),  # wrong control digit: not a personnummer
    ("samordningsnummer 701063-2391", PN),
    ("Ring 070-123 45 67", PHONE),
    ("070 - 123 45 67", PHONE),
    ("0701234567", PHONE),
    ("070 123 45 67", PHONE),
    ("+46 70 123 45 67", PHONE),
    ("+46701234567", PHONE),
    ("46701234567", PHONE),
    ("0046 70 123 45 67", PHONE),
    ("08-123 456 78", PHONE),
    ("031-12 34 56", PHONE),
    ("(08) 123 45 67", PHONE),
    ("kim@example.org", EMAIL),
    ("Skriv till anna.andersson@kommun.se!", EMAIL),
    ("anna(at)example.se", EMAIL),
    ("anna [at] example punkt se", EMAIL),
    ("anna at example dot se", EMAIL),
    ("anna (snabel-a) example.se", EMAIL),
    ("ANNA@EXAMPLE.SE", EMAIL),
]

KEPT = [
    "Det hände 2024-05-12.",
    "Mötet var 12/5 kl 14:30.",
    "Det kostar 1 500 kr i månaden.",
    "150 000 kronor i budget",
    "Jag har gått här sedan 2019.",
    "Åren 2019-2020 var svåra.",
    "Fråga q5 och plan_med var svåra.",
    "Jag går dit 3-4 gånger i veckan.",
    "Rum 12, våning 3.",
    "Jag är 45 år.",
    "Vi var 20 personer.",
    "Buss 70 går varje timme.",
    "Betyg 4 av 5.",
    "Klockan 07.30 börjar dagen.",
    "Telefontiden 8-10 är för kort.",
    "Det tog 30 minuter.",
    "Postnummer 123 45 Åsby",
    "Version 1.2.3",
]


@pytest.mark.parametrize("text, mask", MASKED)
def test_personal_data_is_masked(text, mask):
    cleaned = cleaning.clean(text).text
    if mask is None:
        assert cleaned == text
    else:
        assert mask in cleaned, cleaned
        digits = [c for c in cleaned if c.isdigit()]
        assert len(digits) < 4 or mask == EMAIL, cleaned


@pytest.mark.parametrize("text", KEPT)
def test_look_alikes_stay_as_written(text):
    assert cleaning.clean(text).text == text


def test_the_table_is_large_enough():
    assert len(MASKED) + len(KEPT) >= 40


def test_a_draft_is_masked_when_it_is_saved(demo_data):
    from brukarrevision.collection.models import Distribution, Draft

    draft = Draft(
        key="k" * 40,
        distribution=Distribution.objects.get(token="demo"),
        submission_key="s" * 40,
        language="sv",
        answers={"andra": "Ring mig på 070 - 123 45 67 eller anna(at)example.se", "stod": "bada"},
    )
    draft.save()
    stored = Draft.objects.get(pk=draft.pk).answers
    assert stored["andra"] == f"Ring mig på {PHONE} eller {EMAIL}"
    assert stored["stod"] == "bada"
