"""The report pages: sections, versions, review and publication, proposals, colour ratings and
renderings with their progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brukarrevision.audits.views import apply_errors, get_audit
from brukarrevision.lib import readability
from brukarrevision.lib.downloads import attachment
from brukarrevision.permissions import Action, can
from brukarrevision.releases import selectors as release_selectors

from . import document, rendering, services
from .forms import AssessmentForm, ProposalForm, RenderForm, ReviewForm, SectionForm
from .models import Proposal, Rendering, Report


def _may(request, audit) -> dict:
    actions = [
        Action.WRITE_REPORT,
        Action.PUBLISH_REPORT,
        Action.ANSWER_PROPOSALS,
        Action.VIEW_REPORT_DRAFT,
    ]
    return {action.value: can(request.user, action, audit) for action in actions}


def _readability(audit, report) -> dict:
    """LIX of the easy-to-read summary as readers get it, of the auditors' introduction to it
    and of each proposal's easy-to-read text, for the author to aim under the goal."""
    summary = document.build_easy(audit, report)
    proposals = [
        (p, readability.measure(p.easy_text) if p.easy_text.strip() else None)
        for p in audit.proposals.all()
    ]
    return {
        "whole": readability.measure(summary.text()),
        "intro": readability.measure(report.text("easy_summary")),
        "proposals": proposals,
        "goal": readability.GOAL,
    }


@login_required
def report_home(request, slug):
    audit = get_audit(request, slug, Action.VIEW_REPORT)
    may = _may(request, audit)
    report = Report.objects.filter(audit=audit).first()
    if request.method == "POST" and "start" in request.POST:
        services.start_report(user=request.user, audit=audit)
        messages.success(
            request, _("The first draft is made from the audit's results and findings.")
        )
        return redirect("reports:home", slug)
    drafts = report if may[Action.VIEW_REPORT_DRAFT] else None
    return render(
        request,
        "reports/home.html",
        {
            "audit": audit,
            "report": report,
            "may": may,
            "sections": [
                s
                for s in (drafts.sections.all() if drafts else [])
                if s.key != "comparison" or audit.previous_audit_id
            ],
            "readability": _readability(audit, report) if drafts else None,
            "versions": _versions(request.user, report),
            "renderings": drafts.renderings.defer("content")[:8] if drafts else [],
            "render_form": RenderForm(),
            "review_form": ReviewForm(),
            "proposals": audit.proposals.all(),
            "editions": report.editions.select_related("release") if report else [],
            "release": release_selectors.latest(audit),
        },
    )


def _versions(user, report) -> list:
    """The versions `user` may read: all for the team, the one under review for others."""
    if report is None:
        return []
    versions = report.versions.select_related("report", "made_by")
    if can(user, Action.VIEW_REPORT_DRAFT, report.audit):
        return list(versions[:10])
    return [
        v for v in versions.filter(number=report.review_version) if can(user, Action.VIEW_REPORT, v)
    ]


@login_required
def section_edit(request, slug, key):
    audit = get_audit(request, slug, Action.WRITE_REPORT)
    report = get_object_or_404(Report, audit=audit)
    section = get_object_or_404(report.sections, key=key)
    form = SectionForm(
        request.POST or None, initial={"heading": section.heading, "text": section.text}
    )
    if form.is_bound and form.is_valid():
        try:
            services.save_section(user=request.user, section=section, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved as a new version."))
            return redirect("reports:home", slug)
    return render(
        request, "reports/section.html", {"audit": audit, "section": section, "form": form}
    )


@login_required
def version(request, slug, number):
    audit = get_audit(request, slug, Action.VIEW_REPORT)
    report = get_object_or_404(Report, audit=audit)
    found = get_object_or_404(report.versions.select_related("made_by"), number=number)
    if not can(request.user, Action.VIEW_REPORT, found):
        raise PermissionDenied(f"report version {number} {slug}")
    return render(request, "reports/version.html", {"audit": audit, "version": found})


@login_required
@require_POST
def review(request, slug):
    audit = get_audit(request, slug, Action.VIEW_REPORT)
    report = get_object_or_404(Report, audit=audit)
    step = request.POST.get("step")
    try:
        if step == "submit":
            services.submit_for_review(user=request.user, report=report)
            messages.success(request, _("The report is sent for review."))
        elif step == "publish":
            services.publish(
                user=request.user, report=report, note=request.POST.get("change_note", "")
            )
            messages.success(request, _("The report is published."))
        elif step == "back":
            services.back_to_draft(
                user=request.user, report=report, note=request.POST.get("note", "")
            )
            messages.success(request, _("The report is back in draft."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:home", slug)


@login_required
def assessment(request, slug):
    audit = get_audit(request, slug, Action.WRITE_REPORT)
    form = AssessmentForm(request.POST or None, audit=audit)
    if form.is_bound and form.is_valid():
        try:
            services.save_assessments(user=request.user, audit=audit, ratings=form.ratings())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("reports:home", slug)
    return render(request, "reports/assessment.html", {"audit": audit, "form": form})


@login_required
def proposals(request, slug, pk=None):
    audit = get_audit(request, slug, Action.WRITE_REPORT)
    proposal = get_object_or_404(Proposal, pk=pk, audit=audit) if pk else None
    if proposal and request.method == "POST" and "delete" in request.POST:
        services.delete_proposal(user=request.user, proposal=proposal)
        messages.success(request, _("The proposal is removed."))
        return redirect("reports:proposals", slug)
    form = ProposalForm(request.POST or None, instance=proposal, audit=audit)
    if form.is_bound and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.save_proposal(user=request.user, audit=audit, proposal=proposal, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The proposal is saved."))
            return redirect("reports:proposals", slug)
    listed = [
        (p, readability.measure(p.easy_text) if p.easy_text.strip() else None)
        for p in audit.proposals.all()
    ]
    return render(
        request,
        "reports/proposals.html",
        {
            "audit": audit,
            "form": form,
            "proposal": proposal,
            "proposals": listed,
            "goal": readability.GOAL,
        },
    )


@login_required
@require_POST
def render_request(request, slug):
    audit = get_audit(request, slug, Action.VIEW_REPORT_DRAFT)
    report = get_object_or_404(Report, audit=audit)
    form = RenderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format."))
        return redirect("reports:home", slug)
    made = services.request_rendering(
        user=request.user,
        report=report,
        fmt=form.cleaned_data["format"],
        easy_read=form.cleaned_data["easy_read"],
    )
    return redirect("reports:rendering", slug, made.pk)


@login_required
def rendering_status(request, slug, pk):
    audit = get_audit(request, slug, Action.VIEW_REPORT_DRAFT)
    made = get_object_or_404(Rendering.objects.defer("content"), pk=pk, report__audit=audit)
    waiting = made.status in (Rendering.Status.QUEUED, Rendering.Status.RUNNING)
    return render(
        request, "reports/rendering.html", {"audit": audit, "made": made, "waiting": waiting}
    )


@login_required
def rendering_file(request, slug, pk):
    audit = get_audit(request, slug, Action.VIEW_REPORT_DRAFT)
    made = get_object_or_404(Rendering, pk=pk, report__audit=audit, status=Rendering.Status.DONE)
    return attachment(bytes(made.content), made.filename)


@login_required
def preview(request, slug):
    audit = get_audit(request, slug, Action.VIEW_REPORT_DRAFT)
    easy = request.GET.get("easy") == "1"
    built = document.build_easy(audit) if easy else document.build(audit)
    return HttpResponse(rendering.html(built))
