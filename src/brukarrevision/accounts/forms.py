from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or the password is wrong. Check both and try again."
        ),
        "inactive": _("This account is disabled."),
    }


class OneTimeCodeForm(forms.Form):
    otp_token = forms.RegexField(
        regex=r"^\s*[A-Za-z0-9]{6,16}\s*$",
        label=_("Six-digit code from your authenticator app, or a recovery code"),
        error_messages={"invalid": _("Enter the six digits shown in the app, or a recovery code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "class": "narrow"}),
    )

    def token(self) -> str:
        return self.cleaned_data["otp_token"].strip()
