from django import forms
from django.utils.translation import gettext_lazy as _


class PortfolioFilterForm(forms.Form):
    """The portfolio's filters, sent as a plain GET form (no script needed). The choices are
    the counties, service types, years and organisations of the audits the person may see."""

    county = forms.ChoiceField(label=_("County"), required=False)
    service_type = forms.ChoiceField(label=_("Service type"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    by = forms.ChoiceField(
        label=_("Compare the quality areas by"),
        required=False,
        choices=[
            ("county", _("county")),
            ("service_type", _("service type")),
            ("year", _("year")),
        ],
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["county"].choices = every + [tuple(c) for c in choices["county"]]
        self.fields["service_type"].choices = every + [tuple(s) for s in choices["service_type"]]
        self.fields["year"].choices = every + [(str(y), str(y)) for y in choices["year"]]
        self.fields["organisation"].choices = every + [
            (str(pk), name) for pk, name in choices["organisation"]
        ]
