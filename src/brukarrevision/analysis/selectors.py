"""Reading analysis: coders, codings, the coding page and the agreement between two coders."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef

from brukarrevision.audits.models import Audit
from brukarrevision.instruments import languages
from brukarrevision.instruments.models import Item
from brukarrevision.lib import agreement

from .models import Code, Coding
from .services import material


def coders(audit: Audit):
    ids = Coding.objects.filter(code__audit=audit).values("coder_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("full_name", "email")


@dataclass
class CodeAgreement:
    code: Code
    result: agreement.Agreement
    only_first: list  # answers the first coder gave this code and the second did not
    only_second: list

    @property
    def disagreements(self) -> int:
        """Answers on which the two coders decided differently about this code."""
        return len(self.only_first) + len(self.only_second)


@dataclass
class Comparison:
    units: int
    pooled: agreement.Agreement
    codes: list[CodeAgreement]

    @property
    def disagreements(self) -> int:
        return sum(row.disagreements for row in self.codes)


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


# The coding page ----------------------------------------------------------------------------------


def text_items(audit: Audit) -> list[dict]:
    """The questions with text to code, in the material's order, with how many answers."""
    counts = material(audit).order_by().values("item_id").annotate(n=Count("pk"))
    n_by_item = {row["item_id"]: row["n"] for row in counts}
    items = Item.objects.filter(pk__in=n_by_item).order_by("section__instrument_id", "code")
    found = []
    for item in items:
        text = languages.text_in(item.text, "sv")
        found.append(
            {
                "code": item.code,
                "text": text,
                "short": text if len(text) <= 80 else text[:79] + "…",
                "n": n_by_item[item.pk],
            }
        )
    return found


@dataclass
class CodingPage:
    page: object  # a django.core.paginator.Page of answers, each with .shown_codings
    total: int  # answers that match the filters


def coding_page(audit: Audit, user, filters: dict, page_size: int) -> CodingPage:
    """One page of the material to code, filtered by question, by whether `user` has coded
    it, by code and by coder. Codings by others are shown only when asked for (so the
    auditors code independently first); the filter by code looks at the codings shown."""
    answers = material(audit)
    if filters.get("answer"):
        answers = answers.filter(pk=filters["answer"])
    if filters.get("item"):
        answers = answers.filter(item__code=filters["item"])
    shown = Coding.objects.filter(code__audit=audit)
    if not filters.get("show_all"):
        shown = shown.filter(coder=user)
    elif filters.get("coder"):
        shown = shown.filter(coder=filters["coder"])
    mine = Coding.objects.filter(answer=OuterRef("pk"), coder=user)
    if filters.get("status") == "uncoded":
        answers = answers.exclude(Exists(mine))
    elif filters.get("status") == "coded":
        answers = answers.filter(Exists(mine))
    if filters.get("coder"):
        answers = answers.filter(Exists(shown.filter(answer=OuterRef("pk"))))
    if filters.get("code"):
        answers = answers.filter(Exists(shown.filter(answer=OuterRef("pk"), code=filters["code"])))
    paginator = Paginator(answers, page_size)
    page = paginator.get_page(filters.get("page") or 1)
    listed = list(page.object_list)
    by_answer: dict[int, list[Coding]] = {}
    for entry in shown.filter(answer__in=listed).select_related("code", "coder"):
        by_answer.setdefault(entry.answer_id, []).append(entry)
    for answer in listed:
        answer.shown_codings = by_answer.get(answer.pk, [])
    page.object_list = listed
    return CodingPage(page=page, total=paginator.count)
