import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action, ProposalAnswer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the feedback meeting"), widget=DATE)
    participants = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names or roles, for example: the auditors, the unit manager, two staff."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_follow_up = forms.DateField(label=_("Next follow-up"), required=False, widget=DATE)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("The unit's answer"),
        choices=ProposalAnswer.Decision.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("What will be done"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(label=_("Owner"), max_length=200)
    starts_on = forms.DateField(label=_("Start"), widget=DATE, initial=datetime.date.today)
    due_on = forms.DateField(label=_("Due"), widget=DATE)


class UpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Action.Status.choices, widget=forms.RadioSelect
    )
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What has happened"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_(
            "We e-mail you when a proposal is answered or an action changes. Nothing else."
        ),
    )
