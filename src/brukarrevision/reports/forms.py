from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.analysis.models import Finding
from brukarrevision.instruments.models import QualityArea

from .models import Assessment, Proposal, Rendering


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Short sentences. An empty line starts a new paragraph."),
    )


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "title",
            "text",
            "easy_text",
            "quality_area",
            "level",
            "priority",
            "recipient",
            "findings",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "easy_text": forms.Textarea(attrs={"rows": 3, "lang": "sv"}),
            "level": forms.RadioSelect,
            "priority": forms.RadioSelect,
            "findings": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = Finding.objects.filter(audit=audit)
        self.fields["findings"].required = False


class AssessmentForm(forms.Form):
    """One rating and reason per quality area."""

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        given = {a.quality_area: a for a in Assessment.objects.filter(audit=audit)}
        choices = [("", _("Not rated")), *Assessment.Rating.choices]
        for area, label in QualityArea.choices:
            current = given.get(area)
            self.fields[f"{area}_rating"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=current.rating if current else "",
            )
            self.fields[f"{area}_reason"] = forms.CharField(
                label=_("Reason: %(area)s") % {"area": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.reason if current else "",
            )

    def ratings(self) -> dict:
        return {
            area: (self.cleaned_data[f"{area}_rating"], self.cleaned_data[f"{area}_reason"])
            for area in QualityArea.values
        }


class RenderForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=Rendering.Format.choices, widget=forms.RadioSelect, initial="pdf"
    )
    easy_read = forms.BooleanField(label=_("The easy-to-read summary"), required=False)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What needs to change"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
