"""The participation ladder: a unit's rounds, starting and closing a round, its result drawn
as a ladder, and the answer page that an answer link opens (no sign-in needed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brukarrevision import permissions
from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.views import apply_errors
from brukarrevision.organisations.models import Unit

from . import questions, selectors, services
from .forms import AddResponseForm, AnswerForm, StartRoundForm
from .models import LadderRound


def _unit(request, unit_id: int, *, run: bool = False) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("client"), pk=unit_id)
    if not permissions.may_view_ladder(request.user, unit):
        raise PermissionDenied("view ladder")
    if run and not permissions.may_run_ladder(request.user, unit):
        raise PermissionDenied("run ladder")
    return unit


def _round(request, pk: int, *, run: bool = False) -> LadderRound:
    round_ = get_object_or_404(LadderRound.objects.select_related("unit", "unit__client"), pk=pk)
    _unit(request, round_.unit_id, run=run)
    return round_


@login_required
def index(request):
    units = list(permissions.ladder_units(request.user))
    overview = selectors.unit_overview(units)
    for unit in units:
        unit.ladder = overview.get(unit.pk)
    return render(request, "ladder/index.html", {"units": units})


@login_required
def unit_rounds(request, unit_id: int):
    unit = _unit(request, unit_id)
    return render(
        request,
        "ladder/unit.html",
        {
            "unit": unit,
            "rounds": selectors.rounds_for_unit(unit),
            "summary": selectors.latest_summary(unit),
            "may_run": permissions.may_run_ladder(request.user, unit),
            "levels": questions.LEVELS,
            "stages": questions.STAGES,
        },
    )


@login_required
def start(request, unit_id: int):
    unit = _unit(request, unit_id, run=True)
    form = StartRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.start_round(
                unit=unit,
                by=request.user,
                title=form.cleaned_data["title"],
                started_on=form.cleaned_data["started_on"],
                staff_labels=form.labels("staff_labels"),
                user_group_labels=form.labels("user_group_labels"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The round is started. Share the answer links."))
            return redirect("ladder:round", round_.pk)
    return render(request, "ladder/start.html", {"unit": unit, "form": form})


@login_required
def round_detail(request, pk: int):
    round_ = _round(request, pk)
    may_run = permissions.may_run_ladder(request.user, round_.unit)
    result = selectors.round_result(round_)
    links = []
    if may_run:
        for response in round_.responses.all():
            links.append(
                (
                    response,
                    request.build_absolute_uri(reverse("ladder:answer", args=[response.token])),
                )
            )
    response = render(
        request,
        "ladder/round.html",
        {
            "round": round_,
            "unit": round_.unit,
            "result": result,
            "may_run": may_run,
            "links": links,
            "add_form": AddResponseForm() if may_run and round_.is_open else None,
            "levels": questions.LEVELS,
            "stages": questions.STAGES,
            "questions": questions.QUESTIONS,
        },
    )
    # The page holds the answer links: not kept in shared caches or the browser's history.
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def add_response(request, pk: int):
    round_ = _round(request, pk, run=True)
    form = AddResponseForm(request.POST)
    if form.is_valid():
        try:
            services.add_response(round=round_, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("A new answer link is made."))
            return redirect(reverse("ladder:round", args=[round_.pk]) + "#links")
    result = selectors.round_result(round_)
    return render(
        request,
        "ladder/round.html",
        {
            "round": round_,
            "unit": round_.unit,
            "result": result,
            "may_run": True,
            "links": [
                (r, request.build_absolute_uri(reverse("ladder:answer", args=[r.token])))
                for r in round_.responses.all()
            ],
            "add_form": form,
            "levels": questions.LEVELS,
            "stages": questions.STAGES,
            "questions": questions.QUESTIONS,
        },
        status=400,
    )


@login_required
@require_POST
def close(request, pk: int):
    round_ = _round(request, pk, run=True)
    services.close_round(round=round_, by=request.user)
    messages.success(request, _("The round is closed. The answer links no longer work."))
    return redirect("ladder:round", round_.pk)


def answer(request, token: str):
    """The answer page of one perspective: works without signing in, once, while the round
    is open. Whoever has the link sees this page only, never the results."""
    response = selectors.round_for_token(token)
    if response is None:
        raise Http404
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if response.submitted_at is not None:
            if form.is_valid() and form.answers() == response.answers:
                # The same answers sent again (a double click, a resend): stored once.
                return redirect("ladder:answer", token)
            # Other answers through a used link are refused and logged; neither the link's
            # code (it is a key) nor the address of an anonymous answerer goes in the log.
            record_event(
                SecurityEvent.Kind.SUBMISSION_CONFLICT,
                detail=f"participation ladder response {response.pk}: other answers "
                "were sent through a link already used",
            )
            status = 410
        elif not permissions.may_answer_ladder(response):
            status = 410
        elif form.is_valid():
            try:
                services.submit_answers(
                    response=response, answers=form.answers(), user=request.user
                )
            except ValidationError as error:
                apply_errors(form, error)
                response.refresh_from_db()
                status = 410 if not permissions.may_answer_ladder(response) else 400
            else:
                return redirect("ladder:answer", token)
        else:
            status = 400
    page = render(
        request,
        "ladder/answer.html",
        {
            "ladder_response": response,
            "round": response.round,
            "unit": response.round.unit,
            "form": form,
            "open": permissions.may_answer_ladder(response),
            "stages": questions.STAGES,
        },
        status=status,
    )
    add_never_cache_headers(page)
    return page
