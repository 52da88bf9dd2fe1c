from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.audits.models import TargetGroup

from . import conditions, languages, options
from .models import Instrument, Item, QualityArea

TEXT = forms.Textarea(attrs={"rows": 3})
EXTRA_LANGUAGES = [(code, languages.NAMES[code]) for code in options.SUPPORTED_LANGUAGES[1:]]


def field_name(prefix: str, lang: str) -> str:
    return f"{prefix}_{lang.replace('-', '_')}"


class LanguageFieldsMixin:
    """Adds one field per language version for each respondent-facing text, and groups the
    bound fields by language so the page shows a fieldset per version."""

    def add_text_fields(self, prefix: str, label, langs, *, widget=None, required_plain=False):
        for lang in langs:
            self.fields[field_name(prefix, lang)] = forms.CharField(
                label=label,
                required=required_plain and lang == languages.PLAIN,
                widget=widget or forms.TextInput,
            )

    def texts(self, prefix: str, langs) -> dict:
        return {lang: self.cleaned_data.get(field_name(prefix, lang), "") for lang in langs}

    def set_initial_texts(self, prefix: str, texts: dict, langs) -> None:
        for lang in langs:
            self.fields[field_name(prefix, lang)].initial = (texts or {}).get(lang, "")

    def by_language(self, prefixes, langs):
        groups = []
        for lang in langs:
            names = [field_name(p, lang) for p in prefixes if field_name(p, lang) in self.fields]
            if names:
                groups.append(
                    {
                        "lang": lang,
                        "name": languages.name(lang),
                        "html_lang": languages.html_lang(lang),
                        "dir": languages.direction(lang),
                        "fields": [self[n] for n in names],
                    }
                )
        return groups


class AuditQuestionForm(forms.Form):
    text = forms.CharField(label=_("Audit question"), widget=TEXT)
    quality_areas = forms.MultipleChoiceField(
        label=_("Quality areas"),
        choices=QualityArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class InstrumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Instrument.Kind.choices, widget=forms.RadioSelect
    )
    respondent = forms.ChoiceField(label=_("Who answers"), choices=TargetGroup.Kind.choices)
    languages = forms.MultipleChoiceField(
        label=_("Language versions besides plain Swedish"),
        choices=EXTRA_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[languages.EASY],
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = audit.target_groups.all()


class InstrumentSettingsForm(LanguageFieldsMixin, InstrumentForm):
    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, audit=instrument.audit, **kwargs)
        del self.fields["kind"]
        self.instrument = instrument
        self.fields["title"].initial = instrument.title
        self.fields["respondent"].initial = instrument.respondent
        self.fields["languages"].initial = instrument.languages[1:]
        self.fields["target_groups"].initial = list(instrument.target_groups.all())
        self.add_text_fields(
            "intro", _("Introduction to the respondent"), instrument.languages, widget=TEXT
        )
        self.set_initial_texts("intro", instrument.intro, instrument.languages)

    def intro_groups(self):
        return self.by_language(["intro"], self.instrument.languages)


class SectionForm(LanguageFieldsMixin, forms.Form):
    def __init__(self, *args, langs, section=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.langs = langs
        self.add_text_fields("title", _("Heading"), langs, required_plain=True)
        if section:
            self.set_initial_texts("title", section.title, langs)

    def groups(self):
        return self.by_language(["title"], self.langs)


class AddItemForm(forms.Form):
    section = forms.TypedChoiceField(label=_("In section"), coerce=int)
    kind = forms.ChoiceField(label=_("Type of question"), choices=Item.Kind.choices)
    text = forms.CharField(label=_("Question in plain Swedish"), widget=TEXT)

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        sections = list(instrument.sections.all())
        self.fields["section"].choices = [(s.pk, str(s)) for s in sections]
        if sections:
            self.fields["section"].initial = sections[-1].pk


ITEM_TEXTS = {
    "text": _("Question"),
    "help": _("Help text"),
    "scale_low": _("Label of the lowest step"),
    "scale_high": _("Label of the highest step"),
    "prompts": _("Follow-up prompts, one per line"),
    "interviewer_note": _("Note to the interviewer"),
}


class ItemForm(LanguageFieldsMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    quality_area = forms.ChoiceField(label=_("Quality area"), required=False)
    audit_question = forms.TypedChoiceField(
        label=_("Audit question"), required=False, coerce=int, empty_value=None
    )
    scale_steps = forms.TypedChoiceField(
        label=_("Steps on the scale"),
        choices=[(4, "4"), (5, "5")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    dont_know = forms.BooleanField(
        label=_("Offer “don't know / don't want to answer” (never counted on the scale)"),
        required=False,
    )
    not_applicable = forms.BooleanField(
        label=_("Offer “not applicable” (never counted on the scale)"), required=False
    )
    condition_item = forms.ChoiceField(label=_("Show only if the answer to"), required=False)
    condition_op = forms.ChoiceField(
        label=_("Condition"), choices=list(conditions.OPERATORS.items()), required=False
    )
    condition_value = forms.CharField(
        label=_("Answer code or number"), required=False, max_length=40
    )

    def __init__(self, *args, item: Item, earlier: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.langs = item.instrument.languages
        self._limit_fields(item)
        self.fields["quality_area"].choices = [("", "—"), *QualityArea.choices]
        questions = item.instrument.audit.audit_questions.all()
        self.fields["audit_question"].choices = [("", "—")] + [(q.pk, str(q)) for q in questions]
        self.fields["condition_item"].choices = [("", _("always show"))] + [
            (e.code, str(e)[:80]) for e in earlier
        ]
        self._set_initial(item)

    def _text_prefixes(self, item: Item) -> list[str]:
        prefixes = ["text", "help"]
        if item.kind in Item.SCALE_KINDS:
            prefixes += ["scale_low", "scale_high"]
        if item.instrument.is_guide:
            prefixes += ["prompts", "interviewer_note"]
        return prefixes

    def _limit_fields(self, item: Item) -> None:
        if item.kind not in Item.SCALE_KINDS:
            for name in ["scale_steps", "dont_know", "not_applicable"]:
                del self.fields[name]
        if item.kind in (Item.Kind.NOTE, Item.Kind.MATRIX):
            del self.fields["required"]
        for prefix in self._text_prefixes(item):
            long = prefix in ("text", "help", "prompts", "interviewer_note")
            self.add_text_fields(
                prefix,
                ITEM_TEXTS[prefix],
                self.langs,
                widget=TEXT if long else None,
                required_plain=prefix == "text",
            )

    def _set_initial(self, item: Item) -> None:
        for name in ["code", "required", "quality_area", "scale_steps", "dont_know"]:
            if name in self.fields:
                self.fields[name].initial = getattr(item, name)
        if "not_applicable" in self.fields:
            self.fields["not_applicable"].initial = item.not_applicable
        self.fields["audit_question"].initial = item.audit_question_id
        condition = item.condition or {}
        self.fields["condition_item"].initial = condition.get("item", "")
        self.fields["condition_op"].initial = condition.get("op", "=")
        self.fields["condition_value"].initial = condition.get("value", "")
        for prefix in self._text_prefixes(item):
            self.set_initial_texts(prefix, getattr(item, prefix), self.langs)

    def groups(self):
        return self.by_language(self._text_prefixes(self.item), self.langs)

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {n: data[n] for n in ["code", "required", "quality_area"] if n in data}
        for name in ["scale_steps", "dont_know", "not_applicable"]:
            if name in data:
                fields[name] = data[name]
        question = data.get("audit_question")
        fields["audit_question"] = self.item.instrument.audit.audit_questions.filter(
            pk=question
        ).first()
        for prefix in self._text_prefixes(self.item):
            fields[prefix] = self.texts(prefix, self.langs)
        fields["condition"] = (
            {
                "item": data["condition_item"],
                "op": data.get("condition_op") or "=",
                "value": data.get("condition_value", "").strip(),
            }
            if data.get("condition_item")
            else None
        )
        return fields


class ChoiceRowForm(LanguageFieldsMixin, forms.Form):
    value = forms.SlugField(label=_("Code"), max_length=40, required=False)

    def __init__(self, *args, langs, **kwargs):
        super().__init__(*args, **kwargs)
        self.langs = langs
        self.add_text_fields("label", _("Answer"), langs)

    def groups_all(self):
        return self.by_language(["label"], self.langs)

    def as_choice(self) -> dict:
        return {
            "value": self.cleaned_data.get("value", ""),
            "label": self.texts("label", self.langs),
        }


class MatrixRowForm(LanguageFieldsMixin, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, required=False)

    def __init__(self, *args, langs, **kwargs):
        super().__init__(*args, **kwargs)
        self.langs = langs
        self.add_text_fields("text", _("Statement"), langs)

    def groups_all(self):
        return self.by_language(["text"], self.langs)

    def as_row(self) -> dict:
        return {"code": self.cleaned_data.get("code", ""), "text": self.texts("text", self.langs)}


ChoiceFormSet = forms.formset_factory(ChoiceRowForm, extra=3)
MatrixRowFormSet = forms.formset_factory(MatrixRowForm, extra=3)


def choice_initial(item: Item, langs) -> list[dict]:
    return [
        {
            "value": c.value,
            **{f"label_{lang.replace('-', '_')}": c.label.get(lang, "") for lang in langs},
        }
        for c in item.choices.all()
    ]


def row_initial(item: Item, langs) -> list[dict]:
    return [
        {
            "code": r.code,
            **{f"text_{lang.replace('-', '_')}": r.text.get(lang, "") for lang in langs},
        }
        for r in item.rows.all()
    ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx, .xls or .csv)"),
        help_text=_("From KoboToolbox, ODK or exported from here."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )


class BankFilterForm(forms.Form):
    quality_area = forms.ChoiceField(label=_("Quality area"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    respondent = forms.ChoiceField(label=_("Who answers"), required=False)
    words = forms.CharField(label=_("Words in the question"), required=False)

    def __init__(self, *args, **kwargs):
        from brukarrevision.organisations.models import Unit

        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["quality_area"].choices = everything + list(QualityArea.choices)
        services = [c for c in Unit.ServiceType.choices if c[0] != "other"]
        self.fields["service"].choices = everything + services
        self.fields["respondent"].choices = everything + list(TargetGroup.Kind.choices)
