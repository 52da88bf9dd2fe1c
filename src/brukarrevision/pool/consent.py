"""The text a person agrees to when they join the pool. A changed text gets a new version;
each pool member's record keeps the version and the time they agreed to it.

The text is what the person reads and signs, in Swedish, so it is kept here as data."""

CURRENT_VERSION = "2026-1"

TEXTS = {
    "2026-1": (
        "Jag vill vara med i föreningens pool av brukarrevisorer och brukarföreträdare. "
        "Jag samtycker till att föreningen sparar mitt namn, mina kontaktuppgifter, om jag har "
        "egen erfarenhet som brukare eller som anhörig, vilka språk jag talar, när jag kan ta "
        "uppdrag och vilka verksamheter jag inte kan granska för att jag själv använder dem. "
        "Uppgifterna används bara för att erbjuda mig uppdrag, utbildningar och arvode. Bara "
        "föreningens samordnare ser dem. Jag kan när som helst ta tillbaka mitt samtycke, och "
        "då tas mina uppgifter bort."
    ),
}


def text(version: str = CURRENT_VERSION) -> str:
    return TEXTS.get(version, "")
