import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brukarrevision.accounts.models import User
from brukarrevision.audits.models import Audit, TargetGroup
from brukarrevision.instruments import languages, options, respondent
from brukarrevision.instruments import selectors as instrument_selectors
from brukarrevision.instruments.models import Instrument, Item
from brukarrevision.organisations.models import Unit

from .models import Response

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AudienceForm(forms.Form):
    """Which unit and target group a response or contact belongs to."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    target_group = forms.ModelChoiceField(
        label=_("Target group"), queryset=TargetGroup.objects.none()
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = audit.units.order_by("name")
        self.fields["target_group"].queryset = audit.target_groups.all()


class DistributionForm(AudienceForm):
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Instrument.objects.none()
    )
    language = forms.ChoiceField(label=_("First language shown"), choices=languages.CHOICES)

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, audit=audit, **kwargs)
        self.fields["instrument"].queryset = instrument_selectors.current(audit).filter(
            kind=Instrument.Kind.QUESTIONNAIRE
        )


class PaperHeaderForm(AudienceForm):
    instrument = forms.ModelChoiceField(
        label=_("Form and version (printed at the top of the paper)"),
        queryset=Instrument.objects.none(),
    )
    language = forms.ChoiceField(label=_("Language of the paper form"), choices=languages.CHOICES)
    respondent = forms.ChoiceField(
        label=_("Who answered"), choices=Response.Respondent.choices, initial="self"
    )
    paper_number = forms.CharField(
        label=_("Number written on the paper (optional)"), required=False, max_length=40
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, audit=audit, **kwargs)
        self.fields["instrument"].queryset = audit.instruments.filter(
            kind=Instrument.Kind.QUESTIONNAIRE
        ).order_by("title", "version")
        # As the top of the printed form says it: "Form: demo-1 · version 1".
        self.fields["instrument"].label_from_instance = lambda i: f"{audit.slug}-{i.pk} · {i}"


def parse_code(item: Item, raw: str):
    """The value a typed paper code stands for, or a ValidationError in plain words."""
    raw = raw.strip()
    if not raw:
        return None
    kind = Item.Kind.RATING if item.is_row else item.kind
    allowed = [o.value for o in options.options(item, languages.PLAIN)]
    aliases = {
        "dk": options.DONT_KNOW,
        "vet": options.DONT_KNOW,
        "na": options.NOT_APPLICABLE,
        "ja": options.YES,
        "j": options.YES,
        "nej": options.NO,
        "n": options.NO,
    }
    if kind == Item.Kind.MULTIPLE:
        values = [aliases.get(v, v) for v in raw.replace(",", " ").split()]
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise forms.ValidationError(
                _("Unknown code %(codes)s. Use: %(allowed)s")
                % {"codes": ", ".join(wrong), "allowed": ", ".join(allowed)}
            )
        return sorted(set(values))
    if kind in (Item.Kind.SINGLE, Item.Kind.RATING, Item.Kind.YES_NO):
        value = aliases.get(raw.lower(), raw)
        if value not in allowed:
            raise forms.ValidationError(
                _("Unknown code %(codes)s. Use: %(allowed)s")
                % {"codes": raw, "allowed": ", ".join(allowed)}
            )
        return value
    if kind == Item.Kind.NUMBER:
        if not raw.isdigit():
            raise forms.ValidationError(_("Write a whole number."))
        return int(raw)
    return raw


class PaperAnswersForm(forms.Form):
    """One short text field per question, labelled with its printed code, in the order of
    the printed form (each matrix's rows right after it)."""

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {}
        for item in respondent.answerable_items(instrument):
            if not item.answers_anything():
                continue
            self.items[item.code] = item
            long = item.kind == Item.Kind.LONG_TEXT
            self.fields[item.code] = forms.CharField(
                label=f"{item.code}: {languages.text_in(item.text, languages.PLAIN)}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2})
                if long
                else forms.TextInput(
                    attrs={"autocomplete": "off", "class": "narrow" if not long else ""}
                ),
                help_text=self._codes(item),
            )

    @staticmethod
    def _codes(item: Item) -> str:
        offered = options.options(item, languages.PLAIN)
        return " · ".join(f"{o.value} = {o.label}" for o in offered)[:300]

    def clean(self):
        for code, item in self.items.items():
            raw = self.cleaned_data.get(code, "")
            try:
                self.cleaned_data[code] = parse_code(item, raw or "")
            except forms.ValidationError as error:
                self.add_error(code, error)
        return self.cleaned_data

    def answers(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}


class ContactForm(AudienceForm):
    name = forms.CharField(label=_("Name or first name"), max_length=120)
    how_to_reach = forms.CharField(label=_("Phone or e-mail"), max_length=200)
    needs = forms.CharField(
        label=_("Wishes and needs (e.g. interpreter, place)"), max_length=300, required=False
    )


class BookingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    interviewers = forms.ModelMultipleChoiceField(
        label=_("Two interviewers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    guide = forms.ModelChoiceField(
        label=_("Interview guide"), queryset=Instrument.objects.none(), empty_label=None
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = User.objects.filter(
            audit_roles__audit=audit
        ).order_by("full_name")
        self.fields["guide"].queryset = instrument_selectors.current(audit).filter(
            kind=Instrument.Kind.INTERVIEW_GUIDE
        )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value < timezone.now() - datetime.timedelta(days=1):
            raise forms.ValidationError(_("Choose a time that has not passed."))
        return value


class AnswerCodesForm(forms.Form):
    """How many one-time answer codes to make for a link (one paper invitation each)."""

    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=500,
        initial=50,
        help_text=_("One code for each invitation you will hand out, at most 500 at a time."),
    )
    batch = forms.CharField(widget=forms.HiddenInput)
