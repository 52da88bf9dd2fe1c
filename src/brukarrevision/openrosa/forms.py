from django import forms
from django.utils.translation import gettext_lazy as _


class AppPasswordForm(forms.Form):
    label = forms.CharField(
        label=_("Name of the app password"),
        help_text=_("So you know it again, e.g. “Work phone” or “Tablet 2”."),
        max_length=80,
    )
