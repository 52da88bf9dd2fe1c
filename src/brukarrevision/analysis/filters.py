"""What the coding page shows: a GET form, so every view of the material has its own address
and works without JavaScript."""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.audits.models import Audit

from .models import Code

PAGE_SIZE = 10


class CodingFilterForm(forms.Form):
    item = forms.ChoiceField(label=_("Question"), required=False)
    status = forms.ChoiceField(
        label=_("Your coding"),
        required=False,
        choices=[
            ("", _("All answers")),
            ("uncoded", _("Answers you have not coded")),
            ("coded", _("Answers you have coded")),
        ],
    )
    code = forms.ModelChoiceField(
        label=_("Code"), queryset=Code.objects.none(), required=False, empty_label=_("Any code")
    )
    all = forms.BooleanField(label=_("Show the other auditors' codings too"), required=False)
    coder = forms.ModelChoiceField(
        label=_("Coded by"),
        queryset=None,
        required=False,
        empty_label=_("Anyone"),
        help_text=_("Only with the other auditors' codings shown."),
    )
    answer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, audit: Audit, items, coders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("All questions"))] + [
            (item["code"], f"{item['code']}: {item['short']} ({item['n']})") for item in items
        ]
        self.fields["code"].queryset = Code.objects.filter(audit=audit)
        self.fields["coder"].queryset = coders

    def filters(self) -> dict:
        """The chosen filters; an invalid choice counts as no filter, never as an error."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # holds only the fields that were valid
        show_all = bool(data.get("all"))
        return {
            "item": data.get("item") or "",
            "status": data.get("status") or "",
            "code": data.get("code"),
            "show_all": show_all,
            "coder": data.get("coder") if show_all else None,
            "answer": data.get("answer"),
            "page": data.get("page") or 1,
        }


def query(filters: dict, **changes) -> str:
    """The query string of the coding page for `filters`, with `changes` applied; empty
    values are left out, so addresses stay short."""
    values = {**filters, **changes}
    pairs = {
        "item": values.get("item") or "",
        "status": values.get("status") or "",
        "code": values["code"].pk if values.get("code") else "",
        "all": "1" if values.get("show_all") else "",
        "coder": values["coder"].pk if values.get("coder") else "",
        "answer": values.get("answer") or "",
        "page": values.get("page") if (values.get("page") or 1) > 1 else "",
    }
    return urlencode({key: value for key, value in pairs.items() if value})
