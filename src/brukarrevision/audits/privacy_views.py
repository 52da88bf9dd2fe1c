"""Pages about an audit's personal data: its retention date and its record of processing."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from brukarrevision.lib.downloads import attachment
from brukarrevision.permissions import Action, can

from . import processing, retention
from .forms import TEXT, PlausibleDateField
from .views import apply_errors, get_audit


class RetentionForm(forms.Form):
    until = PlausibleDateField(
        label=gettext_lazy("Delete the raw data on"),
        help_text=gettext_lazy("Today or a later day. Write it as year-month-day."),
    )
    reason = forms.CharField(label=gettext_lazy("Why is the date set or changed?"), widget=TEXT)


@login_required
@require_http_methods(["GET", "POST"])
def retention_edit(request, slug):
    audit = get_audit(request, slug, Action.SET_RETENTION)
    initial = {"until": audit.retention_until} if audit.retention_until else {}
    form = RetentionForm(request.POST or None, initial=initial)
    if audit.raw_data_deleted_at is None and request.method == "POST" and form.is_valid():
        try:
            retention.set_retention(
                user=request.user,
                audit=audit,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The retention date is saved."))
            return redirect("audits:audit", slug=slug)
    return render(
        request,
        "audits/retention_form.html",
        {
            "audit": audit,
            "form": form,
            "counts": retention.raw_data_counts(audit),
            "days_left": retention.days_left(audit),
            "months": retention.RETENTION_MONTHS,
            "warn_days": retention.WARN_DAYS,
            "today": timezone.localdate(),
        },
    )


@login_required
def processing_record(request, slug):
    audit = get_audit(request, slug, Action.VIEW_PROCESSING_RECORD)
    return render(
        request,
        "audits/processing_record.html",
        {
            "audit": audit,
            "record": processing.build(audit),
            "may_set_retention": can(request.user, Action.SET_RETENTION, audit),
        },
    )


@login_required
def processing_record_pdf(request, slug):
    audit = get_audit(request, slug, Action.VIEW_PROCESSING_RECORD)
    content = processing.pdf(processing.build(audit))
    return attachment(content, processing.filename(audit))
