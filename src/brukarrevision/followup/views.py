"""Feedback and follow-up pages for the audit's people, and the public pages of published
audits: the report, the easy-to-read summary and every proposal with its answer and status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from brukarrevision.audits.models import Audit
from brukarrevision.audits.views import apply_errors, get_audit
from brukarrevision.lib.downloads import attachment
from brukarrevision.permissions import Action, can, may_send_proposal_to_council
from brukarrevision.reports.models import Edition, report_filename

from . import services
from .forms import ActionForm, AnswerForm, FollowForm, MeetingForm, UpdateForm
from .models import Action as PlannedAction


def _proposals(audit):
    return audit.proposals.select_related("answer").prefetch_related("actions__updates")


@login_required
def feedback(request, slug):
    audit = get_audit(request, slug, Action.VIEW_PROPOSALS)
    records = can(request.user, Action.RECORD_FEEDBACK, audit)
    meeting = getattr(audit, "feedback", None)
    initial = {}
    if meeting:
        initial = {
            "held_on": meeting.held_on,
            "participants": meeting.participants,
            "notes": meeting.notes,
            "next_follow_up": meeting.next_follow_up,
        }
    form = MeetingForm(request.POST or None, initial=initial) if records else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            services.record_meeting(user=request.user, audit=audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The feedback meeting is saved."))
            return redirect("followup:feedback", slug)
    return render(
        request,
        "followup/feedback.html",
        {
            "audit": audit,
            "meeting": meeting,
            "form": form,
            "proposals": _proposals(audit),
            "answers": can(request.user, Action.ANSWER_PROPOSALS, audit),
        },
    )


@login_required
def proposal(request, slug, pk):
    audit = get_audit(request, slug, Action.VIEW_PROPOSALS)
    found = get_object_or_404(_proposals(audit), pk=pk)
    answers = can(request.user, Action.ANSWER_PROPOSALS, audit)
    current = getattr(found, "answer", None)
    initial = {"decision": current.decision, "reason": current.reason} if current else {}
    answer_form = AnswerForm(request.POST if "answer" in request.POST else None, initial=initial)
    action_form = ActionForm(request.POST if "action" in request.POST else None)
    if answers and answer_form.is_bound and answer_form.is_valid():
        services.answer_proposal(user=request.user, proposal=found, **answer_form.cleaned_data)
        messages.success(request, _("The answer is saved."))
        return redirect("followup:proposal", slug, pk)
    if answers and action_form.is_bound and action_form.is_valid():
        try:
            services.add_action(user=request.user, proposal=found, **action_form.cleaned_data)
        except ValidationError as error:
            apply_errors(action_form, error)
        else:
            messages.success(request, _("The action is added to the plan."))
            return redirect("followup:proposal", slug, pk)
    return render(
        request,
        "followup/proposal.html",
        {
            "audit": audit,
            "proposal": found,
            "answers": answers,
            "answer_form": answer_form,
            "action_form": action_form,
            "sends_to_council": may_send_proposal_to_council(request.user, audit),
        },
    )


@login_required
def action(request, slug, pk):
    audit = get_audit(request, slug, Action.VIEW_PROPOSALS)
    found = get_object_or_404(
        PlannedAction.objects.select_related("proposal").prefetch_related("updates__made_by"),
        pk=pk,
        proposal__audit=audit,
    )
    updates = can(request.user, Action.ANSWER_PROPOSALS, audit)
    form = UpdateForm(
        request.POST or None, initial={"status": found.status, "progress": found.progress}
    )
    if updates and form.is_bound and form.is_valid():
        try:
            services.update_action(user=request.user, action=found, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The update is saved."))
            return redirect("followup:action", slug, pk)
    return render(
        request,
        "followup/action.html",
        {"audit": audit, "action": found, "form": form if updates else None},
    )


# Public pages ------------------------------------------------------------------------------------


def _published():
    """Audits with a published (frozen) version of their report."""
    return Audit.objects.filter(report__editions__isnull=False).distinct()


def _editions(audit):
    return list(Edition.objects.filter(report__audit=audit).order_by("-number"))


def public_list(request):
    audits = _published().select_related("client", "performer", "report")
    return render(
        request,
        "followup/public_list.html",
        {"audits": audits.order_by("-report__published_at")},
    )


def public_audit(request, slug):
    audit = get_object_or_404(_published().select_related("client", "performer"), slug=slug)
    form = FollowForm(request.POST or None)
    if form.is_bound and form.is_valid():
        services.follow(audit=audit, email=form.cleaned_data["email"])
        messages.success(
            request, _("Thank you. Open the link in the e-mail we sent to start following.")
        )
        return redirect("followup:public_audit", slug)
    editions = _editions(audit)
    edition = _chosen(request, editions)
    easy = request.GET.get("easy") == "1"
    return render(
        request,
        "followup/public_audit.html",
        {
            "audit": audit,
            "edition": edition,
            "current": editions[0],
            "editions": editions,
            "page": edition.easy_page if easy else edition.page,
            "easy": easy,
            "proposals": _proposals(audit),
            "meeting": getattr(audit, "feedback", None),
            "form": form,
        },
    )


def _chosen(request, editions):
    """The version asked for (?version=N), else the current one."""
    number = request.GET.get("version", "")
    if number.isdigit():
        found = next((e for e in editions if e.number == int(number)), None)
        if found is None:
            raise Http404
        return found
    return editions[0]


def public_file(request, slug, fmt):
    """A stored file of the published report: never rendered again."""
    audit = get_object_or_404(_published(), slug=slug)
    if fmt not in ("pdf", "docx", "html"):
        raise Http404
    edition = _chosen(request, _editions(audit))
    easy = request.GET.get("easy") == "1"
    stored = edition.file(fmt, easy)
    if stored is None:
        raise Http404
    response = attachment(bytes(stored.content), report_filename(audit, fmt, easy))
    response["ETag"] = f'"{stored.sha256}"'
    return response


def confirm(request, token):
    follower = services.confirm(token)
    if follower is None:
        raise Http404
    messages.success(request, _("You now follow this audit."))
    return redirect("followup:public_audit", follower.audit.slug)


def stop(request, token):
    if request.method == "POST":
        services.stop_following(token)
        messages.success(request, _("You no longer follow the audit."))
        return redirect("followup:public_list")
    return render(request, "followup/stop.html", {"token": token})
