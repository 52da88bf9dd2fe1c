"""Pages of a certification: the list, the offer, one page with the step list, a page per
step (meeting, checklist and criterion, check-ins, action plan, decision, follow-ups), the
certificate PDF, the checklist editor, and the public verification page and register."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from brukarrevision import permissions
from brukarrevision.accounts.services import refuse_unseen
from brukarrevision.audits.views import apply_errors
from brukarrevision.lib.downloads import attachment
from brukarrevision.organisations.models import Organisation, Unit

from . import certificate, selectors, services
from .forms import (
    ActionForm,
    AssessmentForm,
    CheckInForm,
    CriterionForm,
    DecisionForm,
    EvidenceForm,
    FollowUpForm,
    MeetingForm,
    OfferForm,
    ParticipantForm,
)
from .models import Action, Certification, Criterion, Evidence, Participant

VIEW, TAKE_PART, LEAD = "view", "take_part", "lead"
RULES = {
    VIEW: permissions.may_view_certification,
    TAKE_PART: permissions.may_take_part_in_certification,
    LEAD: permissions.may_lead_certification,
}


def _get(request, pk: int, need: str = VIEW) -> Certification:
    """The certification if the user may see it (404 otherwise, so one tenant does not
    learn of another's, logged), and 403 if they may see it but not do `need`."""
    certification = get_object_or_404(
        Certification.objects.select_related(
            "unit", "unit__client", "performer", "checklist", "meeting"
        ),
        pk=pk,
    )
    if not permissions.may_view_certification(request.user, certification):
        refuse_unseen(request, f"certification {pk}")
    if not RULES[need](request.user, certification):
        raise PermissionDenied(f"{need} certification {pk}")
    return certification


def _rights(request, certification) -> dict:
    return {
        "certification": certification,
        "may_lead": permissions.may_lead_certification(request.user, certification),
        "may_take_part": permissions.may_take_part_in_certification(request.user, certification),
    }


def _performers(user):
    if user.is_superuser:
        return Organisation.objects.filter(kind=Organisation.Kind.PERFORMER)
    return permissions.coordinated_organisations(user).filter(kind=Organisation.Kind.PERFORMER)


# The list and the offer ------------------------------------------------------------------------


@login_required
def index(request):
    certifications = permissions.visible_certifications(request.user).order_by(
        "unit__name", "-round"
    )
    return render(
        request,
        "certification/index.html",
        {
            "certifications": certifications,
            "performers": _performers(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer(request):
    performers = _performers(request.user)
    if not performers.exists():
        raise PermissionDenied("offer certification")
    units = Unit.objects.select_related("client").order_by("client__name", "name")
    form = OfferForm(request.POST or None, performers=performers, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            certification = services.offer_certification(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The offer is made. The unit can now accept it."))
            return redirect(certification)
    return render(request, "certification/offer.html", {"form": form})


# The certification's page and its steps --------------------------------------------------------


@login_required
@never_cache
def detail(request, pk):
    certification = _get(request, pk)
    context = _rights(request, certification)
    verify_url = request.build_absolute_uri(certification.verification_path())
    context.update(
        steps=selectors.steps(certification),
        counts=selectors.checklist_counts(certification),
        participants=selectors.participating_users_note(certification),
        check_ins=certification.check_ins.all(),
        follow_ups=certification.follow_ups.all(),
        ladder_rounds=selectors.ladder_rounds(certification),
        standing=certification.standing(),
        may_renew=context["may_lead"] and services.may_renew(certification),
        verify_url=verify_url,
        qr_data=_qr_data(verify_url) if certification.certified_on else "",
        earlier=certification.renewal_of,
        later=getattr(certification, "renewal", None),
    )
    return render(request, "certification/detail.html", context)


def _qr_data(url: str) -> str:
    from brukarrevision.collection.views import _qr_svg

    return "data:image/svg+xml;base64," + base64.b64encode(_qr_svg(url)).decode()


@login_required
@require_POST
def answer_offer(request, pk):
    certification = _get(request, pk, TAKE_PART)
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_offer(user=request.user, certification=certification, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The unit has accepted the offer.") if accept else _("The offer is declined."),
        )
    return redirect(certification)


@login_required
@require_http_methods(["GET", "POST"])
def participants(request, pk):
    certification = _get(request, pk, LEAD)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_participant(
                user=request.user,
                certification=certification,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The person now takes part in the certification."))
            return redirect("certification:participants", pk)
    context = _rights(request, certification)
    context.update(form=form, participants=selectors.participating_users_note(certification))
    return render(request, "certification/participants.html", context)


@login_required
@require_POST
def remove_participant(request, pk, participant_pk):
    certification = _get(request, pk, LEAD)
    participant = get_object_or_404(Participant, pk=participant_pk, certification=certification)
    services.remove_participant(user=request.user, participant=participant, request=request)
    messages.success(request, _("The person no longer takes part."))
    return redirect("certification:participants", pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request, pk):
    certification = _get(request, pk)
    context = _rights(request, certification)
    existing = getattr(certification, "meeting", None)
    initial = {f: getattr(existing, f) for f in MeetingForm.base_fields} if existing else None
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not context["may_lead"]:
            raise PermissionDenied("meeting")
        if form.is_valid():
            try:
                services.record_meeting(
                    user=request.user, certification=certification, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The information meeting is saved."))
                return redirect(certification)
    context.update(form=form, meeting=existing)
    return render(request, "certification/meeting.html", context)


@login_required
def checklist(request, pk):
    certification = _get(request, pk)
    context = _rights(request, certification)
    context.update(
        groups=selectors.checklist_by_area(certification),
        counts=selectors.checklist_counts(certification),
    )
    return render(request, "certification/checklist.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def criterion(request, pk, criterion_pk):
    certification = _get(request, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, checklist=certification.checklist)
    context = _rights(request, certification)
    assessment = certification.assessments.filter(criterion=criterion).first()
    initial = (
        {
            "result": assessment.result,
            "taking_part": assessment.taking_part,
            "names": assessment.names,
            "comment": assessment.comment,
        }
        if assessment
        else {"taking_part": ["staff", "users"]}
    )
    findings = selectors.linkable_findings(certification.unit)
    proposals = selectors.linkable_proposals(certification.unit)
    council_issues = selectors.linkable_council_issues(certification.unit)
    posted = request.method == "POST"
    assess_form = AssessmentForm(
        request.POST if posted and "assess" in request.POST else None, initial=initial
    )
    evidence_form = EvidenceForm(
        request.POST if posted and "add_evidence" in request.POST else None,
        request.FILES or None,
        findings=findings,
        proposals=proposals,
        council_issues=council_issues,
    )
    if posted:
        if not context["may_take_part"]:
            raise PermissionDenied("assess")
        form = assess_form if "assess" in request.POST else evidence_form
        if form.is_valid():
            try:
                if form is assess_form:
                    services.assess(
                        user=request.user,
                        certification=certification,
                        criterion=criterion,
                        **form.cleaned_data,
                    )
                    messages.success(request, _("The assessment is saved."))
                else:
                    _add_evidence(request, certification, criterion, form.cleaned_data)
                    messages.success(request, _("The evidence is added."))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("certification:criterion", pk, criterion.pk)
    context.update(
        criterion=criterion,
        assessment=assessment,
        assess_form=assess_form,
        evidence_form=evidence_form,
        evidence=certification.evidence.filter(criterion=criterion)
        .select_related(
            "finding", "proposal", "finding__audit", "proposal__audit", "council_issue__body"
        )
        .defer("data"),
        next_criterion=_next(certification, criterion),
    )
    return render(request, "certification/criterion.html", context)


def _add_evidence(request, certification, criterion, data) -> None:
    upload = data.get("upload")
    if upload is not None and upload.size > services.uploads.MAX_UPLOAD:
        raise ValidationError({"upload": _("The file is too large: at most 10 MB.")})
    services.add_evidence(
        user=request.user,
        certification=certification,
        criterion=criterion,
        description=data.get("description", ""),
        data=upload.read() if upload is not None else None,
        filename=upload.name if upload is not None else "",
        url=data.get("url", ""),
        finding=data.get("finding"),
        proposal=data.get("proposal"),
        council_issue=data.get("council_issue"),
    )


def _next(certification, criterion):
    ordered = selectors.sorted_criteria(certification.checklist)
    index = next(i for i, c in enumerate(ordered) if c.pk == criterion.pk)
    return ordered[index + 1] if index + 1 < len(ordered) else None


@login_required
@never_cache
def evidence_file(request, pk, evidence_pk):
    certification = _get(request, pk)
    evidence = get_object_or_404(
        Evidence, pk=evidence_pk, certification=certification, kind=Evidence.Kind.FILE
    )
    response = HttpResponse(bytes(evidence.data), content_type=evidence.content_type)
    inline = evidence.content_type.startswith("image/")
    name = evidence.filename.replace('"', "")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return response


@login_required
@require_POST
def delete_evidence(request, pk, evidence_pk):
    certification = _get(request, pk, TAKE_PART)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, certification=certification)
    try:
        services.delete_evidence(user=request.user, evidence=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The evidence is removed."))
    return redirect("certification:criterion", pk, evidence.criterion_id)


@login_required
@require_http_methods(["GET", "POST"])
def check_ins(request, pk):
    certification = _get(request, pk)
    context = _rights(request, certification)
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        if not context["may_lead"]:
            raise PermissionDenied("check-in")
        if form.is_valid():
            try:
                services.record_check_in(
                    user=request.user, certification=certification, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The check-in is saved."))
                return redirect("certification:check_ins", pk)
    context.update(form=form, check_ins=certification.check_ins.all())
    return render(request, "certification/check_ins.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def actions(request, pk):
    certification = _get(request, pk)
    context = _rights(request, certification)
    form = ActionForm(request.POST or None, initial={"status": Action.Status.PLANNED})
    if request.method == "POST":
        if not context["may_lead"]:
            raise PermissionDenied("action plan")
        try:
            if "from_checklist" in request.POST:
                made = services.make_action_plan(user=request.user, certification=certification)
                messages.success(
                    request,
                    _("%(n)s actions added from the criteria not met.") % {"n": len(made)},
                )
                return redirect("certification:actions", pk)
            if form.is_valid():
                services.save_action(
                    user=request.user, certification=certification, **form.cleaned_data
                )
                messages.success(request, _("The action is added."))
                return redirect("certification:actions", pk)
        except ValidationError as error:
            apply_errors(form, error)
    context.update(
        form=form,
        actions=certification.actions.select_related("criterion"),
        unplanned=len(selectors.unplanned_criteria(certification)),
        today=timezone.localdate(),
    )
    return render(request, "certification/actions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action(request, pk, action_pk):
    certification = _get(request, pk, TAKE_PART)
    item = get_object_or_404(Action, pk=action_pk, certification=certification)
    initial = {f: getattr(item, f) for f in ActionForm.base_fields}
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_action(
                user=request.user, certification=certification, action=item, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("certification:actions", pk)
    context = _rights(request, certification)
    context.update(form=form, action=item)
    return render(request, "certification/action.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision(request, pk):
    certification = _get(request, pk)
    context = _rights(request, certification)
    form = DecisionForm(
        request.POST or None, initial={"follow_up_months": certification.follow_up_months}
    )
    if request.method == "POST":
        if not context["may_lead"]:
            raise PermissionDenied("decide")
        if form.is_valid():
            try:
                services.decide(
                    user=request.user,
                    certification=certification,
                    request=request,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The decision is saved."))
                return redirect(certification)
    context.update(form=form, missing=services.missing_for_decision(certification))
    return render(request, "certification/decision.html", context)


@login_required
@never_cache
def certificate_pdf(request, pk):
    certification = _get(request, pk)
    if certification.certified_on is None:
        raise Http404
    url = request.build_absolute_uri(certification.verification_path())
    return attachment(certificate.pdf(certification, url), certificate.filename(certification))


@login_required
@require_http_methods(["GET", "POST"])
def follow_ups(request, pk):
    certification = _get(request, pk)
    context = _rights(request, certification)
    pending = certification.follow_ups.filter(done_on__isnull=True).first()
    form = FollowUpForm(request.POST or None)
    if request.method == "POST":
        if not context["may_lead"] or pending is None:
            raise PermissionDenied("follow-up")
        if form.is_valid():
            try:
                services.record_follow_up(user=request.user, follow_up=pending, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The follow-up is saved."))
                return redirect("certification:follow_ups", pk)
    context.update(
        form=form,
        pending=pending,
        follow_ups=certification.follow_ups.all(),
        today=timezone.localdate(),
    )
    return render(request, "certification/follow_ups.html", context)


@login_required
@require_POST
def renew(request, pk):
    certification = _get(request, pk, LEAD)
    try:
        renewal = services.renew(user=request.user, certification=certification)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(certification)
    messages.success(request, _("A new round is started. The unit can now accept it."))
    return redirect(renewal)


# The checklist editor --------------------------------------------------------------------------


def _editor_organisation(request, org_pk) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=org_pk)
    if not permissions.may_start_certification(request.user, organisation):
        raise PermissionDenied("edit checklist")
    return organisation


@login_required
def checklists(request):
    performers = _performers(request.user)
    if not performers.exists():
        raise PermissionDenied("edit checklist")
    if performers.count() == 1:
        return redirect("certification:checklist_editor", performers.first().pk)
    return render(request, "certification/checklists.html", {"performers": performers})


@login_required
def checklist_editor(request, org_pk):
    organisation = _editor_organisation(request, org_pk)
    current = selectors.current_checklist(organisation)
    return render(
        request,
        "certification/checklist_editor.html",
        {
            "organisation": organisation,
            "current": current,
            "criteria": selectors.sorted_criteria(current),
            "versions": selectors.versions(organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, org_pk, criterion_pk=None):
    organisation = _editor_organisation(request, org_pk)
    current = selectors.current_checklist(organisation)
    item = (
        get_object_or_404(Criterion, pk=criterion_pk, checklist=current) if criterion_pk else None
    )
    initial = {f: getattr(item, f) for f in CriterionForm.base_fields} if item else None
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if "delete" in request.POST and item is not None:
                services.delete_criterion(
                    user=request.user, organisation=organisation, criterion=item
                )
                messages.success(request, _("The criterion is removed."))
                return redirect("certification:checklist_editor", org_pk)
            if form.is_valid():
                services.save_criterion(
                    user=request.user,
                    organisation=organisation,
                    criterion=item,
                    **form.cleaned_data,
                )
                messages.success(request, _("The checklist is saved."))
                return redirect("certification:checklist_editor", org_pk)
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "certification/criterion_form.html",
        {"organisation": organisation, "form": form, "criterion": item, "current": current},
    )


# Public: the verification page and the register ------------------------------------------------


def verify(request, code):
    certification = (
        Certification.objects.select_related("unit", "unit__client", "performer")
        .filter(code=code)
        .first()
    )
    if certification is None or certification.certified_on is None:
        raise Http404
    return render(
        request,
        "certification/verify.html",
        {"certification": certification, "standing": certification.standing()},
    )


def register(request):
    return render(
        request,
        "certification/register.html",
        {
            "certifications": selectors.register(),
            "lapsed": selectors.lapsed_register(),
            "today": timezone.localdate(),
        },
    )
