from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.instruments.models import QualityArea

from .models import Entry, Level


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=100)
    level = forms.ChoiceField(label=_("Level"), required=False)
    quality_area = forms.ChoiceField(label=_("Quality area"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        self.fields["level"].choices = [every, *Level.choices]
        self.fields["quality_area"].choices = [every, *QualityArea.choices]
        self.fields["kind"].choices = [every, *Entry.Kind.choices]
        self.fields["q"].widget.attrs["type"] = "search"


class EntryForm(forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label=_("Levels"), choices=Level.choices, widget=forms.CheckboxSelectMultiple
    )
    quality_areas = forms.MultipleChoiceField(
        label=_("Quality areas"),
        choices=QualityArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Entry
        fields = [
            "title",
            "kind",
            "summary",
            "purpose",
            "suits",
            "levels",
            "quality_areas",
            "steps",
            "time_needed",
            "easy_text",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "suits": forms.Textarea(attrs={"rows": 3}),
            "steps": forms.Textarea(attrs={"rows": 8}),
            "easy_text": forms.Textarea(attrs={"rows": 8}),
        }


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text or image; at most 10 MB."),
    )
