"""Show-or-hide conditions on earlier answers, and their XLSForm `relevant` form.

A condition is a dict {"item": code, "op": one of OPERATORS, "value": text}. It is kept
simple on purpose: one earlier answer decides whether an item is shown.
"""

import re

from django.utils.translation import gettext_lazy as _

OPERATORS = {
    "=": _("is"),
    "!=": _("is not"),
    ">=": _("is at least"),
    "<=": _("is at most"),
    "selected": _("includes"),
    "answered": _("is answered"),
}

_NAME = r"\$\{([A-Za-z_][\w.-]*)\}"
_VALUE = r"(?:'([^']*)'|\"([^\"]*)\"|(-?\d+(?:\.\d+)?))"
_COMPARISON = re.compile(rf"^\s*{_NAME}\s*(=|!=|>=|<=)\s*{_VALUE}\s*$")
_SELECTED = re.compile(rf"^\s*selected\(\s*{_NAME}\s*,\s*{_VALUE}\s*\)\s*$")


def to_xpath(condition: dict | None) -> str:
    if not condition:
        return ""
    name, op, value = condition["item"], condition["op"], condition.get("value", "")
    if op == "answered":
        return f"${{{name}}} != ''"
    if op == "selected":
        return f"selected(${{{name}}}, '{value}')"
    if op in (">=", "<=") and _is_number(value):
        return f"${{{name}}} {op} {value}"
    return f"${{{name}}} {op} '{value}'"


def from_xpath(expression: str) -> dict | None:
    """The condition an XLSForm `relevant` expression states; ValueError if it is more than
    one comparison of one earlier answer."""
    if not expression or not expression.strip():
        return None
    if match := _SELECTED.match(expression):
        return {"item": match.group(1), "op": "selected", "value": _value(match, 2)}
    if match := _COMPARISON.match(expression):
        name, op, value = match.group(1), match.group(2), _value(match, 3)
        if op == "!=" and value == "":
            return {"item": name, "op": "answered", "value": ""}
        return {"item": name, "op": op, "value": value}
    raise ValueError(expression)


def _value(match, first_group: int) -> str:
    return next((g for g in match.groups()[first_group - 1 :] if g is not None), "")


def _is_number(value: str) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def is_met(condition: dict | None, answers: dict) -> bool:
    """Is the condition met by `answers` (code → text, or list of texts for multiple choice)?"""
    if not condition:
        return True
    given = answers.get(condition["item"])
    op, value = condition["op"], condition.get("value", "")
    if op == "answered":
        return given not in (None, "", [])
    if given in (None, "", []):
        return False
    if op == "selected" or isinstance(given, list):
        chosen = given if isinstance(given, list) else [given]
        return (value in chosen) if op in ("selected", "=") else (value not in chosen)
    if op == "=":
        return str(given) == value
    if op == "!=":
        return str(given) != value
    try:
        number, limit = float(given), float(value)
    except (TypeError, ValueError):
        return False
    return number >= limit if op == ">=" else number <= limit


def describe(condition: dict | None) -> str:
    if not condition:
        return ""
    words = str(OPERATORS.get(condition["op"], condition["op"]))
    if condition["op"] == "answered":
        return f"{condition['item']} {words}"
    return f"{condition['item']} {words} {condition.get('value', '')}"
