"""Pages of councils and forums: the list, a body with its members and representativity,
meetings with attendance and minutes, issues raised with their answer and history, the
lists of issues (filtered, exported), and the unit's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brukarrevision import permissions
from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event, refuse_unseen
from brukarrevision.audits.views import apply_errors, get_audit
from brukarrevision.lib.downloads import attachment
from brukarrevision.organisations.models import Membership, Organisation, Unit
from brukarrevision.permissions import Action

from . import selectors, services
from .forms import (
    AnswerForm,
    AttendanceForm,
    BodyForm,
    CloseForm,
    FilterForm,
    IssueEditForm,
    IssueForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    SendProposalForm,
    StaffForm,
)
from .models import Body, Issue, Meeting, Member, Staff

EXPORT_FORMATS = ("csv", "xlsx")


def _get_body(request, pk: int, manage: bool = False) -> Body:
    """The body if the user may read it (404 otherwise, so one tenant does not learn of
    another's councils), and 403 if they may read it but not run it."""
    body = get_object_or_404(Body.objects.select_related("organisation", "unit", "run_by"), pk=pk)
    if not permissions.may_read_body(request.user, body):
        refuse_unseen(request, f"council {pk}")
    if manage and not permissions.may_manage_body(request.user, body):
        raise PermissionDenied(f"manage council {pk}")
    return body


def _get_issue(request, pk: int) -> Issue:
    issue = get_object_or_404(
        Issue.objects.select_related(
            "body", "body__organisation", "unit", "owner", "meeting", "feedback_meeting"
        ),
        pk=pk,
    )
    if not permissions.may_read_issue(request.user, issue):
        refuse_unseen(request, f"council issue {pk}")
    return issue


def _manageable_organisations(user):
    if user.is_superuser:
        return Organisation.objects.all()
    memberships = Membership.objects.filter(user=user)
    return Organisation.objects.filter(
        Q(
            pk__in=memberships.filter(
                role__in=[Membership.Role.COORDINATOR, Membership.Role.CLIENT_CONTACT]
            ).values("organisation")
        )
        | Q(units__in=memberships.filter(role=Membership.Role.UNIT_CONTACT).values("unit"))
    ).distinct()


@login_required
def index(request):
    bodies = permissions.visible_bodies(request.user).order_by("organisation__name", "name")
    organisations = [
        o
        for o in _manageable_organisations(request.user)
        if permissions.may_list_organisation_issues(request.user, o)
    ]
    return render(
        request,
        "councils/index.html",
        {
            "bodies": bodies,
            "organisations": organisations,
            "may_create": _manageable_organisations(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def body_new(request):
    organisations = _manageable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied("create council")
    form = BodyForm(
        request.POST or None,
        organisations=organisations,
        units=Unit.objects.filter(client__in=organisations).select_related("client"),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            body = services.create_body(
                by=request.user,
                organisation=data["organisation"],
                unit=data["unit"],
                kind=data["kind"],
                name=data["name"],
                purpose=data["purpose"],
            )
        except PermissionDenied:
            form.add_error("unit", _("You may not start a council for this unit."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The council is created. Now add its members."))
            return redirect("councils:members", body.pk)
    return render(request, "councils/body_new.html", {"form": form})


@login_required
def body(request, pk):
    found = _get_body(request, pk)
    context = selectors.body_page(found)
    context.update({"body": found, "manages": permissions.may_manage_body(request.user, found)})
    return render(request, "councils/body.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def members(request, pk):
    found = _get_body(request, pk, manage=True)
    units = found.area_units().order_by("name")
    member_form = MemberForm(
        request.POST if "member" in request.POST else None, units=units, prefix="member"
    )
    staff_form = StaffForm(request.POST if "staff" in request.POST else None, prefix="staff")
    try:
        if "remove_member" in request.POST:
            services.remove_member(
                by=request.user,
                member=get_object_or_404(Member, pk=request.POST["remove_member"], body=found),
            )
            messages.success(request, _("The member is removed."))
            return redirect("councils:members", pk)
        if "remove_staff" in request.POST:
            services.remove_staff(
                by=request.user,
                staff=get_object_or_404(Staff, pk=request.POST["remove_staff"], body=found),
            )
            messages.success(request, _("The staff member is removed."))
            return redirect("councils:members", pk)
        if member_form.is_bound and member_form.is_valid():
            services.add_member(by=request.user, body=found, **member_form.cleaned_data)
            messages.success(request, _("The member is added."))
            return redirect("councils:members", pk)
        if staff_form.is_bound and staff_form.is_valid():
            services.add_staff(by=request.user, body=found, **staff_form.cleaned_data)
            messages.success(request, _("The staff member is added."))
            return redirect("councils:members", pk)
    except ValidationError as error:
        apply_errors(member_form if member_form.is_bound else staff_form, error)
    return render(
        request,
        "councils/members.html",
        {
            "body": found,
            "member_form": member_form,
            "staff_form": staff_form,
            "members": found.members.prefetch_related("units"),
            "staff": found.staff.all(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, pk):
    found = _get_body(request, pk, manage=True)
    form = MeetingForm(request.POST or None)
    if form.is_bound and form.is_valid():
        meeting = services.plan_meeting(by=request.user, body=found, **form.cleaned_data)
        messages.success(request, _("The meeting is added."))
        return redirect("councils:meeting", pk, meeting.pk)
    return render(request, "councils/meeting_new.html", {"body": found, "form": form})


def _issue_form(body, data=None, **kwargs):
    return IssueForm(
        data,
        units=body.area_units().order_by("name"),
        owners=selectors.possible_owners(body),
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request, pk, meeting_pk):
    found = _get_body(request, pk)
    meeting = get_object_or_404(Meeting, pk=meeting_pk, body=found)
    manages = permissions.may_manage_body(request.user, found)
    post = request.POST if manages else None
    minutes_form = MinutesForm(
        post if post and "minutes" in post else None,
        initial={
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "easy_summary": meeting.easy_summary,
        },
        prefix="minutes",
    )
    attendance_form = AttendanceForm(
        post if post and "attendance" in post else None,
        body=found,
        initial={
            "members": meeting.members_present.all(),
            "staff": meeting.staff_present.all(),
        },
        prefix="attendance",
    )
    issue_form = _issue_form(found, post if post and "issue" in post else None, prefix="issue")
    if request.method == "POST" and not manages:
        raise PermissionDenied(f"manage council {pk}")
    try:
        if "close" in request.POST:
            issue = get_object_or_404(Issue, pk=request.POST["close"], body=found)
            services.close_issue(by=request.user, issue=issue, meeting=meeting)
            messages.success(request, _("The issue is closed: its answer was reported back."))
            return redirect("councils:meeting", pk, meeting_pk)
        if minutes_form.is_bound and minutes_form.is_valid():
            services.write_minutes(by=request.user, meeting=meeting, **minutes_form.cleaned_data)
            messages.success(request, _("The minutes are saved."))
            return redirect("councils:meeting", pk, meeting_pk)
        if attendance_form.is_bound and attendance_form.is_valid():
            fees = services.record_attendance(
                by=request.user, meeting=meeting, **attendance_form.cleaned_data
            )
            messages.success(request, _("The attendance is saved."))
            if fees:
                messages.info(
                    request, _("Meeting fees were reported for %(n)s members.") % {"n": fees}
                )
            return redirect("councils:meeting", pk, meeting_pk)
        if issue_form.is_bound and issue_form.is_valid():
            services.raise_issue(
                by=request.user,
                body=found,
                meeting=meeting,
                source=Issue.Source.MEETING,
                **issue_form.cleaned_data,
            )
            messages.success(request, _("The issue is raised."))
            return redirect("councils:meeting", pk, meeting_pk)
    except ValidationError as error:
        bound = next((f for f in (minutes_form, attendance_form, issue_form) if f.is_bound), None)
        if bound is None:
            messages.error(request, " ".join(error.messages))
            return redirect("councils:meeting", pk, meeting_pk)
        apply_errors(bound, error)
    context = selectors.meeting_page(meeting)
    context.update(
        {
            "body": found,
            "meeting": meeting,
            "manages": manages,
            "minutes_form": minutes_form,
            "attendance_form": attendance_form,
            "issue_form": issue_form,
        }
    )
    return render(request, "councils/meeting.html", context)


def _issue_list(request, *, queryset, units, template, context, name):
    form = FilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = selectors.issues(queryset, filters)
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS and not form.errors:
        data, filename = selectors.export(found, fmt, name)
        record_event(
            SecurityEvent.Kind.PERSONAL_DATA_EXPORTED,
            request=request,
            user=request.user,
            detail=f"council issues exported ({fmt}): {name}, {len(found)} rows",
        )
        return attachment(data, filename)
    query = request.GET.copy()
    query.pop("export", None)
    context.update({"form": form, "issues": found, "query": query.urlencode()})
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def body_issues(request, pk):
    found = _get_body(request, pk)
    manages = permissions.may_manage_body(request.user, found)
    form = _issue_form(found, request.POST if request.method == "POST" else None)
    if form.is_bound:
        if not permissions.may_raise_issue(request.user, found, None) and not manages:
            raise PermissionDenied(f"raise issue {pk}")
        if form.is_valid():
            try:
                issue = services.raise_issue(
                    by=request.user, body=found, source=Issue.Source.MEETING, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The issue is raised."))
                return redirect("councils:issue", issue.pk)
    return _issue_list(
        request,
        queryset=Issue.objects.filter(body=found),
        units=found.area_units().order_by("name"),
        template="councils/body_issues.html",
        context={"body": found, "manages": manages, "issue_form": form},
        name=f"issues-{slugify(found.name)}",
    )


@login_required
def organisation_issues(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.may_list_organisation_issues(request.user, organisation):
        raise PermissionDenied(f"council issues of organisation {pk}")
    return _issue_list(
        request,
        queryset=selectors.organisation_issues(organisation),
        units=Unit.objects.filter(client=organisation),
        template="councils/organisation_issues.html",
        context={"organisation": organisation},
        name=f"issues-{slugify(organisation.name)}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue(request, pk):
    found = _get_issue(request, pk)
    body = found.body
    manages = permissions.may_manage_body(request.user, body)
    answers = permissions.may_answer_issue(request.user, found)
    post = request.POST if request.method == "POST" else None
    answer_form = AnswerForm(
        post if post and "answer" in post else None,
        initial={"answer": found.answer},
        prefix="answer",
    )
    close_form = CloseForm(
        post if post and "close" in post else None,
        meetings=body.meetings.all(),
        prefix="close",
    )
    edit_form = IssueEditForm(
        post if post and "edit" in post else None,
        units=body.area_units().order_by("name"),
        owners=selectors.possible_owners(body),
        initial={
            "owner": found.owner,
            "due_on": found.due_on,
            "recipient": found.recipient,
            "quality_area": found.quality_area,
            "level": found.level,
            "unit": found.unit,
        },
        prefix="edit",
    )
    if post is not None:
        try:
            if "start" in post:
                services.start_work(by=request.user, issue=found, note=post.get("note", ""))
                messages.success(request, _("The issue is in progress."))
                return redirect("councils:issue", pk)
            if answer_form.is_bound and answer_form.is_valid():
                services.answer_issue(by=request.user, issue=found, **answer_form.cleaned_data)
                messages.success(
                    request,
                    _("The answer is saved. Report it back at the council's next meeting."),
                )
                return redirect("councils:issue", pk)
            if close_form.is_bound and close_form.is_valid():
                services.close_issue(by=request.user, issue=found, **close_form.cleaned_data)
                messages.success(request, _("The issue is closed."))
                return redirect("councils:issue", pk)
            if edit_form.is_bound and edit_form.is_valid():
                services.update_issue(by=request.user, issue=found, **edit_form.cleaned_data)
                messages.success(request, _("The issue is saved."))
                return redirect("councils:issue", pk)
        except ValidationError as error:
            bound = next((f for f in (answer_form, close_form, edit_form) if f.is_bound), None)
            if bound is None:
                messages.error(request, " ".join(error.messages))
                return redirect("councils:issue", pk)
            apply_errors(bound, error)
    return render(
        request,
        "councils/issue.html",
        {
            "issue": found,
            "body": body,
            "manages": manages,
            "answers": answers,
            "answer_form": answer_form,
            "close_form": close_form,
            "edit_form": edit_form,
            "changes": found.changes.select_related("by"),
            "may_read_body": permissions.may_read_body(request.user, body),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def send_proposal(request, slug, pk):
    """An audit's action proposal sent to a council of the client or the unit as an issue."""
    audit = get_audit(request, slug, Action.VIEW_PROPOSALS)
    if not permissions.may_send_proposal_to_council(request.user, audit):
        raise PermissionDenied(f"send proposal to council {slug}")
    proposal = get_object_or_404(audit.proposals, pk=pk)
    bodies = selectors.bodies_for_audit(audit).select_related("unit")
    form = SendProposalForm(request.POST or None, bodies=bodies)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            issue = services.raise_issue(
                by=request.user,
                body=data["body"],
                title=proposal.title,
                text=proposal.text,
                quality_area=proposal.quality_area,
                level=data["level"],
                unit=data["body"].unit
                or (audit.units.first() if audit.units.count() == 1 else None),
                source=Issue.Source.PROPOSAL,
                proposal=proposal,
                due_on=data["due_on"],
                recipient=proposal.recipient,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The proposal is sent to %(body)s as an issue.") % {"body": issue.body.name},
            )
            return redirect("followup:proposal", slug, pk)
    return render(
        request,
        "councils/send_proposal.html",
        {
            "audit": audit,
            "proposal": proposal,
            "form": form,
            "bodies": bodies,
            "sent": proposal.council_issues.select_related("body"),
        },
    )


@login_required
def unit(request, pk):
    found = get_object_or_404(Unit.objects.select_related("client"), pk=pk)
    if not permissions.may_view_unit(request.user, found):
        raise PermissionDenied(f"unit {pk}")
    return render(request, "councils/unit.html", selectors.unit_page(request.user, found))
