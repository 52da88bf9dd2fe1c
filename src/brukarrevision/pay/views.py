"""Pages for fees and travel: the person's own reports and claims, the coordinator's approval
queue, fee schedule and payroll basis, and each audit's cost and invoice basis."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brukarrevision.audits.models import Audit
from brukarrevision.audits.views import apply_errors, get_audit
from brukarrevision.lib.downloads import attachment
from brukarrevision.organisations.models import Organisation
from brukarrevision.permissions import (
    may_manage_pay,
    may_see_audit_costs,
    may_see_pay_record,
)

from . import payroll, selectors, services
from .forms import (
    BudgetForm,
    FeeRateForm,
    MonthForm,
    ReturnForm,
    SettingsForm,
    TimeReportForm,
    TravelClaimForm,
)
from .models import FeeKind, TimeReport, TravelClaim

KINDS = {"time": TimeReport, "travel": TravelClaim}


def _organisation(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.PERFORMER)
    if not may_manage_pay(request.user, organisation):
        raise PermissionDenied(f"pay of organisation {pk}")
    return organisation


def _record(request, kind: str, pk: int):
    model = KINDS.get(kind)
    if model is None:
        raise PermissionDenied
    queryset = model.objects.select_related("member", "member__organisation", "audit")
    if model is TravelClaim:
        queryset = queryset.defer("receipt")
    record = get_object_or_404(queryset, pk=pk)
    if not may_see_pay_record(request.user, record):
        raise PermissionDenied(f"pay {kind} {pk}")
    return record


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


# The person's own page ----------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def mine(request):
    year = _year(request)
    members = list(selectors.members_of(request.user))
    people = []
    for member in members:
        sums = selectors.year_sums(member.organisation, year, members=[member])[0]
        people.append(
            {
                "member": member,
                "sums": sums,
                "reports": selectors.time_reports(member=member).order_by("-date", "-pk")[:100],
                "claims": selectors.travel_claims(member=member).order_by("-date", "-pk")[:100],
            }
        )
    return render(request, "pay/mine.html", {"people": people, "year": year})


def _own(request, kind: str, pk: int):
    """A report or claim the person changes: their own only."""
    record = _record(request, kind, pk)
    if record.member.user_id != request.user.pk:
        raise PermissionDenied(f"change pay {kind} {pk}")
    return record


def _members_or_refuse(request):
    members = list(selectors.members_of(request.user))
    if not members:
        raise PermissionDenied("not in a pool")
    return members


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def time_report(request, pk=None):
    members = _members_or_refuse(request)
    report = _own(request, "time", pk) if pk else None
    initial = {}
    if report is not None:
        initial = {
            name: getattr(report, name)
            for name in ["date", "audit", "assignment", "activity", "fee_kind", "note"]
        }
        initial.update(member=report.member.pk, quantity=report.quantity)
    else:
        initial = {"date": timezone.localdate(), "fee_kind": FeeKind.HOUR}
    form = TimeReportForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid() and not (report and report.is_locked):
        data = form.cleaned_data
        fields = {k: data.get(k) for k in ["date", "fee_kind", "quantity", "activity", "note"]}
        fields.update(audit=data.get("audit"), assignment=data.get("assignment"))
        try:
            if report is None:
                services.add_time_report(by=request.user, member=data["member"], **fields)
            else:
                services.change_time_report(by=request.user, report=report, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Sent for approval."))
            return redirect("pay:mine")
    fees = selectors.current_fees(members[0].organisation, timezone.localdate())
    return render(request, "pay/time_form.html", {"form": form, "report": report, "fees": fees})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def travel_claim(request, pk=None):
    members = _members_or_refuse(request)
    claim = _own(request, "travel", pk) if pk else None
    if claim is not None:
        initial = {
            name: getattr(claim, name)
            for name in ["date", "audit", "assignment", "route_from", "route_to", "note"]
        }
        initial.update(
            member=claim.member.pk,
            kilometres=claim.kilometres or None,
            ticket_amount=claim.ticket_amount or None,
        )
    else:
        initial = {"date": timezone.localdate()}
    form = TravelClaimForm(
        request.POST or None, request.FILES or None, members=members, initial=initial
    )
    if request.method == "POST" and form.is_valid() and not (claim and claim.is_locked):
        data = form.cleaned_data
        fields = {
            k: data.get(k)
            for k in ["date", "route_from", "route_to", "kilometres", "ticket_amount", "note"]
        }
        fields.update(audit=data.get("audit"), assignment=data.get("assignment"))
        fields["kilometres"] = fields["kilometres"] or 0
        fields["ticket_amount"] = fields["ticket_amount"] or 0
        try:
            if claim is None:
                services.add_travel_claim(
                    by=request.user, member=data["member"], receipt=data.get("receipt"), **fields
                )
            else:
                services.change_travel_claim(
                    by=request.user, claim=claim, receipt=data.get("receipt"), **fields
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Sent for approval."))
            return redirect("pay:mine")
    rate = selectors.pay_settings(members[0].organisation).mileage_rate
    return render(
        request, "pay/travel_form.html", {"form": form, "claim": claim, "mileage_rate": rate}
    )


@login_required
@require_POST
def withdraw(request, kind, pk):
    record = _record(request, kind, pk)
    try:
        services.withdraw(by=request.user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect("pay:mine")


@never_cache
@login_required
@require_GET
def receipt(request, pk):
    claim = _record(request, "travel", pk)
    claim = TravelClaim.objects.get(pk=claim.pk)
    if not claim.has_receipt:
        raise PermissionDenied("no receipt")
    response = HttpResponse(bytes(claim.receipt), content_type=claim.receipt_type)
    ending = claim.receipt_type.split("/")[-1]
    disposition = "inline" if claim.receipt_type.startswith("image/") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="kvitto-{claim.pk}.{ending}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The coordinator ----------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def organisation(request, pk):
    organisation = _organisation(request, pk)
    year = _year(request)
    form = MonthForm(request.GET if "month" in request.GET else None)
    if form.is_bound and form.is_valid():
        fmt = "xlsx" if request.GET.get("format") == "xlsx" else "paxml"
        data, filename = services.export_payroll(
            by=request.user,
            organisation=organisation,
            month=form.cleaned_data["month"],
            fmt=fmt,
            request=request,
        )
        if fmt == "paxml":
            response = HttpResponse(data, content_type="application/xml; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        else:
            response = attachment(data, filename)
        response["Cache-Control"] = "no-store"
        return response
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    month = form.data.get("month") if form.is_bound else last_month.strftime("%Y-%m")
    preview = None
    if not form.is_bound or form.is_valid():
        preview = payroll.basis(organisation, month)
    if not form.is_bound:
        form = MonthForm(initial={"month": month})
    queue = selectors.queue(organisation)
    return render(
        request,
        "pay/organisation.html",
        {
            "organisation": organisation,
            "year": year,
            "sums": sorted(
                selectors.year_sums(organisation, year),
                key=lambda s: (-s.fees, s.member.full_name),
            ),
            "waiting": len(queue.reports) + len(queue.claims),
            "form": form,
            "preview": preview,
            "settings": selectors.pay_settings(organisation),
            "audits": Audit.objects.filter(performer=organisation).order_by("title"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def approval_queue(request, pk):
    organisation = _organisation(request, pk)
    failed = None
    if request.method == "POST":
        pk_text = request.POST.get("pk", "")
        if not pk_text.isdigit():
            raise PermissionDenied("no such record")
        record = _record(request, request.POST.get("kind", ""), int(pk_text))
        if record.member.organisation_id != organisation.pk:
            raise PermissionDenied
        if request.POST.get("decision") == "approve":
            try:
                passed = services.approve(by=request.user, record=record, request=request)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Approved: %(what)s.") % {"what": _describe(record)})
                if passed:
                    messages.warning(request, _limit_warning(record))
            return redirect(request.path)
        form = ReturnForm(request.POST, prefix=f"{request.POST.get('kind')}-{record.pk}")
        if form.is_valid():
            try:
                services.return_to_person(
                    by=request.user, record=record, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Returned: %(what)s.") % {"what": _describe(record)})
                return redirect(request.path)
        failed = form
    queue = selectors.queue(organisation)
    for kind, records in (("time", queue.reports), ("travel", queue.claims)):
        for record in records:
            prefix = f"{kind}-{record.pk}"
            record.return_form = (
                failed
                if failed is not None and failed.prefix == prefix
                else ReturnForm(prefix=prefix)
            )
    return render(
        request,
        "pay/queue.html",
        {"organisation": organisation, "queue": queue, "failed": failed},
    )


def _describe(record) -> str:
    return f"{record.member.full_name}, {record.date:%Y-%m-%d}"


def _limit_warning(record) -> str:
    limit = selectors.pay_settings(record.member.organisation).yearly_limit
    return _(
        "%(name)s's approved fees in %(year)s are now above %(limit)s SEK. Talk with them: "
        "fees can affect benefits that have an income limit."
    ) % {"name": record.member.full_name, "year": record.date.year, "limit": limit}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def schedule(request, pk):
    organisation = _organisation(request, pk)
    section = request.POST.get("section") if request.method == "POST" else None
    fee_form = FeeRateForm(
        request.POST if section == "fee" else None,
        initial={"valid_from": timezone.localdate(), "kind": FeeKind.HOUR},
    )
    settings_row = selectors.pay_settings(organisation)
    settings_form = SettingsForm(
        request.POST if section == "settings" else None, instance=settings_row
    )
    if section == "fee" and fee_form.is_valid():
        try:
            services.set_fee(by=request.user, organisation=organisation, **fee_form.cleaned_data)
        except ValidationError as error:
            apply_errors(fee_form, error)
        else:
            messages.success(request, _("The fee is saved."))
            return redirect(request.path)
    if section == "settings" and settings_form.is_valid():
        fields = {name: settings_form.cleaned_data[name] for name in settings_form.fields}
        try:
            services.save_settings(by=request.user, organisation=organisation, **fields)
        except ValidationError as error:
            apply_errors(settings_form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(request.path)
    return render(
        request,
        "pay/schedule.html",
        {
            "organisation": organisation,
            "fee_form": fee_form,
            "settings_form": settings_form,
            "rates": organisation.fee_rates.order_by("kind", "-valid_from"),
            "current": selectors.current_fees(organisation, timezone.localdate()),
            "default_limit": settings_row.yearly_limit,
        },
    )


# The audit's cost ---------------------------------------------------------------------------


def _audit_for_costs(request, slug) -> Audit:
    audit = get_audit(request, slug)
    if not may_see_audit_costs(request.user, audit):
        raise PermissionDenied(f"costs of {slug}")
    return audit


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def audit_costs(request, slug):
    audit = _audit_for_costs(request, slug)
    cost = selectors.audit_cost(audit)
    form = BudgetForm(request.POST or None, initial={"amount": cost.budget})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_budget(by=request.user, audit=audit, amount=form.cleaned_data["amount"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The budget is saved."))
            return redirect(request.path)
    return render(request, "pay/audit_costs.html", {"audit": audit, "cost": cost, "form": form})


@never_cache
@login_required
@require_GET
def invoice(request, slug):
    audit = _audit_for_costs(request, slug)
    cost = selectors.audit_cost(audit)
    if request.GET.get("format") == "xlsx":
        response = attachment(
            payroll.invoice_xlsx(audit, cost), f"fakturaunderlag-{audit.slug}.xlsx"
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "pay/invoice.html",
        {"audit": audit, "cost": cost, "xlsx_url": reverse("pay:invoice", args=[audit.slug])},
    )
