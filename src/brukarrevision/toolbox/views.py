"""The toolbox: public to read, edited by administrators and user organisations'
coordinators (permissions.may_edit_toolbox)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brukarrevision import permissions
from brukarrevision.audits.views import apply_errors

from . import selectors, services
from .forms import AttachmentForm, EntryForm, SearchForm
from .models import Attachment, Entry


def entry_list(request):
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.search(
        words=filters.get("q", ""),
        level=filters.get("level", ""),
        quality_area=filters.get("quality_area", ""),
        kind=filters.get("kind", ""),
    )
    return render(
        request,
        "toolbox/list.html",
        {
            "form": form,
            "entries": entries,
            "filtered": any(filters.values()) if filters else False,
            "may_edit": permissions.may_edit_toolbox(request.user),
        },
    )


def entry(request, slug):
    found = get_object_or_404(Entry.objects.prefetch_related("attachments"), slug=slug)
    return render(
        request,
        "toolbox/entry.html",
        {
            "entry": found,
            "attachments": found.attachments.defer("content"),
            "may_edit": permissions.may_edit_toolbox(request.user),
        },
    )


def easy(request, slug):
    found = get_object_or_404(Entry, slug=slug)
    return render(request, "toolbox/easy.html", {"entry": found})


def attachment(request, slug, pk):
    found = get_object_or_404(Attachment, pk=pk, entry__slug=slug)
    # Always a download, never shown inside the site: an uploaded file is not trusted.
    response = HttpResponse(bytes(found.content), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _require_editor(request):
    if not permissions.may_edit_toolbox(request.user):
        raise PermissionDenied("edit toolbox")


@login_required
def edit(request, slug=None):
    _require_editor(request)
    found = get_object_or_404(Entry, slug=slug) if slug else None
    form = EntryForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_entry(by=request.user, entry=found, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The entry is saved."))
            return redirect(saved)
    attachment_form = AttachmentForm() if found else None
    return render(
        request,
        "toolbox/edit.html",
        {"entry": found, "form": form, "attachment_form": attachment_form},
    )


@login_required
@require_POST
def upload(request, slug):
    _require_editor(request)
    found = get_object_or_404(Entry, slug=slug)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                by=request.user,
                entry=found,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The file is added."))
            return redirect("toolbox:edit", found.slug)
    return render(
        request,
        "toolbox/edit.html",
        {"entry": found, "form": EntryForm(instance=found), "attachment_form": form},
        status=400,
    )


@login_required
@require_POST
def remove(request, slug, pk):
    _require_editor(request)
    found = get_object_or_404(Attachment, pk=pk, entry__slug=slug)
    services.remove_attachment(by=request.user, attachment=found)
    messages.success(request, _("The file is removed."))
    return redirect("toolbox:edit", slug)
