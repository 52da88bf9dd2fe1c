"""Reading instruments: current versions, missing translations, conditions."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from brukarrevision.audits.models import Audit

from . import languages
from .models import Choice, Instrument, Item, Section


def current(audit: Audit) -> QuerySet[Instrument]:
    """The newest version of each of the audit's instruments."""
    return audit.instruments.filter(next_version__isnull=True).order_by("kind", "pk")


def questionnaires(audit: Audit) -> QuerySet[Instrument]:
    """The newest version of each of the audit's questionnaires."""
    return current(audit).filter(kind=Instrument.Kind.QUESTIONNAIRE)


def sections_with_items(instrument: Instrument) -> list[Section]:
    """Sections, each with `.top_items` (no matrix rows) and rows and choices prefetched."""
    items = Item.objects.filter(parent__isnull=True).prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")),
        Prefetch("rows", queryset=Item.objects.order_by("position", "pk")),
        "rows__parent",
    )
    sections = list(
        instrument.sections.prefetch_related(Prefetch("items", queryset=items, to_attr="top_items"))
    )
    return sections


@dataclass(frozen=True)
class Gap:
    language: str
    where: str

    @property
    def language_name(self) -> str:
        return languages.name(self.language)


def _texts_of_item(item: Item):
    yield item.code, _("question"), item.text
    if item.help.get(languages.PLAIN):
        yield item.code, _("help text"), item.help
    if item.kind in Item.SCALE_KINDS and not item.is_row:
        if item.scale_low.get(languages.PLAIN):
            yield item.code, _("lowest step"), item.scale_low
        if item.scale_high.get(languages.PLAIN):
            yield item.code, _("highest step"), item.scale_high
    for choice in item.choices.all():
        yield item.code, _("answer %(code)s") % {"code": choice.value}, choice.label
    if item.prompts.get(languages.PLAIN):
        yield item.code, _("follow-up prompts"), item.prompts


def missing_translations(instrument: Instrument) -> list[Gap]:
    """Every respondent-facing text that has plain Swedish but lacks another version."""
    gaps = []
    texts = []
    if instrument.intro.get(languages.PLAIN):
        texts.append((_("introduction"), instrument.intro))
    for section in instrument.sections.all():
        texts.append((_("heading of section %(n)s") % {"n": section.position + 1}, section.title))
    for item in instrument.all_items().prefetch_related("choices"):
        for code, part, text in _texts_of_item(item):
            texts.append((f"{code}: {part}", text))
    for lang in instrument.languages[1:]:
        for where, text in texts:
            if (text or {}).get(languages.PLAIN) and not (text or {}).get(lang, "").strip():
                gaps.append(Gap(lang, where))
    return gaps


def gaps_by_language(instrument: Instrument) -> dict[str, list[Gap]]:
    found: dict[str, list[Gap]] = {}
    for gap in missing_translations(instrument):
        found.setdefault(gap.language, []).append(gap)
    return found
