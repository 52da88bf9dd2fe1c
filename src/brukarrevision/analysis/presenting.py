"""Results made ready for a page or a document: grouped by section, quality area or audit
question, each item with its chart (SVG with a text alternative) and its data table."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from brukarrevision.instruments.models import Item, QualityArea
from brukarrevision.lib import charts, suppression

from .results import ItemResult


@dataclass
class Shown:
    result: ItemResult
    chart: charts.Chart | None


@dataclass
class Block:
    heading: str
    items: list[Shown]


ORDERS = ("section", "quality_area", "audit_question")


def withheld_text(threshold: int | None = None) -> str:
    return _("Hidden to protect groups of fewer than %(n)s") % {
        "n": threshold or suppression.threshold()
    }


def chart(result: ItemResult) -> charts.Chart | None:
    ident = f"chart-{result.code}"
    if result.is_scale:
        steps = [label for _value, label in result.values]
        rows = [
            (g.label, None if g.hidden else [g.count(value) for value, _l in result.values])
            for g in result.columns()
        ]
        return charts.rating(result.text, steps, rows, withheld_text(), ident)
    if result.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE, Item.Kind.YES_NO):
        total = result.total  # a withheld total gives no percent
        rows = [(label, result.figure(total, value).percent) for value, label in result.values]
        return charts.bars(result.text, rows, withheld_text(), ident)
    if result.kind == Item.Kind.NUMBER:
        total = result.total
        rows = [(v, result.figure(total, v).percent) for v in result.numbers(total)]
        return charts.bars(result.text, rows, withheld_text(), ident) if rows else None
    return None


def blocks(found: list[ItemResult], order: str) -> list[Block]:
    headings = _heading_texts(found, order)
    grouped: dict[str, list[Shown]] = {}
    for result in found:
        top = result.item.parent if result.item.parent_id else result.item
        heading = headings(top)
        grouped.setdefault(heading, []).append(Shown(result, chart(result)))
    return [Block(heading, items) for heading, items in grouped.items()]


def _heading_texts(found: list[ItemResult], order: str):
    from brukarrevision.instruments import languages
    from brukarrevision.instruments.models import AuditQuestion, Section

    if order == "quality_area":
        return lambda item: (
            str(QualityArea(item.quality_area).label) if item.quality_area else _("No quality area")
        )
    if order == "audit_question":
        ids = {r.item.audit_question_id for r in found} | {
            r.item.parent.audit_question_id for r in found if r.item.parent_id
        }
        questions = {
            q.pk: f"{q.number}. {q.text}" for q in AuditQuestion.objects.filter(pk__in=ids)
        }
        return lambda item: questions.get(item.audit_question_id) or _("No audit question")
    sections = {
        s.pk: languages.text_in(s.title, languages.PLAIN)
        for s in Section.objects.filter(pk__in={r.item.section_id for r in found})
    }
    return lambda item: sections.get(item.section_id) or _("Questions")
