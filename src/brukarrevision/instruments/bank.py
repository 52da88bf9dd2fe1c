"""The question bank shipped with the product (bank.json), read-only.

Auditors copy items from it into their own instruments and change them there.
"""

import json
from functools import cache
from pathlib import Path

BANK_FILE = Path(__file__).with_name("bank.json")


@cache
def items() -> tuple[dict, ...]:
    return tuple(json.loads(BANK_FILE.read_text(encoding="utf-8")))


def get(key: str) -> dict | None:
    return next((entry for entry in items() if entry["key"] == key), None)


def search(*, quality_area="", service="", respondent="", words="") -> list[dict]:
    found = []
    for entry in items():
        if quality_area and entry["quality_area"] != quality_area:
            continue
        if service and service not in entry["services"] and "all" not in entry["services"]:
            continue
        if respondent and entry["respondent"] != respondent:
            continue
        if words and words.lower() not in " ".join(entry["text"].values()).lower():
            continue
        found.append(entry)
    return found
