"""LIX (läsbarhetsindex), the readability index Swedish writers of easy-to-read text use.

    LIX = words / sentences + 100 × long words / words

A long word has more than six letters. A sentence ends with a full stop, a question or
exclamation mark or a colon, and also at a line break: a heading, a list item or a paragraph
without a full stop is a sentence of its own. Numbers count as words ("7 av 10" is three).

Rough scale (Björnsson): under 30 very easy (children's books, easy-to-read texts), 30–40
easy (fiction, popular magazines), 40–50 medium (newspapers), 50–60 hard (official texts),
over 60 very hard (bureaucratic language). Easy-to-read Swedish (lättläst) aims under 30.
"""

import re
from dataclasses import dataclass

GOAL = 30  # easy-to-read text aims below this
LONG = 6  # a word longer than this many letters is long

_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)|\n+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    long_words: int

    @property
    def lix(self) -> float:
        if not self.words:
            return 0.0
        return self.words / self.sentences + 100 * self.long_words / self.words

    @property
    def rounded(self) -> int:
        return int(self.lix + 0.5)

    @property
    def easy(self) -> bool:
        """True when the text reaches the easy-to-read goal (LIX under 30)."""
        return self.lix < GOAL


def measure(text: str) -> Readability:
    """Words, sentences and long words of `text` (plain text; lines are sentences too)."""
    words = sentences = long_words = 0
    for sentence in _SENTENCE_END.split(text or ""):
        found = _WORD.findall(sentence)
        if not found:
            continue
        sentences += 1
        words += len(found)
        long_words += sum(1 for word in found if _letters(word) > LONG)
    return Readability(words, sentences, long_words)


def lix(text: str) -> float:
    """The LIX of `text`, 0 for a text without words."""
    return measure(text).lix


def _letters(word: str) -> int:
    return sum(1 for char in word if char.isalpha())
