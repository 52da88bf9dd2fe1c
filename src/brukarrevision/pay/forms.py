from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.audits.forms import PlausibleDateField
from brukarrevision.audits.models import Audit
from brukarrevision.pool.models import Assignment

from .models import Activity, FeeKind, PaySettings

DECIMAL = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


def _decimal(label, **kwargs):
    return forms.DecimalField(label=label, localize=True, widget=DECIMAL, **kwargs)


class _Purpose(forms.Form):
    """The person (when they report for more than one organisation), and what the work or
    journey was for: an audit or an assignment through one way in."""

    member = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    audit = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Audit"), empty_label=_("No audit")
    )
    assignment = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Assignment through one way in"),
        empty_label=_("No assignment"),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        members = list(members)
        self.fields["member"].queryset = type(members[0]).objects.filter(
            pk__in=[m.pk for m in members]
        )
        self.fields["member"].label_from_instance = lambda m: m.organisation.name
        if len(members) == 1:
            self.fields["member"].initial = members[0].pk
            self.fields["member"].widget = forms.HiddenInput()
        users = {m.user_id for m in members}
        self.fields["audit"].queryset = Audit.objects.filter(
            members__user__in=users, performer__in=[m.organisation_id for m in members]
        ).distinct()
        assignments = Assignment.objects.filter(
            member__in=members, status=Assignment.Status.ACCEPTED
        ).select_related("request")
        self.fields["assignment"].queryset = assignments
        if not assignments.exists():
            del self.fields["assignment"]
        self.order_fields(self.field_order_list)

    def clean(self):
        data = super().clean()
        if data.get("audit") and data.get("assignment"):
            raise forms.ValidationError(_("Choose an audit or an assignment, not both."))
        return data


class TimeReportForm(_Purpose):
    field_order_list = ["member", "date", "audit", "assignment", "activity", "fee_kind"]

    date = PlausibleDateField(label=_("Date of the work"))
    activity = forms.ChoiceField(label=_("What did you do?"), choices=Activity.choices)
    fee_kind = forms.ChoiceField(
        label=_("How is it paid?"), choices=FeeKind.choices, widget=forms.RadioSelect
    )
    quantity = _decimal(
        _("How many?"),
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("Hours (for example 2,5), or the number of half days, meetings or interviews."),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class TravelClaimForm(_Purpose):
    field_order_list = ["member", "date", "audit", "assignment", "route_from", "route_to"]

    date = PlausibleDateField(label=_("Date of the journey"))
    route_from = forms.CharField(label=_("From"), max_length=200)
    route_to = forms.CharField(label=_("To"), max_length=200)
    kilometres = _decimal(
        _("Kilometres by own car"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=1,
        help_text=_("There and back together. Leave empty if you did not go by car."),
    )
    ticket_amount = _decimal(
        _("Tickets (SEK)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("Bus, train or other tickets you paid yourself."),
    )
    receipt = forms.FileField(
        label=_("Photo of the receipt"),
        required=False,
        help_text=_("A photo or a PDF, at most 10 MB. Needed when you claim tickets."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def clean_receipt(self):
        upload = self.cleaned_data.get("receipt")
        if not upload:
            return None
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large: at most %(mb)s MB.") % {"mb": 10})
        return upload.read()


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the person"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Say what to change, for example the date or the number of hours."),
    )


class FeeRateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Fee kind"), choices=FeeKind.choices)
    amount = _decimal(_("Amount (SEK)"), min_value=0, max_digits=10, decimal_places=2)
    valid_from = PlausibleDateField(label=_("Valid from"))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = PaySettings
        fields = [
            "mileage_rate",
            "yearly_warning_sek",
            "company_orgnr",
            "code_hour",
            "code_half_day",
            "code_meeting",
            "code_interview",
            "code_mileage",
            "code_ticket",
        ]
        localized_fields = ["mileage_rate", "yearly_warning_sek"]
        widgets = {"mileage_rate": DECIMAL, "yearly_warning_sek": DECIMAL}


class BudgetForm(forms.Form):
    amount = _decimal(
        _("Budget for fees and travel (SEK)"), min_value=0, max_digits=12, decimal_places=2
    )


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Give the month as YYYY-MM, for example 2026-03.")},
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}),
        help_text=_("Year and month, for example 2026-03."),
    )
