from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Suggestion
from .services import MAX_LENGTH
from .texts import areas, texts


class SuggestionForm(forms.Form):
    """The public form, worded in the writer's language (texts.py), not the site's."""

    about = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    change = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    quality_area = forms.ChoiceField(required=False, widget=forms.RadioSelect)

    def __init__(self, *args, lang: str, **kwargs):
        super().__init__(*args, **kwargs)
        t = texts(lang)
        for name, label, required in (
            ("about", "about_label", "required_about"),
            ("change", "change_label", "required_change"),
        ):
            field = self.fields[name]
            field.label = t[label]
            field.help_text = t[f"{name}_help"]
            field.error_messages["required"] = t[required]
            field.widget.attrs["maxlength"] = MAX_LENGTH
        area = self.fields["quality_area"]
        area.label = t["area_label"]
        area.choices = [("", t["area_none"]), *areas(lang)]
        area.initial = ""
        self.too_long = t["too_long"].format(n=MAX_LENGTH)

    def clean(self):
        data = super().clean()
        for name in ("about", "change"):
            if len(data.get(name) or "") > MAX_LENGTH:
                self.add_error(name, self.too_long)
        return data


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Suggestion.Status.APPROVED, _("Approve: it may be shown on the wall")),
            (Suggestion.Status.REJECTED, _("Reject: it is never shown")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you reject. Only the people who moderate read it."),
    )
    answer = forms.CharField(
        label=_("The unit's answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Shown on the public wall under an approved suggestion. Write plainly and say "
            "what you will do."
        ),
    )


class CouncilForm(forms.Form):
    body = forms.ChoiceField(label=_("Council"))

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {str(body.pk): body for body in bodies}
        self.fields["body"].choices = [(key, str(body)) for key, body in self.bodies.items()]

    def clean_body(self):
        return self.bodies[self.cleaned_data["body"]]
