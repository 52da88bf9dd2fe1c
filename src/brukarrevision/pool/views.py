"""The pool, courses and the way-in queue (coordinators of the organisation and
administrators), and the public way-in form and answer links. Views parse and render;
services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from brukarrevision.audits.models import TrainingTopic
from brukarrevision.audits.views import apply_errors
from brukarrevision.lib.downloads import attachment
from brukarrevision.organisations.models import Membership, Organisation
from brukarrevision.permissions import may_manage_pool, pool_organisations

from . import certificate, consent, selectors, services
from .forms import (
    AssignForm,
    AttendanceForm,
    ConfirmForm,
    CourseForm,
    MemberForm,
    OfferForm,
    ParticipantForm,
    PoolFilterForm,
    RequestUpdateForm,
    SessionForm,
    WayInForm,
)
from .models import Assignment, Course, Participant, PoolMember, WayInRequest


def _check(request, organisation: Organisation) -> Organisation:
    """The pool's personal details are for the organisation's coordinators and the
    administrators; anyone else signed in gets 403, logged."""
    if not may_manage_pool(request.user, organisation):
        raise PermissionDenied(f"pool of organisation {organisation.pk}")
    return organisation


def _organisation(request, organisation_id: int) -> Organisation:
    return _check(request, get_object_or_404(Organisation, pk=organisation_id))


def _member(request, pk: int) -> PoolMember:
    member = get_object_or_404(PoolMember.objects.select_related("organisation", "user"), pk=pk)
    _check(request, member.organisation)
    return member


# The pool --------------------------------------------------------------------------------


@login_required
@never_cache
def index(request):
    organisations = list(pool_organisations(request.user))
    if not organisations:
        raise PermissionDenied("pool index")
    if len(organisations) == 1:
        return redirect("pool:list", organisations[0].pk)
    return render(request, "pool/index.html", {"organisations": organisations})


@login_required
@never_cache
def pool_list(request, organisation_id):
    organisation = _organisation(request, organisation_id)
    filters = PoolFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    members = selectors.pool(
        organisation,
        experience=chosen.get("experience", ""),
        language=chosen.get("language", ""),
        available=chosen.get("available", False),
        may_audit=chosen.get("may_audit"),
    )
    return render(
        request,
        "pool/list.html",
        {
            "organisation": organisation,
            "filters": filters,
            "filtered": bool(request.GET),
            "members": members,
            "erased": selectors.erased_count(organisation),
            "section": "pool",
        },
    )


def _member_form_page(request, organisation, member):
    form = MemberForm(request.POST or None, organisation=organisation, member=member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        not_to_audit = list(data.pop("not_to_audit"))
        account = data.pop("user")
        agreed = data.pop("consent")
        try:
            member = services.save_member(
                user=request.user,
                organisation=organisation,
                member=member,
                fields=data,
                not_to_audit=not_to_audit,
                account=account,
                consent=agreed,
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("pool:member", member.pk)
    return render(
        request,
        "pool/member_form.html",
        {
            "organisation": organisation,
            "member": member,
            "form": form,
            "consent_text": consent.text(),
            "consent_version": consent.CURRENT_VERSION,
            "section": "pool",
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_new(request, organisation_id):
    organisation = _organisation(request, organisation_id)
    return _member_form_page(request, organisation, None)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = _member(request, pk)
    if member.is_erased:
        messages.error(request, _("This person's details are erased."))
        return redirect("pool:member", pk)
    return _member_form_page(request, member.organisation, member)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_detail(request, pk):
    member = _member(request, pk)
    audits = selectors.assignable_audits(request.user, member.organisation)
    assign = AssignForm(
        request.POST if request.POST.get("section") == "assign" else None,
        audits=audits,
        initial={"perspective": services.perspective_for(member)},
    )
    if assign.is_bound and assign.is_valid():
        data = assign.cleaned_data
        try:
            services.assign_to_audit(user=request.user, member=member, **data)
        except ValidationError as error:
            apply_errors(assign, error)
        else:
            messages.success(
                request,
                _("%(name)s is now in the team of %(audit)s.")
                % {"name": member.full_name, "audit": data["audit"].title},
            )
            return redirect("pool:member", pk)
    has_auditor_role = (
        member.user_id
        and Membership.objects.filter(
            user=member.user, organisation=member.organisation, role=Membership.Role.AUDITOR
        ).exists()
    )
    return render(
        request,
        "pool/member.html",
        {
            "organisation": member.organisation,
            "member": member,
            "history": selectors.history(member),
            "assign": assign,
            "audits": audits,
            "has_auditor_role": has_auditor_role,
            "missing_training": [
                TrainingTopic(topic).label for topic in services.missing_training(member.user)
            ]
            if member.user_id
            else [],
            "consent_text": consent.text(member.consent_text_version),
            "consent_current": member.consent_text_version == consent.CURRENT_VERSION,
            "section": "pool",
        },
    )


def _member_action(request, pk, act, said):
    """Run a service on a pool member, say how it went, and go back to the member's page."""
    member = _member(request, pk)
    try:
        act(user=request.user, member=member, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, said(member))
    return redirect("pool:member", pk)


@login_required
@require_POST
def member_consent(request, pk):
    return _member_action(
        request, pk, services.record_consent, lambda member: _("The consent is recorded.")
    )


@login_required
@require_POST
def member_account(request, pk):
    return _member_action(
        request,
        pk,
        services.create_account,
        lambda member: (
            _("The account is made. %(name)s gets an e-mail to choose a password.")
            % {"name": member.full_name}
        ),
    )


@login_required
@require_POST
def member_auditor_role(request, pk):
    return _member_action(
        request,
        pk,
        services.grant_auditor_role,
        lambda member: _("%(name)s is now an auditor.") % {"name": member.full_name},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_erase(request, pk):
    member = _member(request, pk)
    form = ConfirmForm(
        request.POST or None, label=_("The person has asked to be removed from the pool.")
    )
    if request.method == "POST" and form.is_valid():
        services.erase_member(user=request.user, member=member, request=request)
        messages.success(request, _("The person's details are erased from the pool."))
        return redirect("pool:list", member.organisation_id)
    return render(
        request,
        "pool/erase.html",
        {"organisation": member.organisation, "member": member, "form": form, "section": "pool"},
    )


# Courses ---------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def course_list(request, organisation_id):
    organisation = _organisation(request, organisation_id)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.save_course(
                user=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The course is made. Add its sessions and participants."))
            return redirect("pool:course", course.pk)
    return render(
        request,
        "pool/courses.html",
        {
            "organisation": organisation,
            "courses": selectors.courses(organisation),
            "form": form,
            "section": "courses",
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def course_detail(request, pk):
    course = get_object_or_404(Course.objects.select_related("organisation"), pk=pk)
    _check(request, course.organisation)
    section = request.POST.get("section") if request.method == "POST" else None
    page = selectors.course_page(course)
    session_form = SessionForm(request.POST if section == "session" else None, course=course)
    participant_form = ParticipantForm(
        request.POST if section == "participant" else None, course=course
    )
    attendance = [
        AttendanceForm(
            request.POST if section == f"attendance-{entry['session'].pk}" else None,
            session=entry["session"],
            participants=page["participants"],
            present=entry["present"],
        )
        for entry in page["sessions"]
    ]
    user = request.user
    try:
        if section == "session" and session_form.is_valid():
            services.add_session(user=user, course=course, **session_form.cleaned_data)
            messages.success(request, _("The session is added."))
            return redirect("pool:course", pk)
        if section == "participant" and participant_form.is_valid():
            services.add_participant(user=user, course=course, **participant_form.cleaned_data)
            messages.success(request, _("The participant is added."))
            return redirect("pool:course", pk)
        for form in attendance:
            if form.is_bound and form.is_valid():
                completed = services.record_attendance(
                    user=user,
                    session=form.session,
                    present=list(form.cleaned_data["present"]),
                    request=request,
                )
                messages.success(request, _("Attendance is saved."))
                for participant in completed:
                    messages.success(
                        request,
                        _("%(name)s has completed the course.")
                        % {"name": participant.member.full_name},
                    )
                return redirect("pool:course", pk)
        if section == "complete":
            participant = get_object_or_404(
                Participant, pk=request.POST.get("participant"), course=course
            )
            services.mark_complete(user=user, participant=participant, request=request)
            messages.success(
                request,
                _("%(name)s has completed the course.") % {"name": participant.member.full_name},
            )
            return redirect("pool:course", pk)
    except ValidationError as error:
        bound = next((f for f in [session_form, participant_form, *attendance] if f.is_bound), None)
        if bound is None:
            messages.error(request, " ".join(error.messages))
            return redirect("pool:course", pk)
        apply_errors(bound, error)
    return render(
        request,
        "pool/course.html",
        {
            "organisation": course.organisation,
            "course": course,
            **page,
            "attendance": attendance,
            "session_form": session_form,
            "participant_form": participant_form,
            "section": "courses",
        },
    )


@login_required
@never_cache
def certificate_pdf(request, pk):
    participant = get_object_or_404(
        Participant.objects.select_related("course__organisation", "member"), pk=pk
    )
    _check(request, participant.course.organisation)
    if participant.completed_on is None:
        raise PermissionDenied("certificate of a course not completed")
    return attachment(certificate.pdf(participant), certificate.filename(participant))


@login_required
@never_cache
def totals(request, organisation_id):
    organisation = _organisation(request, organisation_id)
    return render(
        request,
        "pool/totals.html",
        {
            "organisation": organisation,
            "years": selectors.yearly_totals(organisation),
            "section": "totals",
        },
    )


# One way in: the coordinator's queue -------------------------------------------------------


@login_required
@never_cache
def queue(request, organisation_id):
    organisation = _organisation(request, organisation_id)
    return render(
        request,
        "pool/queue.html",
        {
            "organisation": organisation,
            "requests": selectors.queue(organisation),
            "public_url": request.build_absolute_uri(
                reverse("pool:way_in", args=[organisation.pk])
            ),
            "section": "queue",
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    found = get_object_or_404(WayInRequest.objects.select_related("organisation", "unit"), pk=pk)
    _check(request, found.organisation)
    section = request.POST.get("section") if request.method == "POST" else None
    update = RequestUpdateForm(
        request.POST if section == "update" else None,
        initial={"status": found.status, "unit": found.unit},
    )
    suggestions = selectors.suggestions(found)
    offer = OfferForm(request.POST if section == "offer" else None, suggestions=suggestions)
    if section == "update" and update.is_valid():
        services.update_request(user=request.user, found=found, **update.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("pool:request", pk)
    if section == "offer" and offer.is_valid():
        try:
            made = services.offer_request(
                user=request.user,
                found=found,
                members=list(offer.cleaned_data["members"]),
                request=request,
            )
        except ValidationError as error:
            apply_errors(offer, error)
        else:
            messages.success(
                request,
                _("The task is offered to %(names)s. They get an e-mail with a link to answer.")
                % {"names": ", ".join(a.member.full_name for a in made)},
            )
            return redirect("pool:request", pk)
    return render(
        request,
        "pool/request.html",
        {
            "organisation": found.organisation,
            "found": found,
            "assignments": found.assignments.select_related("member"),
            "update": update,
            "offer": offer,
            "suggestions": suggestions,
            "section": "queue",
        },
    )


# One way in: public ------------------------------------------------------------------------


def way_in_index(request):
    organisations = Organisation.objects.filter(kind=Organisation.Kind.PERFORMER)
    return render(request, "pool/way_in_index.html", {"organisations": organisations})


@never_cache
@require_http_methods(["GET", "POST"])
def way_in(request, organisation_id):
    organisation = get_object_or_404(
        Organisation, pk=organisation_id, kind=Organisation.Kind.PERFORMER
    )
    form = WayInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        try:
            found = services.submit_request(organisation=organisation, data=data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session["way_in_received"] = found.pk
            return redirect("pool:way_in_received", organisation.pk)
    return render(request, "pool/way_in_form.html", {"organisation": organisation, "form": form})


@never_cache
def way_in_received(request, organisation_id):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    found = WayInRequest.objects.filter(
        pk=request.session.get("way_in_received"), organisation=organisation
    ).first()
    if found is None:
        return redirect("pool:way_in", organisation.pk)
    return render(
        request, "pool/way_in_received.html", {"organisation": organisation, "found": found}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The member's accept-or-decline link: GET shows the task and two buttons, only the
    POST changes anything."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("request", "request__organisation", "member"),
        token=token,
    )
    error = ""
    if request.method == "POST":
        choice = request.POST.get("answer")
        if choice not in ("accept", "decline"):
            error = _("Choose yes or no.")
        else:
            try:
                assignment = services.answer_assignment(token=token, accept=choice == "accept")
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                return redirect("pool:answer", token)
    # The site's referrer policy (same-origin) keeps the token in this address from
    # other sites.
    return render(
        request,
        "pool/answer.html",
        {"assignment": assignment, "found": assignment.request, "error": error},
    )
