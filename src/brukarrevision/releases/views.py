"""Released results as people outside the team see them, their exports, and the team's pages
for making releases and seeing every hidden cell and why. Views parse and render; services
write; `permissions.can` decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from brukarrevision.analysis import exports, presenting
from brukarrevision.analysis.results import MULTIPLE_NOTE, POSITIVE_DEFINITION
from brukarrevision.audits.views import get_audit
from brukarrevision.collection.models import Response
from brukarrevision.lib import releasing
from brukarrevision.lib.downloads import attachment
from brukarrevision.permissions import Action, can

from . import selectors, services
from .forms import ReleasedResultsForm, ReleaseForm
from .models import Release


def reason_text(reason: str, threshold: int) -> str:
    return {
        releasing.PRIMARY: _("fewer than %(n)s respondents"),
        releasing.COMPLEMENTARY: _("hidden to protect a smaller group"),
        releasing.KEPT: _(
            "hidden in an earlier release, so it stays hidden to protect a smaller group"
        ),
        releasing.FEW_NEW: _("fewer than %(n)s new respondents since the previous release"),
    }[reason] % {"n": threshold}


def _release(request, audit) -> Release | None:
    number = request.GET.get("release", "")
    if number.isdigit():
        return get_object_or_404(Release, audit=audit, number=int(number))
    return selectors.latest(audit)


def _selection(request, release):
    """(form, instrument id, entry, by, order) from the query, each checked against the
    release."""
    pairs = selectors.entries(release)
    chosen = request.GET.get("instrument", "")
    found = next((p for p in pairs if str(p[0]) == chosen), None) if chosen else pairs[0]
    if found is None:
        raise Http404
    pk, entry = found
    form = ReleasedResultsForm(
        request.GET or None,
        initial={"instrument": str(pk)},
        instruments=[(str(p), e["title"]) for p, e in pairs],
        breakdowns=selectors.breakdown_choices(entry),
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, pk, entry, data.get("by") or "", data.get("order") or "section"


@login_required
def results(request, slug):
    audit = get_audit(request, slug, Action.VIEW_RESULTS)
    release = _release(request, audit)
    may_work = can(request.user, Action.VIEW_RAW_ANSWERS, audit)
    context = {"audit": audit, "may_work": may_work, "release": release}
    if release is None or not release.content["instruments"]:
        return render(request, "releases/not_released.html", {**context, **_progress(audit)})
    form, pk, entry, by, order = _selection(request, release)
    table = selectors.breakdown(entry, by)
    respondents, total = selectors.respondents_table(entry, by or "unit")
    return render(
        request,
        "releases/results.html",
        {
            **context,
            "form": form,
            "instrument_id": pk,
            "by": by,
            "basis": table["basis"],
            "published": table["published"],
            "blocks": presenting.blocks(selectors.rebuild(entry, by), order),
            "respondents": respondents,
            "respondents_total": total,
            "participation": selectors.participation(release),
            "positive_definition": POSITIVE_DEFINITION,
            "multiple_note": MULTIPLE_NOTE,
            "withheld": presenting.withheld_text(release.threshold),
            "releases": audit.releases.order_by("-number").only("number", "made_at"),
        },
    )


def _progress(audit) -> dict:
    """Before the first release, only how many have answered the audit as a whole against
    the plan: nothing of the content, and no count per unit or group (docs/suppression.md)."""
    planned = audit.quotas.aggregate(n=Sum("target"))["n"]
    return {"answered": Response.objects.filter(audit=audit).count(), "planned": planned}


@login_required
def export(request, slug, fmt):
    audit = get_audit(request, slug, Action.VIEW_RESULTS)
    release = _release(request, audit)
    if release is None or fmt not in exports.RESULT_FORMATS or not release.content["instruments"]:
        raise Http404
    _form, _pk, entry, by, _order = _selection(request, release)
    dialect = "excel" if request.GET.get("dialect") == "excel" else "plain"
    data = exports.export_results(
        selectors.rebuild(entry, by),
        fmt,
        dialect=dialect,
        about=exports.about_results(_about(audit, release, entry, by)),
    )
    suffix = "-excel" if fmt == "csv" and dialect == "excel" else ""
    return attachment(data, f"{audit.slug}-resultat-utgava-{release.number}{suffix}.{fmt}")


def _about(audit, release: Release, entry: dict, by: str) -> list[tuple[str, str]]:
    table = selectors.breakdown(entry, by)
    return [
        (_("Audit"), audit.title),
        (_("Questionnaire"), entry["title"]),
        (
            _("Release"),
            _("%(n)s, made on %(date)s")
            % {"n": release.number, "date": date_format(release.made_at, "DATE_FORMAT")},
        ),
        (_("Broken down by"), table["label"]),
        (_("Figures from release"), str(table["basis"])),
        (
            _("Hidden groups"),
            _(
                "Groups with fewer than %(n)s respondents are hidden, together with other groups "
                "where a total would otherwise reveal them."
            )
            % {"n": release.threshold},
        ),
    ]


@login_required
def release_list(request, slug):
    audit = get_audit(request, slug, Action.VIEW_RELEASE_DECISIONS)
    return render(
        request,
        "releases/list.html",
        {
            "audit": audit,
            "releases": audit.releases.select_related("made_by").defer("content", "decisions"),
            "may_release": can(request.user, Action.MAKE_RELEASE, audit),
        },
    )


@login_required
def release_detail(request, slug, number):
    audit = get_audit(request, slug, Action.VIEW_RELEASE_DECISIONS)
    release = get_object_or_404(audit.releases.select_related("made_by"), number=number)
    cells = selectors.hidden_cells(release)
    for cell in cells:
        cell["why"] = reason_text(cell["reason"], release.threshold)
    return render(
        request,
        "releases/detail.html",
        {"audit": audit, "release": release, "cells": cells, "channels": _channels(release)},
    )


def _channels(release: Release) -> list[tuple[str, int]]:
    labels = dict(Response._meta.get_field("channel").choices)
    return [(str(labels.get(key, key)), n) for key, n in sorted(release.channels.items())]


@login_required
def release_new(request, slug):
    audit = get_audit(request, slug, Action.MAKE_RELEASE)
    form = ReleaseForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            made = services.make_release(
                user=request.user,
                audit=audit,
                note=form.cleaned_data["note"],
                expected=form.cleaned_data["expected"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("releases:new", slug)
        messages.success(request, _("Release %(n)s is made.") % {"n": made.number})
        return redirect("releases:detail", slug, made.number)
    try:
        seen = services.preview(audit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("releases:list", slug)
    form = ReleaseForm(initial={"expected": seen.digest})
    return render(
        request,
        "releases/new.html",
        {
            "audit": audit,
            "preview": seen,
            "form": form,
            "threshold": seen.snapshot.content["threshold"],
        },
    )
