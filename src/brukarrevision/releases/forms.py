from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.analysis.forms import ORDER_CHOICES


class ReleasedResultsForm(forms.Form):
    """What the released results page shows: a GET form, so every view has its address."""

    instrument = forms.ChoiceField(label=_("Questionnaire"), required=False)
    by = forms.ChoiceField(label=_("Break down by"), required=False)
    order = forms.ChoiceField(
        label=_("Group the questions by"), required=False, choices=ORDER_CHOICES
    )

    def __init__(self, *args, instruments, breakdowns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = instruments
        self.fields["by"].choices = breakdowns


class ReleaseForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example: late paper forms from the unit added."),
    )
    expected = forms.CharField(widget=forms.HiddenInput)
