import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brukarrevision.instruments.models import QualityArea

from .models import Action, Assessment, Certification, Level, TakingPart

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


class OfferForm(forms.Form):
    performer = forms.ModelChoiceField(label=_("User organisation"), queryset=None)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    offer_text = forms.CharField(
        label=_("The offer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the unit is offered, for example to take part as a pilot."),
    )
    follow_up_months = forms.IntegerField(
        label=_("Follow-up every (months)"), min_value=1, max_value=24, initial=6
    )

    def __init__(self, *args, performers, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["performer"].queryset = performers
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.client})"
        if performers.count() == 1:
            self.fields["performer"].initial = performers.first()


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DATE, initial=_today)
    staff = forms.IntegerField(label=_("Staff"), min_value=0, max_value=999, initial=0)
    union = forms.IntegerField(
        label=_("Union representatives"), min_value=0, max_value=999, initial=0
    )
    managers = forms.IntegerField(label=_("Managers"), min_value=0, max_value=999, initial=0)
    users = forms.IntegerField(label=_("Users"), min_value=0, max_value=999, initial=0)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class AssessmentForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Assessment"), choices=Assessment.Result.choices, widget=forms.RadioSelect
    )
    taking_part = forms.MultipleChoiceField(
        label=_("Who took part in the assessment"),
        choices=TakingPart.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff and users assess each criterion together: tick both."),
    )
    names = forms.CharField(
        label=_("Names (optional)"),
        required=False,
        max_length=300,
        help_text=_("Only if those who took part want their names written down."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    upload = forms.FileField(
        label=_("Document or photo"),
        required=False,
        help_text=_("A photo, a PDF or an office document, at most 10 MB."),
    )
    url = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")
    finding = forms.ModelChoiceField(
        label=_("Or a finding of an audit of the unit"), queryset=None, required=False
    )
    proposal = forms.ModelChoiceField(
        label=_("Or an action proposal of an audit of the unit"), queryset=None, required=False
    )
    council_issue = forms.ModelChoiceField(
        label=_("Or an issue raised at a council about the unit"), queryset=None, required=False
    )

    def __init__(self, *args, findings, proposals, council_issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = findings
        self.fields["finding"].label_from_instance = lambda f: f"{f.title} ({f.audit.title})"
        self.fields["proposal"].queryset = proposals
        self.fields["proposal"].label_from_instance = lambda p: (
            f"{p.number}. {p.title} ({p.audit.title})"
        )
        self.fields["council_issue"].queryset = council_issues
        self.fields["council_issue"].label_from_instance = lambda i: f"{i.title} ({i.body.name})"
        if not findings.exists():
            del self.fields["finding"]
        if not proposals.exists():
            del self.fields["proposal"]
        if not council_issues.exists():
            del self.fields["council_issue"]


class CheckInForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE, initial=_today)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=_("Who is responsible"), required=False, max_length=200)
    due_on = forms.DateField(label=_("To be done by"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), choices=Action.Status.choices, widget=forms.RadioSelect
    )
    done_evidence = forms.CharField(
        label=_("What shows it is done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the action is done, for example a photo or a written routine."),
    )


class DecisionForm(forms.Form):
    presented_on = forms.DateField(
        label=_("Date the action plan was presented"), widget=DATE, initial=_today
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Certification.Decision.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    valid_until = forms.DateField(
        label=_("Certificate valid until"),
        required=False,
        widget=DATE,
        initial=lambda: _today() + datetime.timedelta(days=730),
        help_text=_("Only when certified. Usually two years."),
    )
    follow_up_months = forms.IntegerField(
        label=_("Follow-up every (months)"), min_value=1, max_value=24
    )


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE, initial=_today)
    notes = forms.CharField(
        label=_("What the follow-up showed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ParticipantForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of their account"))
    role = forms.ChoiceField(
        label=_("Takes part as"), choices=TakingPart.choices, widget=forms.RadioSelect
    )


class CriterionForm(forms.Form):
    quality_area = forms.ChoiceField(label=_("Quality area"), choices=QualityArea.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    text = forms.CharField(label=_("Criterion"), widget=forms.Textarea(attrs={"rows": 3}))
    guidance = forms.CharField(
        label=_("Guidance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How to check it: what to look at and whom to ask."),
    )
    easy_text = forms.CharField(
        label=_("In easy-to-read Swedish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Short sentences and common words."),
    )
