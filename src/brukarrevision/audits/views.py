from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from brukarrevision.accounts.services import refuse_unseen
from brukarrevision.organisations.models import Organisation
from brukarrevision.permissions import Action, can, client_organisations, coordinated_organisations

from . import checklists, selectors, services
from .forms import (
    AddAuditorForm,
    ApplicationForm,
    CoordinatorForm,
    DecisionForm,
    OfferForm,
    PhaseForm,
    PlanPage,
    PledgeForm,
    TrainingForm,
)
from .models import Application, Audit, Offer, Phase


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, on the field it names if the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def get_audit(request, slug: str, action: Action = Action.VIEW_AUDIT) -> Audit:
    """The audit, if the user may do `action` on it. Someone who may not even see it gets
    a 404 so that one tenant cannot learn of another's audits; both refusals are logged."""
    audit = Audit.objects.select_related("performer", "client").filter(slug=slug).first()
    if audit is None:
        raise Http404
    if not can(request.user, Action.VIEW_AUDIT, audit):
        refuse_unseen(request, f"{Action.VIEW_AUDIT} {slug}")
    if not can(request.user, action, audit):
        raise PermissionDenied(f"{action} {slug}")
    return audit


# Offers and applications -----------------------------------------------------------------


def offer_list(request):
    return render(
        request,
        "audits/offer_list.html",
        {
            "offers": selectors.open_offers(),
            "may_apply": client_organisations(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk=None):
    offer = get_object_or_404(Offer, pk=pk) if pk else None
    performers = coordinated_organisations(request.user)
    if offer and not can(request.user, Action.MANAGE_OFFER, offer):
        raise PermissionDenied(Action.MANAGE_OFFER)
    if not offer and not (performers.exists() or request.user.is_superuser):
        raise PermissionDenied(Action.MANAGE_OFFER)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        performer = (
            offer.performer
            if offer
            else (performers.first() or Organisation.objects.filter(kind="performer").first())
        )
        try:
            offer = services.save_offer(
                user=request.user, performer=performer, offer=offer, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect("core:home")
    return render(request, "audits/offer_form.html", {"form": form, "offer": offer})


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request, offer_pk):
    offer = get_object_or_404(Offer, pk=offer_pk)
    if not can(request.user, Action.APPLY_TO_OFFER, offer):
        raise PermissionDenied(Action.APPLY_TO_OFFER)
    clients = client_organisations(request.user)
    form = ApplicationForm(request.POST or None, clients=clients)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.submit_application(
                user=request.user,
                offer=offer,
                client=form.cleaned_data["client"],
                units=list(form.cleaned_data["units"]),
                answers=form.answers(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if application.status == Application.Status.WAITING:
                messages.warning(
                    request,
                    _(
                        "All places are taken. Your application is on the waiting list and "
                        "moves up if a place becomes free."
                    ),
                )
            else:
                messages.success(request, _("Thank you. Your application has been sent."))
            return redirect("audits:application", pk=application.pk)
    earlier = [
        application
        for client in clients
        for application in services.open_applications_for(offer, client).prefetch_related("units")
    ]
    return render(
        request,
        "audits/application_form.html",
        {"form": form, "offer": offer, "open_applications": earlier},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("offer", "client", "submitted_by"), pk=pk
    )
    if not can(request.user, Action.VIEW_APPLICATION, application):
        raise PermissionDenied(Action.VIEW_APPLICATION)
    may_decide = can(request.user, Action.DECIDE_APPLICATION, application)
    form = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(Action.DECIDE_APPLICATION)
        if form.is_valid():
            response = _decide(request, application, form)
            if response:
                return response
    return render(
        request,
        "audits/application_detail.html",
        {
            "application": application,
            "form": form,
            "units": application.units.all(),
        },
    )


def _decide(request, application, form):
    message = form.cleaned_data["message"]
    try:
        if form.cleaned_data["decision"] == "accept":
            audit = services.accept_application(
                user=request.user, application=application, message=message
            )
            messages.success(request, _("The application is accepted and the audit created."))
            return redirect("audits:audit", slug=audit.slug)
        services.decline_application(user=request.user, application=application, message=message)
        messages.success(request, _("The application is declined and the client told."))
        return redirect("core:home")
    except ValidationError as error:
        apply_errors(form, error)
    return None


# The audit -------------------------------------------------------------------------------


PAGE_ACTIONS = [
    Action.VIEW_TEAM,
    Action.EDIT_PLAN,
    Action.MANAGE_TEAM,
    Action.CHANGE_PHASE,
    Action.TICK_CHECKLIST,
    Action.VIEW_INSTRUMENTS,
    Action.VIEW_PROGRESS,
    Action.PASS_ON_CONTACTS,
    Action.VIEW_RESULTS,
    Action.VIEW_RELEASE_DECISIONS,
    Action.VIEW_REPORT,
]


@login_required
def audit_detail(request, slug):
    audit = get_audit(request, slug)
    user = request.user
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            **selectors.audit_page(audit),
            "checklist": checklists.checklist(audit),
            "may": {action.value: can(user, action, audit) for action in PAGE_ACTIONS},
            "phase_choices": Phase.choices,
            "own_membership": audit.members.filter(user=user).first(),
            "phase_form": PhaseForm(audit=audit) if can(user, Action.CHANGE_PHASE, audit) else None,
        },
    )


@login_required
@require_POST
def checklist_tick(request, slug):
    audit = get_audit(request, slug, Action.TICK_CHECKLIST)
    try:
        services.set_tick(
            user=request.user,
            audit=audit,
            key=request.POST.get("key", ""),
            done=request.POST.get("done") == "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{audit_url(audit)}#checklist")


def audit_url(audit):
    return reverse("audits:audit", args=[audit.slug])


@login_required
@require_http_methods(["GET", "POST"])
def phase_move(request, slug):
    audit = get_audit(request, slug, Action.CHANGE_PHASE)
    form = PhaseForm(request.POST or None, audit=audit)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_phase(user=request.user, audit=audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The audit has moved to a new phase."))
            return redirect("audits:audit", slug=slug)
    return render(
        request,
        "audits/phase_form.html",
        {"audit": audit, "form": form, "checklist": checklists.checklist(audit)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, slug):
    """The whole plan is one form with one save button. Nothing is saved unless every
    section is valid; what was typed stays in the fields with its errors beside it."""
    audit = get_audit(request, slug, Action.EDIT_PLAN)
    page = PlanPage(request.POST if request.method == "POST" else None, audit=audit)
    if page.is_bound and page.is_valid():
        values = page.saved_values()
        try:
            services.save_plan(user=request.user, audit=audit, **values)
        except services.PlanNotSaved as refused:
            for section, error in refused.by_section.items():
                apply_errors(page.form(section), error)
        else:
            messages.success(request, _("The plan is saved."))
            if values["new_group"]:
                messages.info(
                    request,
                    _("Fill in the sample plan for the new target group %(name)s.")
                    % {"name": values["new_group"][0]},
                )
            return redirect("audits:plan", slug=slug)
    if page.is_bound:
        audit.refresh_from_db()
    return render(
        request,
        "audits/plan.html",
        {
            "audit": audit,
            "page": page,
            "forms": {key: form for key, _title, form in page.sections},
            "error_sections": page.error_sections() if page.is_bound else [],
            "target_groups": audit.target_groups.all(),
            "checklist": checklists.checklist(audit, 1),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team(request, slug):
    audit = get_audit(request, slug, Action.MANAGE_TEAM)
    section = request.POST.get("section") if request.method == "POST" else None
    forms = {
        "auditor": AddAuditorForm(request.POST if section == "auditor" else None, audit=audit),
        "coordinator": CoordinatorForm(
            request.POST if section == "coordinator" else None, audit=audit
        ),
        "training": TrainingForm(request.POST if section == "training" else None, audit=audit),
    }
    if section == "remove":
        services.remove_member(
            user=request.user, audit=audit, member_id=int(request.POST.get("member_id", 0))
        )
        messages.success(request, _("Removed from the team."))
        return redirect(request.path)
    if section in forms and forms[section].is_valid():
        try:
            _save_team_section(request.user, audit, section, forms[section])
        except ValidationError as error:
            apply_errors(forms[section], error)
        else:
            messages.success(request, _("Saved."))
            return redirect(request.path)
    return render(
        request,
        "audits/team.html",
        {
            "audit": audit,
            "forms": forms,
            **selectors.audit_page(audit),
            "checklist": checklists.checklist(audit, 2),
        },
    )


def _save_team_section(user, audit, section, form):
    data = form.cleaned_data
    if section == "auditor":
        services.add_auditor(user=user, audit=audit, **data)
    elif section == "coordinator":
        services.set_coordinator(user=user, audit=audit, coordinator=data["coordinator"])
    elif section == "training":
        services.record_training(user=user, audit=audit, **data)


@login_required
@require_http_methods(["GET", "POST"])
def pledge(request, slug):
    audit = get_audit(request, slug, Action.SIGN_PLEDGE)
    member = audit.members.get(user=request.user)
    form = PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.sign_pledge(user=request.user, audit=audit)
        messages.success(request, _("Thank you. Your confidentiality pledge is signed."))
        return redirect("audits:audit", slug=slug)
    return render(request, "audits/pledge.html", {"audit": audit, "form": form, "member": member})
