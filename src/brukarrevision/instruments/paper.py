"""The printable paper version of an instrument, as a tagged PDF (PDF/UA) via WeasyPrint.

Every question carries its code and every answer box the answer's code, so auditors can type
paper answers in afterwards on the keyboard-only entry page.
"""

from django.template.loader import render_to_string
from django.utils import translation

from . import conditions, languages, options, selectors
from .models import Instrument, Item


def _rows(item: Item, lang: str) -> list[dict]:
    return [
        {"code": row.code, "text": languages.text_in(row.text, lang)} for row in item.rows.all()
    ]


def _entry(item: Item, lang: str) -> dict:
    return {
        "code": item.code,
        "kind": item.kind,
        "text": languages.text_in(item.text, lang),
        "help": languages.text_in(item.help, lang),
        "required": item.required,
        "options": options.options(item.rows.first() or item, lang)
        if item.kind == Item.Kind.MATRIX
        else options.options(item, lang),
        "rows": _rows(item, lang) if item.kind == Item.Kind.MATRIX else [],
        "prompts": [p for p in languages.text_in(item.prompts, lang).splitlines() if p.strip()],
        "note": languages.text_in(item.interviewer_note, lang),
        "condition": _condition_text(item, lang),
    }


def _condition_text(item: Item, lang: str) -> dict | None:
    """On paper nothing hides a question, so the form says when to answer it."""
    if not item.condition:
        return None
    rule = item.condition
    value = rule.get("value", "")
    source = item.instrument.all_items().filter(code=rule["item"]).first()
    if source is not None:
        value = {o.value: o.label for o in options.options(source, lang)}.get(value, value)
    return {
        "code": rule["item"],
        "op": str(conditions.OPERATORS.get(rule["op"], rule["op"])),
        "value": value,
        "answered": rule["op"] == "answered",
    }


def context(instrument: Instrument, lang: str) -> dict:
    sections = [
        {
            "title": languages.text_in(section.title, lang),
            "items": [_entry(item, lang) for item in section.top_items],
        }
        for section in selectors.sections_with_items(instrument)
    ]
    return {
        "instrument": instrument,
        "lang": lang,
        "html_lang": languages.html_lang(lang),
        "dir": languages.direction(lang),
        "intro": languages.text_in(instrument.intro, lang),
        "sections": sections,
    }


def render_html(instrument: Instrument, lang: str) -> str:
    # The form's own words (codes, "tick one box") follow the respondent's language where
    # we have it, else Swedish.
    ui = "en" if languages.html_lang(lang) not in ("sv",) else "sv"
    with translation.override(ui):
        return render_to_string("instruments/paper.html", context(instrument, lang))


def render_pdf(instrument: Instrument, lang: str) -> bytes:
    from weasyprint import HTML

    html = render_html(instrument, lang)
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
