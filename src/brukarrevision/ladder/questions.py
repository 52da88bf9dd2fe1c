"""The 15 questions of the participation ladder, in plain Swedish with a parallel English text.

Harry Shier's "Pathways to participation" (2001), as used in Swedish by Ulla-Carin Schön: five
levels, each with three stages of commitment. "Vi" in the questions means the unit and its staff.
The Swedish wording is the source; the English is a translation for English-speaking users.
"""

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Text:
    sv: str
    en: str

    def __str__(self) -> str:
        language = (get_language() or "sv").lower()
        return self.en if language.startswith("en") else self.sv


@dataclass(frozen=True)
class Stage:
    code: str
    name: Text
    explanation: Text


@dataclass(frozen=True)
class Level:
    number: int
    name: Text


@dataclass(frozen=True)
class Question:
    level: Level
    stage: Stage
    text: Text

    @property
    def key(self) -> str:
        return f"{self.level.number}-{self.stage.code}"


OPENINGS = Stage(
    "openings",
    Text("Öppningar", "Openings"),
    Text(
        "Är vi redo? Vi vill och tänker göra det.",
        "Are we ready? We want to and intend to do it.",
    ),
)
OPPORTUNITIES = Stage(
    "opportunities",
    Text("Möjligheter", "Opportunities"),
    Text(
        "Finns det rutiner, tid och kunskap så att det går att göra?",
        "Are there routines, time and skills so that it can be done?",
    ),
)
OBLIGATIONS = Stage(
    "obligations",
    Text("Skyldigheter", "Obligations"),
    Text(
        "Står det som ett krav i vår policy, så att det gäller alltid?",
        "Is it a requirement in our policy, so that it always applies?",
    ),
)
STAGES = (OPENINGS, OPPORTUNITIES, OBLIGATIONS)

LEVELS = (
    Level(1, Text("Brukarna blir lyssnade på", "Users are listened to")),
    Level(
        2,
        Text(
            "Brukarna får stöd att uttrycka sina åsikter",
            "Users are supported in expressing their views",
        ),
    ),
    Level(3, Text("Brukarnas åsikter tas i beaktande", "Users' views are taken into account")),
    Level(
        4,
        Text(
            "Brukarna involveras i beslutsprocesser",
            "Users are involved in decision-making processes",
        ),
    ),
    Level(
        5,
        Text(
            "Brukarna delar makt och ansvar över beslut",
            "Users share power and responsibility for decisions",
        ),
    ),
)

_TEXTS = {
    (1, "openings"): Text(
        "Är vi redo att lyssna på brukarna?",
        "Are we ready to listen to the users?",
    ),
    (1, "opportunities"): Text(
        "Finns det rutiner som gör det möjligt att lyssna på brukarna?",
        "Are there routines that make it possible to listen to the users?",
    ),
    (1, "obligations"): Text(
        "Är det ett krav i vår policy att brukarna ska bli lyssnade på?",
        "Is it a requirement in our policy that the users are listened to?",
    ),
    (2, "openings"): Text(
        "Är vi redo att ge brukarna stöd att säga vad de tycker?",
        "Are we ready to support the users in saying what they think?",
    ),
    (2, "opportunities"): Text(
        "Finns det rutiner som gör det möjligt att ge brukarna stöd att säga vad de tycker? "
        "Till exempel olika sätt att säga sin åsikt, som samtal, enkäter eller bilder.",
        "Are there routines that make it possible to support the users in saying what they "
        "think? For example different ways to give one's view, such as talks, surveys or "
        "pictures.",
    ),
    (2, "obligations"): Text(
        "Är det ett krav i vår policy att brukarna ska få stöd att säga vad de tycker?",
        "Is it a requirement in our policy that the users get support in saying what they think?",
    ),
    (3, "openings"): Text(
        "Är vi redo att ta hänsyn till vad brukarna tycker?",
        "Are we ready to take the users' views into account?",
    ),
    (3, "opportunities"): Text(
        "Finns det rutiner som gör det möjligt att ta hänsyn till vad brukarna tycker "
        "när vi fattar beslut?",
        "Are there routines that make it possible to take the users' views into account "
        "when we make decisions?",
    ),
    (3, "obligations"): Text(
        "Är det ett krav i vår policy att det brukarna tycker ska väga tungt när vi fattar beslut?",
        "Is it a requirement in our policy that the users' views carry weight when we make "
        "decisions?",
    ),
    (4, "openings"): Text(
        "Är vi redo att låta brukarna vara med när vi fattar beslut?",
        "Are we ready to let the users take part when we make decisions?",
    ),
    (4, "opportunities"): Text(
        "Finns det rutiner som gör det möjligt för brukarna att vara med när vi fattar beslut?",
        "Are there routines that make it possible for the users to take part when we make "
        "decisions?",
    ),
    (4, "obligations"): Text(
        "Är det ett krav i vår policy att brukarna ska vara med när vi fattar beslut?",
        "Is it a requirement in our policy that the users take part when we make decisions?",
    ),
    (5, "openings"): Text(
        "Är vi redo att dela en del av vår makt med brukarna?",
        "Are we ready to share some of our power with the users?",
    ),
    (5, "opportunities"): Text(
        "Finns det rutiner som gör det möjligt för brukare och personal att dela makt och "
        "ansvar för beslut?",
        "Are there routines that make it possible for users and staff to share power and "
        "responsibility for decisions?",
    ),
    (5, "obligations"): Text(
        "Är det ett krav i vår policy att brukare och personal ska dela makt och ansvar "
        "för beslut?",
        "Is it a requirement in our policy that users and staff share power and "
        "responsibility for decisions?",
    ),
}

QUESTIONS = tuple(
    Question(level, stage, _TEXTS[(level.number, stage.code)])
    for level in LEVELS
    for stage in STAGES
)
KEYS = tuple(question.key for question in QUESTIONS)
BY_KEY = {question.key: question for question in QUESTIONS}


def key(level: int, stage: str) -> str:
    return f"{level}-{stage}"
