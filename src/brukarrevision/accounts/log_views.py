"""The administrator's page of the security log: choose events, read them, export them."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from brukarrevision import permissions
from brukarrevision.lib.downloads import attachment

from . import log_review
from .models import SecurityEvent

PAGE_SIZE = 50
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EXPORT_FORMATS = ("csv", "xlsx")


class LogFilterForm(forms.Form):
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=254,
        help_text=_(
            "Part of an e-mail address, a name or an IP address: of whoever acted, or of "
            "the person the event concerned."
        ),
    )
    kind = forms.ChoiceField(label=_("Event"), required=False)
    audit = forms.ModelChoiceField(
        label=_("Audit"), required=False, queryset=None, empty_label=_("All audits")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All events")), *SecurityEvent.Kind.choices]
        self.fields["audit"].queryset = permissions.visible_audits(user).order_by("title")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned


@login_required
@require_GET
def security_log(request):
    if not permissions.may_review_security_log(request.user):
        raise PermissionDenied("review_security_log")
    form = LogFilterForm(request.GET or None, user=request.user)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = {name: value for name, value in chosen.items() if value not in ("", None)}
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS and not form.errors:
        data, name = log_review.export(user=request.user, filters=filters, fmt=fmt, request=request)
        return attachment(data, name)
    found = log_review.events(**filters) if not form.errors else SecurityEvent.objects.none()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for name in ("page", "export"):
        query.pop(name, None)
    return render(
        request,
        "accounts/security_log.html",
        {
            "form": form,
            "page": page,
            "events": page.object_list,
            "query": query.urlencode(),
            "warnings": log_review.unusual_patterns(),
            "rules": log_review.rules_in_words(),
        },
    )
