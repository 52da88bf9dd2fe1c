import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.instruments.models import QualityArea

from .models import Body, Issue, Level, Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(label, choices):
    return [("", label), *choices]


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Body.Kind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        empty_label=_("The whole organisation"),
        help_text=_(
            "A patient forum belongs to a unit; a user council often to the whole "
            "municipality or region."
        ),
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["unit"].queryset = units


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    represents = forms.ChoiceField(
        label=_("Represents"), choices=Member.Represents.choices, widget=forms.RadioSelect
    )
    organisation_name = forms.CharField(
        label=_("Organisation represented"),
        max_length=200,
        required=False,
        help_text=_("For example a user or relatives' association."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units the member covers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    term_from = forms.DateField(
        label=_("Term of office from"), widget=DATE, initial=datetime.date.today
    )
    term_to = forms.DateField(label=_("Term of office to"), widget=DATE, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class StaffForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(
        label=_("Role"), max_length=200, help_text=_("For example: unit manager, nurse.")
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DATE)
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line."),
    )


class MinutesForm(forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line."),
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    easy_summary = forms.CharField(
        label=_("Easy-to-read summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was said and decided, in short sentences and common words."),
    )


class AttendanceForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = body.members.all()
        self.fields["staff"].queryset = body.staff.all()


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Issue"), max_length=200, help_text=_("A short title."))
    text = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    quality_area = forms.ChoiceField(
        label=_("Quality area"),
        required=False,
        choices=_blank(_("Not chosen"), QualityArea.choices),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_blank(_("Not chosen"), Level.choices)
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("No unit")
    )
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=200,
        required=False,
        help_text=_("Who answers, if not a unit: for example the social services committee."),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        empty_label=_("No owner yet"),
        help_text=_(
            "The person who sees to it that the issue is answered. Reminded by e-mail "
            "when the answer is overdue."
        ),
    )
    due_on = forms.DateField(label=_("Answer due"), widget=DATE, required=False)

    def __init__(self, *args, units, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["owner"].queryset = owners


class IssueEditForm(IssueForm):
    due_on = forms.DateField(label=_("Answer due"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["title"]
        del self.fields["text"]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label=_("Note for the history"), required=False, max_length=500)


class StartForm(forms.Form):
    note = forms.CharField(label=_("Note for the history"), required=False, max_length=500)


class CloseForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting where the answer was reported back"), queryset=None
    )
    note = forms.CharField(label=_("Note for the history"), required=False, max_length=500)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("All"), Issue.Status.choices)
    )
    quality_area = forms.ChoiceField(
        label=_("Quality area"),
        required=False,
        choices=_blank(_("All"), QualityArea.choices),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_blank(_("All"), Level.choices)
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("All")
    )
    overdue = forms.BooleanField(label=_("Only overdue answers"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SendProposalForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Council or forum"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_blank(_("Not chosen"), Level.choices)
    )
    due_on = forms.DateField(label=_("Answer due"), widget=DATE, required=False)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
