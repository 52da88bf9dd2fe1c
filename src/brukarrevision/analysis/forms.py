from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.audits.models import Audit
from brukarrevision.instruments.models import Item, QualityArea

from .models import Code, Coding, Finding

AREAS = forms.MultipleChoiceField(
    label=_("Quality areas"),
    choices=QualityArea.choices,
    widget=forms.CheckboxSelectMultiple,
    required=False,
)


# How the results page can group the questions, with their names.
ORDER_CHOICES = [
    ("section", _("Section of the questionnaire")),
    ("quality_area", _("Quality area")),
    ("audit_question", _("Audit question")),
]


class ResultsForm(forms.Form):
    """What the results page shows: a GET form, so every view has its own address."""

    instrument = forms.ModelChoiceField(label=_("Questionnaire"), queryset=None, required=False)
    by = forms.ChoiceField(label=_("Break down by"), required=False)
    order = forms.ChoiceField(
        label=_("Group the questions by"), required=False, choices=ORDER_CHOICES
    )

    def __init__(self, *args, instruments, breakdowns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments
        self.fields["instrument"].empty_label = None
        self.fields["by"].choices = [(b.key, b.label) for b in breakdowns]


class CodeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    theme = forms.CharField(
        label=_("Theme"),
        required=False,
        max_length=120,
        help_text=_("Codes with the same theme are grouped together."),
    )
    quality_areas = AREAS


class CodebookImportForm(forms.Form):
    file = forms.FileField(
        label=_("Codebook file"),
        help_text=_("CSV with the columns name and description (and theme), or REFI-QDA (.qdc)."),
    )


class CodingForm(forms.Form):
    answer = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.ModelChoiceField(label=_("Code"), queryset=Code.objects.none())
    passage = forms.CharField(
        label=_("Words to code"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Select words in the answer, or copy them here. Empty codes the whole answer."),
    )
    start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    is_quote = forms.BooleanField(label=_("Quote for the report"), required=False)

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = Code.objects.filter(audit=audit).select_related("theme")


class CompareForm(forms.Form):
    first = forms.ModelChoiceField(label=_("First auditor"), queryset=None)
    second = forms.ModelChoiceField(label=_("Second auditor"), queryset=None)

    def __init__(self, *args, coders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = coders
        self.fields["second"].queryset = coders

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("Choose two different auditors."))
        return data


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Finding.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Heading"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    quality_areas = AREAS
    items = forms.ModelMultipleChoiceField(
        label=_("Results it rests on"),
        queryset=Item.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    codings = forms.ModelMultipleChoiceField(
        label=_("Coded passages and quotes"),
        queryset=Coding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, audit: Audit, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = Item.objects.filter(pk__in=[i.pk for i in items])
        self.fields["items"].label_from_instance = lambda item: (
            f"{item.code}: {item.text.get('sv', '')}"
        )
        self.fields["codings"].queryset = Coding.objects.filter(code__audit=audit).select_related(
            "code"
        )
        self.fields["codings"].label_from_instance = lambda c: (
            f"{c.code.name}{' ★' if c.is_quote else ''}: “{c.passage[:120]}”"
        )
