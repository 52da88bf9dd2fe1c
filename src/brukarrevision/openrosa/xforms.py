"""A frozen questionnaire as an XForm for ODK Collect and Enketo, made by pyxform from the
instrument's XLSForm export (instruments/xlsform.py), so the form Collect shows is the form
KoboToolbox and ODK would make of the same file.

Before the questionnaire, a first page asks what the web link and the paper header know:
the unit, the target group, who answered and the language version used. Their names are
`br_…` (another prefix if an item's code would clash). The units and target groups are part
of the form, so the form's version is the instrument's version and a short digest of them:
when the plan changes, Collect sees a new version. Each form is made once per process for
each version (instruments/frozen.py).
"""

import copy
import dataclasses
import hashlib
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from brukarrevision.collection.models import Response
from brukarrevision.instruments import frozen, languages, options, xlsform
from brukarrevision.instruments.models import Instrument, Item

ABOUT = ("about", "unit", "target_group", "respondent", "language")


@dataclass(frozen=True)
class XForm:
    form_id: str
    version: str
    title: str
    xml: str
    md5: str
    names: dict  # what -> element name of the first page's questions


def form_id(instrument: Instrument) -> str:
    """The id the XLSForm export gives the form: `<audit slug>_<instrument id>`."""
    return f"{instrument.audit.slug}_{instrument.pk}"


def instrument_id(form_id_: str) -> tuple[str, int] | None:
    slug, _sep, number = form_id_.rpartition("_")
    return (slug, int(number)) if slug and number.isdigit() else None


def audience(instrument: Instrument) -> tuple[list, list]:
    """The units and target groups a response through this form may belong to."""
    audit = instrument.audit
    units = list(audit.units.order_by("name").values_list("pk", "name"))
    groups = instrument.target_groups.all()
    if not groups.exists():
        groups = audit.target_groups.all()
    return units, list(groups.order_by("pk").values_list("pk", "name"))


def build(instrument: Instrument) -> XForm:
    units, groups = audience(instrument)
    digest = hashlib.sha256(repr((units, groups)).encode()).hexdigest()[:8]
    return frozen.remember(
        instrument, f"xform:{digest}", lambda i: _build(i, units, groups, f"{i.version}-{digest}")
    )


def _labels(texts: dict) -> dict:
    return {xlsform._column("label", lang): text for lang, text in texts.items()}


def _in_each(instrument: Instrument, english: str) -> dict:
    """A text of ours in every language version: English for English, Swedish otherwise
    (the interviewer reads the first page, not the respondent)."""
    found = {}
    for lang in instrument.languages:
        with translation.override("en" if lang == "en" else "sv"):
            found[lang] = _(english)
    return found


def _free_prefix(taken: set[str]) -> str:
    prefix, n = "br_", 1
    while any(f"{prefix}{what}" in taken for what in ABOUT):
        n += 1
        prefix = f"br{n}_"
    return prefix


def _build(instrument: Instrument, units: list, groups: list, version: str) -> XForm:
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    book = get_xlsform(xlsform.export_xlsform(instrument))
    survey = [dict(row) for row in book.survey or []]
    choices = [dict(row) for row in book.choices or []]
    taken = {row.get("name") for row in survey} | {row.get("list_name") for row in choices}
    prefix = _free_prefix({t for t in taken if t})
    names = {what: f"{prefix}{what}" for what in ABOUT}
    langs = instrument.languages
    one = len(langs) == 1

    def each(english: str) -> dict:
        return _labels(_in_each(instrument, english))

    def same(text: str) -> dict:
        return _labels({lang: text for lang in langs})

    def question(what: str, english: str, default: str = "") -> dict:
        return {
            "type": f"select_one {names[what]}",
            "name": names[what],
            **each(english),
            "required": "yes",
            "default": default,
        }

    first = [
        {"type": "begin_group", "name": names["about"], "appearance": "field-list",
         **each("About this response")},
        question("unit", "Unit"),
        question("target_group", "Target group"),
        question("respondent", "Who answered", Response.Respondent.SELF),
        question("language", "Language version used", languages.PLAIN),
        {"type": "end_group"},
    ]  # fmt: skip
    extra = []
    # With one answer only there is nothing to ask: the value is set without a question.
    for row, what, values in [(1, "unit", units), (2, "target_group", groups)]:
        if len(values) <= 1:
            _fixed(first[row], str(values[0][0]) if values else "")
        else:
            extra += [{"list_name": names[what], "name": str(pk), **same(name)}
                      for pk, name in values]  # fmt: skip
    if one:
        _fixed(first[4], languages.PLAIN)
    for value, label in Response.Respondent.choices:
        extra.append({"list_name": names["respondent"], "name": value, **each(str(label))})
    for lang in langs if not one else []:
        own = languages.OWN_NAMES.get(lang, lang)
        extra.append({"list_name": names["language"], "name": lang, **same(own)})
    headers = {key for row in first + extra for key in row}
    survey_header = [{**(book.survey_header or [{}])[0], **dict.fromkeys(headers)}]
    choices_header = [{**(book.choices_header or [{}])[0], **dict.fromkeys(headers)}]
    settings = [{**(book.settings or [{}])[0], "version": version}]
    book = dataclasses.replace(
        book,
        survey=first + survey,
        survey_header=survey_header,
        choices=choices + extra,
        choices_header=choices_header,
        settings=settings,
    )
    form = workbook_to_json(book, form_name="data", warnings=[])
    xml = create_survey_element_from_dict(copy.deepcopy(form)).to_xml(validate=False)
    return XForm(
        form_id=form_id(instrument),
        version=version,
        title=instrument.title,
        xml=xml,
        md5=hashlib.md5(xml.encode()).hexdigest(),
        names=names,
    )


def _fixed(row: dict, value: str) -> None:
    row["type"] = "calculate"
    row["calculation"] = f"'{value}'"
    for key in ["required", "default"]:
        row.pop(key, None)
    for key in [k for k in row if k.startswith("label::")]:
        row.pop(key)


def special_names(item: Item) -> dict[str, str]:
    """The answer names the export gives "don't know" and "not applicable" on this item's
    scale (kept names such as 9 and 98, or dont_know and not_applicable), mapped back to the
    values stored. The same choice as instruments/xlsform.py _Sheets.scale_list."""
    scale = item.scale
    steps = scale.scale_steps or 5
    taken = {str(n) for n in range(1, steps + 1)} | set(xlsform.SPECIAL)
    found = {}
    for special, wanted, kept in [
        (options.DONT_KNOW, scale.dont_know, scale.dont_know_name),
        (options.NOT_APPLICABLE, scale.not_applicable, scale.not_applicable_name),
    ]:
        if wanted:
            name = kept if kept and kept not in taken else special
            taken.add(name)
            found[name] = special
    return found
