"""An instrument as a respondent meets it: a form in one language, and the page structure
that the preview (and the survey) renders, with conditions applied on the server."""

import copy
from dataclasses import dataclass, field

from django import forms

from . import conditions, frozen, languages, options
from .models import Instrument, Item, QualityArea


def _field_for(item: Item, lang: str) -> forms.Field | None:
    choices = [(o.value, o.label) for o in options.options(item, lang)]
    kind = Item.Kind.RATING if item.is_row else item.kind
    if kind in (Item.Kind.SINGLE, Item.Kind.RATING, Item.Kind.YES_NO):
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)
    if kind == Item.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, required=False
        )
    if kind == Item.Kind.NUMBER:
        return forms.IntegerField(
            required=False,
            min_value=0,
            max_value=1_000_000,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "narrow"}),
            error_messages={
                "invalid": options.message("number", lang),
                "min_value": options.message("number", lang),
                "max_value": options.message("number", lang),
            },
        )
    if kind == Item.Kind.SHORT_TEXT:
        return forms.CharField(required=False, max_length=500)
    if kind == Item.Kind.LONG_TEXT:
        return forms.CharField(
            required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
        )
    return None


def _fields(instrument: Instrument, lang: str) -> dict[str, forms.Field]:
    """The form fields of every item in `lang`; made once per process for a frozen
    instrument. Each form takes a shallow copy, so no form changes another's field."""

    def make(instrument: Instrument) -> dict[str, forms.Field]:
        found = {}
        for item in answerable_items(instrument):
            made = _field_for(item, lang)
            if made is not None:
                made.label = languages.text_in(item.text, lang)
                found[item.code] = made
        return found

    return frozen.remember(instrument, f"fields:{lang}", make)


class ResponseForm(forms.Form):
    """One field per answerable item (matrix rows included), named by the item's code.
    Whether an item is required is decided in clean(), after conditions: a question that is
    not shown is never required and its answer is dropped."""

    def __init__(
        self, *args, instrument: Instrument, lang: str, items=None, earlier=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.lang = lang
        self.instrument = instrument
        self.earlier = earlier or {}
        all_items = answerable_items(instrument)
        wanted = {i.pk for i in items} if items is not None else None
        self.items = [
            i for i in all_items if wanted is None or i.pk in wanted or i.parent_id in wanted
        ]
        fields = _fields(instrument, lang)
        for item in self.items:
            if item.code in fields:
                self.fields[item.code] = copy.copy(fields[item.code])

    def visible(self, item: Item, answers: dict) -> bool:
        if item.parent_id and not conditions.is_met(item.parent.condition, answers):
            return False
        return conditions.is_met(item.condition, answers)

    def clean(self):
        answers = {**self.earlier, **self.cleaned_data}
        for item in self.items:
            if item.code not in self.fields:
                continue
            shown = self.visible(item, answers)
            if not shown:
                self.cleaned_data.pop(item.code, None)
                continue
            required = item.required or (item.parent_id and item.parent.required)
            if required and answers.get(item.code) in (None, "", []):
                self.add_error(item.code, options.message("required", self.lang))
        return self.cleaned_data


@dataclass
class Shown:
    item: Item
    text: str
    help: str
    field: forms.BoundField | None
    condition: str
    rows: list = field(default_factory=list)

    @property
    def kind(self):
        return self.item.kind

    @property
    def code(self):
        return self.item.code

    @property
    def fieldset(self) -> bool:
        return self.item.kind in (
            Item.Kind.SINGLE,
            Item.Kind.MULTIPLE,
            Item.Kind.RATING,
            Item.Kind.YES_NO,
        )


def _shown(item: Item, lang: str, form: ResponseForm) -> Shown:
    return Shown(
        item=item,
        text=languages.text_in(item.text, lang),
        help=languages.text_in(item.help, lang),
        field=form[item.code] if item.code in form.fields else None,
        condition=conditions.describe(item.condition),
    )


def page(instrument: Instrument, lang: str, form: ResponseForm) -> list[dict]:
    """Sections with their items ready to render in `lang`."""
    from . import selectors

    found = []
    for section in selectors.sections_with_items(instrument):
        shown = []
        for item in section.top_items:
            entry = _shown(item, lang, form)
            entry.rows = [_shown(row, lang, form) for row in item.rows.all()]
            shown.append(entry)
        found.append(
            {"section": section, "title": languages.text_in(section.title, lang), "items": shown}
        )
    return found


def bank_entry(entry: dict) -> dict:
    return {
        **entry,
        "quality_area_label": QualityArea(entry["quality_area"]).label,
        "kind_label": Item.Kind(entry["kind"]).label,
    }


@dataclass
class SurveyPage:
    section: object
    items: list  # top-level items of the section shown on this page


def survey_pages(instrument: Instrument) -> list[SurveyPage]:
    """A page per section, split before any question whose condition depends on an answer
    on the same page, so that conditions work on the server without JavaScript."""
    return frozen.remember(instrument, "pages", _read_pages)


def answerable_items(instrument: Instrument) -> list[Item]:
    """Every item, each matrix followed by its rows, with choices at hand."""
    return frozen.remember(instrument, "items", _read_items)


def _read_items(instrument: Instrument) -> list[Item]:
    found = []
    for page_ in survey_pages(instrument):
        for item in page_.items:
            found.append(item)
            for row in item.rows.all():
                row.parent = item  # the matrix whose scale and choices the row uses
                found.append(row)
    return found


def _read_pages(instrument: Instrument) -> list[SurveyPage]:
    from . import selectors

    pages = []
    for section in selectors.sections_with_items(instrument):
        current: list = []
        codes: set[str] = set()
        for item in section.top_items:
            depends_on = (item.condition or {}).get("item")
            if depends_on in codes and current:
                pages.append(SurveyPage(section, current))
                current, codes = [], set()
            current.append(item)
            codes.add(item.code)
            codes.update(row.code for row in item.rows.all())
        if current:
            pages.append(SurveyPage(section, current))
    return pages


def shown_items(page: SurveyPage, lang: str, form: ResponseForm, answers: dict) -> list[Shown]:
    """The page's items in `lang`, leaving out those whose condition earlier answers rule out."""
    found = []
    for item in page.items:
        if not conditions.is_met(item.condition, answers):
            continue
        entry = _shown(item, lang, form)
        entry.rows = [_shown(row, lang, form) for row in item.rows.all()]
        found.append(entry)
    return found
