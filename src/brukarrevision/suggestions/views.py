"""The suggestion box: public pages (the list of boxes, a unit's box, the receipt, the wall
and the poster) and the moderation queue of those who answer for the unit."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brukarrevision import permissions
from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.views import apply_errors
from brukarrevision.collection.views import _qr_svg
from brukarrevision.organisations.models import Unit

from . import languages, limits, selectors, services
from .forms import CouncilForm, ModerationForm, SuggestionForm
from .models import Suggestion
from .texts import texts

MASKED_FLAG = "suggestion_masked"


def _unit(unit_id: int) -> Unit:
    return get_object_or_404(Unit.objects.select_related("client"), pk=unit_id)


def _lang(request) -> str:
    wanted = request.POST.get("lang") or request.GET.get("lang")
    return wanted if wanted in languages.OFFERED else languages.PLAIN


def _box_context(unit, lang, **extra) -> dict:
    t = texts(lang)
    return {
        "unit": unit,
        "lang": lang,
        "html_lang": languages.html_lang(lang),
        "dir": languages.direction(lang),
        "t": t,
        "to_unit": t["to_unit"].format(unit=unit.name, organisation=unit.client.name),
        "intro": t["intro"].format(unit=unit.name),
        "language_links": list(languages.OWN_NAMES.items()),
        **extra,
    }


# Public pages ----------------------------------------------------------------------------


def box_list(request):
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "suggestions/list.html",
        {"groups": selectors.boxes(query), "query": query},
    )


def box(request, unit_id: int):
    unit = _unit(unit_id)
    lang = _lang(request)
    t = texts(lang)
    form = SuggestionForm(request.POST if request.method == "POST" else None, lang=lang)
    limited = False
    if request.method == "POST" and form.is_valid():
        if limits.is_over(request):
            limited = True
            if limits.first_refusal(request):
                record_event(
                    SecurityEvent.Kind.SURVEY_RATE_LIMITED,
                    detail=f"suggestion box of unit {unit.pk}: over {limits.per_hour()} "
                    "suggestions an hour from one address",
                )
        else:
            try:
                suggestion = services.submit(
                    unit=unit,
                    about=form.cleaned_data["about"],
                    change=form.cleaned_data["change"],
                    quality_area=form.cleaned_data["quality_area"],
                    language=lang,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                limits.count(request)
                # Only whether something was masked travels to the receipt: no id, no text.
                request.session[MASKED_FLAG] = services.was_masked(suggestion)
                return redirect(reverse("suggestions:thanks", args=[unit.pk]) + f"?lang={lang}")
    response = render(
        request,
        "suggestions/box.html",
        _box_context(unit, lang, form=form, limited=limited, errors_title=t["errors_title"]),
        status=429 if limited else 200,
    )
    if limited:
        response["Retry-After"] = str(limits.seconds_left())
    return response


def thanks(request, unit_id: int):
    unit = _unit(unit_id)
    lang = _lang(request)
    masked = request.session.pop(MASKED_FLAG, False)
    return render(request, "suggestions/thanks.html", _box_context(unit, lang, masked=masked))


def wall(request, unit_id: int):
    unit = _unit(unit_id)
    return render(
        request,
        "suggestions/wall.html",
        {
            "unit": unit,
            "suggestions": selectors.wall(unit),
            "counts": selectors.quarter_counts(unit),
            "may_moderate": permissions.may_moderate_suggestions(request.user, unit),
        },
    )


def poster(request, unit_id: int):
    unit = _unit(unit_id)
    link = request.build_absolute_uri(reverse("suggestions:box", args=[unit.pk]))
    qr = "data:image/svg+xml;base64," + base64.b64encode(_qr_svg(link)).decode()
    return render(request, "suggestions/poster.html", {"unit": unit, "link": link, "qr": qr})


# The moderation queue ----------------------------------------------------------------------


def _moderated_unit(request, unit_id: int) -> Unit:
    unit = _unit(unit_id)
    if not permissions.may_moderate_suggestions(request.user, unit):
        raise PermissionDenied("moderate suggestions")
    return unit


@login_required
def queues(request):
    units = list(permissions.moderated_units(request.user))
    waiting = selectors.waiting_counts([unit.pk for unit in units])
    for unit in units:
        unit.waiting = waiting.get(unit.pk, 0)
    return render(request, "suggestions/queues.html", {"units": units})


@login_required
def queue(request, unit_id: int):
    unit = _moderated_unit(request, unit_id)
    status = request.GET.get("status", "")
    if status not in Suggestion.Status.values:
        status = ""
    return render(
        request,
        "suggestions/queue.html",
        {
            "unit": unit,
            "suggestions": selectors.queue(unit, status),
            "status": status,
            "statuses": Suggestion.Status.choices,
            "counts": selectors.quarter_counts(unit, include_current=True),
        },
    )


@login_required
def moderate(request, unit_id: int, pk: int):
    unit = _moderated_unit(request, unit_id)
    suggestion = get_object_or_404(Suggestion, pk=pk, unit=unit)
    initial = {
        "decision": suggestion.status if suggestion.status != Suggestion.Status.NEW else None,
        "reason": suggestion.rejection_reason,
        "answer": suggestion.answer,
    }
    form = ModerationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderate(suggestion=suggestion, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The suggestion is saved."))
            return redirect("suggestions:queue", unit.pk)
    bodies = []
    if services.council_service() and suggestion.status == Suggestion.Status.APPROVED:
        bodies = services.council_bodies(unit, request.user)
    return render(
        request,
        "suggestions/moderate.html",
        {
            "unit": unit,
            "suggestion": suggestion,
            "form": form,
            "council_form": CouncilForm(bodies=bodies) if bodies else None,
        },
    )


@login_required
@require_POST
def to_council(request, unit_id: int, pk: int):
    unit = _moderated_unit(request, unit_id)
    suggestion = get_object_or_404(Suggestion, pk=pk, unit=unit)
    bodies = services.council_bodies(unit, request.user) if services.council_service() else []
    form = CouncilForm(request.POST, bodies=bodies)
    if not bodies or not form.is_valid():
        messages.error(request, _("Choose a council."))
        return redirect("suggestions:moderate", unit.pk, suggestion.pk)
    try:
        services.send_to_council(
            suggestion=suggestion, by=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("suggestions:moderate", unit.pk, suggestion.pk)
    messages.success(
        request,
        _("The suggestion is now an issue of %(body)s.") % {"body": form.cleaned_data["body"]},
    )
    return redirect("suggestions:queue", unit.pk)
