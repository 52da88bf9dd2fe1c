"""Reading analysis: coders, codings and the agreement between two coders."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from brukarrevision.audits.models import Audit
from brukarrevision.lib import agreement

from .models import Code, Coding


def coders(audit: Audit):
    ids = Coding.objects.filter(code__audit=audit).values("coder_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("full_name", "email")


@dataclass
class CodeAgreement:
    code: Code
    result: agreement.Agreement
    only_first: list  # answers the first coder gave this code and the second did not
    only_second: list


@dataclass
class Comparison:
    units: int
    pooled: agreement.Agreement
    codes: list[CodeAgreement]


def compare(audit: Audit, first, second) -> Comparison:
    """Two coders' decisions on the passages (answers) either of them coded: per code,
    did each apply it to the answer or not."""
    codings = Coding.objects.filter(code__audit=audit, coder__in=[first, second]).select_related(
        "answer__item"
    )
    applied: dict[tuple[int, int, int], bool] = {}
    answers = {}
    for coding in codings:
        applied[(coding.coder_id, coding.code_id, coding.answer_id)] = True
        answers[coding.answer_id] = coding.answer
    units = sorted(answers)
    decisions, found = {}, []
    for code in Code.objects.filter(audit=audit).select_related("theme"):
        a = [applied.get((first.pk, code.pk, unit), False) for unit in units]
        b = [applied.get((second.pk, code.pk, unit), False) for unit in units]
        if not any(a) and not any(b):
            continue
        decisions[code.name] = (a, b)
        only_a = [answers[u] for u, x, y in zip(units, a, b, strict=True) if x and not y]
        only_b = [answers[u] for u, x, y in zip(units, a, b, strict=True) if y and not x]
        found.append(CodeAgreement(code, agreement.cohen(a, b), only_a, only_b))
    return Comparison(len(units), agreement.pooled(decisions), found)
