"""Analysis pages: results, exports, the codebook, coding, agreement and findings. Views
parse and render; services write; `permissions.can` decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.views import apply_errors, get_audit
from brukarrevision.instruments import selectors as instrument_selectors
from brukarrevision.lib.downloads import attachment
from brukarrevision.permissions import Action, can

from . import codebook, exports, filters, presenting, results, selectors, services
from .filters import CodingFilterForm
from .forms import CodebookImportForm, CodeForm, CodingForm, CompareForm, FindingForm, ResultsForm
from .models import Code, Coding, Finding
from .refi_qda import project
from .refi_qda.forms import ProjectImportForm


def _instrument(request, audit):
    found = instrument_selectors.questionnaires(audit)
    chosen = request.GET.get("instrument", "")
    instrument = found.filter(pk=chosen).first() if chosen.isdigit() else found.first()
    if instrument is None and chosen:
        raise Http404
    return found, instrument


def _nav(request, audit) -> dict:
    return {
        "audit": audit,
        "may_work": can(request.user, Action.VIEW_RAW_ANSWERS, audit),
        "may_code": can(request.user, Action.CODE_ANSWERS, audit),
    }


# Results ------------------------------------------------------------------------------------------


@login_required
def results_page(request, slug):
    """The team's working view of live answers. Everyone else, and the team when it asks to
    see what others see, gets the released results (releases:results)."""
    audit = get_audit(request, slug, Action.VIEW_RESULTS)
    context = _nav(request, audit)
    if not context["may_work"] or request.GET.get("view") == "client":
        target = reverse("releases:results", args=[slug])
        return redirect(f"{target}?{request.GET.urlencode()}" if request.GET else target)
    instruments, instrument = _instrument(request, audit)
    if instrument is None:
        return render(request, "analysis/results.html", {**context, "instrument": None})
    breakdowns = results.breakdowns(instrument)
    form = ResultsForm(request.GET or None, instruments=instruments, breakdowns=breakdowns)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    by, order = data.get("by") or "", data.get("order") or "section"
    found = results.item_results(instrument, by=by)
    respondents, respondents_total = results.respondents_table(instrument, by or "unit")
    if not form.is_bound:
        form = ResultsForm(
            initial={"instrument": instrument.pk}, instruments=instruments, breakdowns=breakdowns
        )
    return render(
        request,
        "analysis/results.html",
        {
            **context,
            "form": form,
            "instrument": instrument,
            "blocks": presenting.blocks(found, order),
            "by": by,
            "respondents": respondents,
            "respondents_total": respondents_total,
            "positive_definition": results.POSITIVE_DEFINITION,
            "multiple_note": results.MULTIPLE_NOTE,
            "withheld": presenting.withheld_text(),
        },
    )


@login_required
def export_responses(request, slug, fmt):
    audit = get_audit(request, slug, Action.VIEW_RAW_ANSWERS)
    _instruments, instrument = _instrument(request, audit)
    if instrument is None or fmt not in exports.RESPONSE_FORMATS:
        raise Http404
    labels = request.GET.get("values") != "codes"
    data = exports.export_responses(
        user=request.user, instrument=instrument, fmt=fmt, labels=labels, request=request
    )
    return attachment(data, f"{audit.slug}-svar.{fmt}")


# The codebook -------------------------------------------------------------------------------------


@login_required
def codebook_page(request, slug):
    audit = get_audit(request, slug, Action.CODE_ANSWERS)
    form = CodeForm(request.POST if "add" in request.POST else None)
    upload = _posted(request, CodebookImportForm, "import")
    project_upload = _posted(request, ProjectImportForm, "import_project", prefix="project")
    if form.is_bound and form.is_valid():
        try:
            services.save_code(user=request.user, audit=audit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The code is added."))
            return redirect("analysis:codebook", slug)
    for bound, handle in [(upload, _import_codebook), (project_upload, _import_project)]:
        done = bound.is_bound and bound.is_valid() and handle(request, audit, bound)
        if done:
            return done
    codes = Code.objects.filter(audit=audit).select_related("theme")
    context = {"codes": codes, "form": form, "upload": upload, "project_upload": project_upload}
    return render(request, "analysis/codebook.html", {**_nav(request, audit), **context})


def _posted(request, form_class, button: str, **kwargs):
    """The form bound to what was posted when its own button was pressed, else unbound."""
    if button in request.POST:
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(**kwargs)


def _import_codebook(request, audit, upload):
    handle = upload.cleaned_data["file"]
    try:
        done = codebook.import_file(
            user=request.user, audit=audit, data=handle.read(), filename=handle.name
        )
    except codebook.CodebookRefused as refused:
        for problem in refused.problems:
            upload.add_error("file", problem)
        return None
    messages.success(
        request,
        _("Codes added: %(added)s; updated: %(updated)s.")
        % {"added": done.added, "updated": done.updated},
    )
    _sets_left_out(request, done.sets_ignored)
    return redirect("analysis:codebook", audit.slug)


def _import_project(request, audit, upload):
    handle = upload.cleaned_data["file"]
    try:
        if handle.size > project.MAX_BYTES:
            raise project.Refused([project.too_large()])
        done = project.import_qdpx(user=request.user, audit=audit, data=handle.read())
    except project.Refused as refused:
        for problem in refused.problems:
            upload.add_error("file", problem)
        return None
    messages.success(
        request,
        _("Codes added: %(added)s; updated: %(updated)s. Coded passages imported: %(n)s.")
        % {"added": done.codes_added, "updated": done.codes_updated, "n": done.segments},
    )
    left_out = {
        _("Coded passages left out because their text is not among this audit's answers: "
          "%(n)s."): done.skipped_not_in_audit,
        _("Coded passages left out because their code or place in the text could not be "
          "read: %(n)s."): done.skipped_unreadable,
    }  # fmt: skip
    for text, count in left_out.items():
        if count:
            messages.warning(request, text % {"n": count})
    _sets_left_out(request, done.sets_ignored)
    return redirect("analysis:codebook", audit.slug)


def _sets_left_out(request, names: list[str]) -> None:
    if names:
        messages.warning(
            request,
            _("Sets that are not quality areas were left out: %(names)s.")
            % {"names": ", ".join(names)},
        )


@login_required
def code_edit(request, slug, pk):
    audit = get_audit(request, slug, Action.CODE_ANSWERS)
    code = get_object_or_404(Code, pk=pk, audit=audit)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_code(user=request.user, code=code)
        messages.success(request, _("The code is removed."))
        return redirect("analysis:codebook", slug)
    initial = {
        "name": code.name,
        "description": code.description,
        "theme": code.theme.name if code.theme else "",
        "quality_areas": code.quality_areas,
    }
    form = CodeForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.save_code(user=request.user, audit=audit, code=code, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("analysis:codebook", slug)
    return render(
        request, "analysis/code_edit.html", {**_nav(request, audit), "code": code, "form": form}
    )


@login_required
def codebook_export(request, slug, fmt):
    audit = get_audit(request, slug, Action.CODE_ANSWERS)
    if fmt == "csv":
        return attachment(codebook.export_csv(audit), f"{audit.slug}-kodbok.csv")
    if fmt == "qdc":
        return attachment(codebook.export_qdc(audit), f"{audit.slug}-kodbok.qdc")
    raise Http404


@login_required
def codebook_project(request, slug):
    """The coded material as a REFI-QDA project, for the audit team only; logged."""
    audit = get_audit(request, slug, Action.VIEW_RAW_ANSWERS)
    data = project.export_qdpx(user=request.user, audit=audit, request=request)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{audit.slug}-projekt.qdpx"'
    return response


# Coding -------------------------------------------------------------------------------------------


@login_required
def coding(request, slug):
    """The material to code, a page at a time, filtered by question, by whether you have
    coded it, by code and by coder. Coding an answer returns to the same page."""
    audit = get_audit(request, slug, Action.CODE_ANSWERS)
    items = selectors.text_items(audit)
    filter_form = CodingFilterForm(
        request.GET or None, audit=audit, items=items, coders=selectors.coders(audit)
    )
    chosen = filter_form.filters()
    here = f"{request.path}?{filters.query(chosen)}"
    posted = request.POST.get("answer_form", "")
    failed = None
    if request.method == "POST" and posted.isdigit():
        failed = CodingForm(request.POST, audit=audit, prefix=f"a{posted}")
        answer = get_object_or_404(services.material(audit), pk=posted)
        if _code(request, failed, answer):
            messages.success(request, _("Coded."))
            return redirect(f"{here}#answer-{answer.pk}")
    shown = chosen
    if failed is not None:
        # Show the answer whose coding was refused, with what was typed and the error,
        # whatever the filters would show.
        shown = {"answer": int(posted), "show_all": chosen["show_all"], "page": 1}
    found = selectors.coding_page(audit, request.user, shown, filters.PAGE_SIZE)
    answers = found.page.object_list
    if answers:
        record_event(
            SecurityEvent.Kind.RAW_DATA_VIEWED,
            request=request,
            user=request.user,
            audit=audit,
            detail=f"audit {audit.slug}, free text {chosen['item'] or 'all'}, "
            f"page {found.page.number}",
        )
    codes = list(Code.objects.filter(audit=audit))
    choices = [("", "---------"), *((code.pk, str(code)) for code in codes)]
    for answer in answers:
        bound = failed if failed is not None and str(answer.pk) == posted else None
        answer.coding_form = bound or CodingForm(
            audit=audit, prefix=f"a{answer.pk}", initial={"answer": answer.pk}
        )
        answer.coding_form.fields["code"].choices = choices  # one query for every form
        answer.coding_form.fields["passage"].help_text = ""  # said once, above the answers
    return render(
        request,
        "analysis/coding.html",
        {
            **_nav(request, audit),
            "items": items,
            "filter_form": filter_form,
            "chosen": chosen,
            "only_failed": failed is not None,
            "back_query": filters.query(chosen),
            "all_answers_query": filters.query(chosen, answer=None),
            "page": found.page,
            "total": found.total,
            "pages": _page_links(found.page, chosen),
            "previous_query": filters.query(chosen, page=found.page.number - 1),
            "next_query": filters.query(chosen, page=found.page.number + 1),
            "return_query": filters.query(chosen),
            "answers": answers,
            "failed": failed,
            "show_all": chosen["show_all"],
            "has_codes": bool(codes),
            "item_texts": {item["code"]: item["text"] for item in items},
        },
    )


def _page_links(page, chosen) -> list[dict]:
    """Links to the other pages, with gaps (…) when there are many."""
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append({"gap": True})
        else:
            links.append(
                {
                    "number": number,
                    "query": filters.query(chosen, page=number),
                    "current": number == page.number,
                }
            )
    return links


def _code(request, form, answer) -> bool:
    if not form.is_valid():
        return False
    try:
        services.code_passage(
            user=request.user,
            answer=answer,
            code=form.cleaned_data["code"],
            passage=form.cleaned_data["passage"],
            start=form.cleaned_data["start"],
            is_quote=form.cleaned_data["is_quote"],
        )
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True


@login_required
@require_POST
def coding_change(request, slug, pk):
    audit = get_audit(request, slug, Action.CODE_ANSWERS)
    entry = get_object_or_404(Coding, pk=pk, code__audit=audit)
    if "remove" in request.POST:
        services.remove_coding(user=request.user, coding=entry)
        messages.success(request, _("The coding is removed."))
    else:
        services.mark_quote(
            user=request.user, coding=entry, is_quote=request.POST.get("quote") == "1"
        )
        messages.success(request, _("Saved."))
    target = reverse("analysis:coding", args=[slug])
    back = QueryDict(request.POST.get("return", ""))
    if back:
        # Rebuilt from the filters it names, so only the coding page's own address is used.
        form = CodingFilterForm(
            back,
            audit=audit,
            items=selectors.text_items(audit),
            coders=selectors.coders(audit),
        )
        query = filters.query(form.filters())
    else:
        query = filters.query({"item": entry.answer.item.code})
    return redirect(f"{target}?{query}#answer-{entry.answer_id}")


@login_required
def agreement(request, slug):
    audit = get_audit(request, slug, Action.CODE_ANSWERS)
    coders = selectors.coders(audit)
    form = CompareForm(request.GET or None, coders=coders)
    comparison = None
    if not form.is_bound and coders.count() >= 2:
        form = CompareForm({"first": coders[0].pk, "second": coders[1].pk}, coders=coders)
    if form.is_bound and form.is_valid():
        comparison = selectors.compare(
            audit, form.cleaned_data["first"], form.cleaned_data["second"]
        )
    return render(
        request,
        "analysis/agreement.html",
        {**_nav(request, audit), "form": form, "comparison": comparison},
    )


# Findings -----------------------------------------------------------------------------------------


def _finding_items(audit):
    instrument = instrument_selectors.questionnaires(audit).first()
    return results.result_items(instrument) if instrument else []


@login_required
def findings(request, slug):
    audit = get_audit(request, slug, Action.WRITE_FINDINGS)
    return _finding_form(request, audit, None)


@login_required
def finding_edit(request, slug, pk):
    audit = get_audit(request, slug, Action.WRITE_FINDINGS)
    finding = get_object_or_404(Finding, pk=pk, audit=audit)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_finding(user=request.user, finding=finding)
        messages.success(request, _("The finding is removed."))
        return redirect("analysis:findings", slug)
    return _finding_form(request, audit, finding)


def _finding_form(request, audit, finding):
    initial = {}
    if finding is not None:
        initial = {
            "kind": finding.kind,
            "title": finding.title,
            "text": finding.text,
            "quality_areas": finding.quality_areas,
            "items": list(finding.items.all()),
            "codings": list(finding.codings.all()),
        }
    form = FindingForm(
        request.POST or None, initial=initial, audit=audit, items=_finding_items(audit)
    )
    if form.is_bound and form.is_valid():
        try:
            services.save_finding(
                user=request.user, audit=audit, finding=finding, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The finding is saved."))
            return redirect("analysis:findings", audit.slug)
    listed = audit.findings.prefetch_related("items", "codings__code")
    return render(
        request,
        "analysis/findings.html",
        {**_nav(request, audit), "form": form, "finding": finding, "findings": listed},
    )
