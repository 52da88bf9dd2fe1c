from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import questions
from .models import LadderResponse


def field_name(question: questions.Question) -> str:
    return f"q{question.level.number}_{question.stage.code}"


class StartRoundForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Spring 2027”. Shown to those who answer."),
    )
    started_on = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    staff_labels = forms.CharField(
        label=_("Staff members who answer separately (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, for example “Staff member 1” or “Evening staff”. Each gets an "
            "answer link. Names are not needed."
        ),
    )
    user_group_labels = forms.CharField(
        label=_("User groups who answer separately (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, for example “User group Tuesdays”. Each gets an answer link."),
    )

    def labels(self, name: str) -> list[str]:
        return [line for line in self.cleaned_data.get(name, "").splitlines() if line.strip()]


class AddResponseForm(forms.Form):
    perspective = forms.ChoiceField(
        label=_("Whose answers"),
        choices=[
            (LadderResponse.Perspective.STAFF, LadderResponse.Perspective.STAFF.label),
            (LadderResponse.Perspective.USERS, LadderResponse.Perspective.USERS.label),
        ],
        widget=forms.RadioSelect,
    )
    label = forms.CharField(
        label=_("Label"),
        max_length=120,
        help_text=_("For example “User group Tuesdays”. Names are not needed."),
    )


class AnswerForm(forms.Form):
    """The 15 questions, each answered yes, partly or no."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions.QUESTIONS:
            self.fields[field_name(question)] = forms.ChoiceField(
                label=str(question.text),
                help_text=str(question.stage.name),
                choices=LadderResponse.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose yes, partly or no.")},
            )

    def levels(self):
        """The fields grouped by level, for one section per step of the ladder."""
        return [
            (level, [self[field_name(q)] for q in questions.QUESTIONS if q.level == level])
            for level in questions.LEVELS
        ]

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[field_name(q)] for q in questions.QUESTIONS}
