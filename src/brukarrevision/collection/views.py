"""Staff pages of data collection: progress, distributions, paper entry and interviews."""

import base64
import io
import secrets

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from brukarrevision.audits.views import apply_errors, get_audit
from brukarrevision.instruments import languages, options, respondent
from brukarrevision.permissions import Action, can

from . import answer_codes, bursts, importing, selectors, services
from .forms import (
    AnswerCodesForm,
    BookingForm,
    ContactForm,
    DistributionForm,
    PaperAnswersForm,
    PaperHeaderForm,
)
from .models import Distribution, Interview


@login_required
def overview(request, slug):
    audit = get_audit(request, slug, Action.VIEW_PROGRESS)
    manages = can(request.user, Action.MANAGE_COLLECTION, audit)
    form = DistributionForm(request.POST if request.method == "POST" else None, audit=audit)
    if request.method == "POST":
        get_audit(request, slug, Action.MANAGE_COLLECTION)
        if form.is_valid():
            try:
                services.create_distribution(user=request.user, audit=audit, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The link is made and open for answers."))
                return redirect("collection:overview", slug)
    return render(
        request,
        "collection/overview.html",
        {
            "audit": audit,
            "rows": selectors.progress(audit),
            "distributions": _with_qr(request, audit),
            "form": form if manages else None,
            "manages": manages,
            "may_enter": can(request.user, Action.ENTER_RESPONSES, audit),
            "site": request.build_absolute_uri("/").rstrip("/"),
        },
    )


@login_required
@require_POST
def toggle(request, slug, pk):
    audit = get_audit(request, slug, Action.MANAGE_COLLECTION)
    distribution = get_object_or_404(Distribution, pk=pk, audit=audit)
    services.set_open(
        user=request.user, distribution=distribution, is_open=request.POST.get("open") == "1"
    )
    messages.success(request, _("Saved."))
    return redirect("collection:overview", slug)


def _qr_svg(url: str) -> bytes:
    """The link's QR code as an SVG file: with the SVG namespace, which segno's svg_inline()
    leaves out (an image without it is broken and 0 pixels wide)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, title=url, xmldecl=False)
    return buffer.getvalue()


def _qr_data(request, distribution) -> str:
    """The QR code inside the page, so the page needs no request per code."""
    svg = _qr_svg(request.build_absolute_uri(distribution.get_absolute_url()))
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _with_qr(request, audit) -> list:
    found = list(audit.distributions.select_related("unit", "target_group", "instrument"))
    for distribution in found:
        distribution.qr_data = _qr_data(request, distribution)
    return found


@login_required
def qr(request, slug, pk):
    """The QR code as a file to download and print."""
    audit = get_audit(request, slug, Action.VIEW_PROGRESS)
    distribution = get_object_or_404(Distribution, pk=pk, audit=audit)
    svg = _qr_svg(request.build_absolute_uri(distribution.get_absolute_url()))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="qr-{distribution.token}.svg"'
    return response


# One-time answer codes and unusual bursts ----------------------------------------------

MADE_BATCHES = "answer_code_batches"


@login_required
def codes(request, slug, pk):
    """A link's answer codes: whether it needs one, how many are made and used, and making
    more. New codes are shown once, as printable invitations, in the answer to the POST."""
    audit = get_audit(request, slug, Action.MANAGE_COLLECTION)
    distribution = get_object_or_404(
        Distribution.objects.select_related("unit", "target_group", "instrument"),
        pk=pk,
        audit=audit,
    )
    if request.method == "POST" and "required" in request.POST:
        answer_codes.set_required(
            user=request.user, distribution=distribution, required=request.POST["required"] == "1"
        )
        messages.success(request, _("Saved."))
        return redirect("collection:codes", slug, pk)
    made = request.session.get(MADE_BATCHES, [])
    form = AnswerCodesForm(
        request.POST if request.method == "POST" else None,
        initial={"batch": secrets.token_urlsafe(16)},
    )
    if request.method == "POST" and form.is_valid():
        batch = form.cleaned_data["batch"]
        if batch in made:  # a reload of the invitations page: no new codes, none shown
            messages.warning(
                request,
                _("These codes were already made. They cannot be shown again: make new ones."),
            )
            return redirect("collection:codes", slug, pk)
        request.session[MADE_BATCHES] = [*made, batch][-20:]
        made_codes = answer_codes.make_codes(
            user=request.user,
            distribution=distribution,
            count=form.cleaned_data["count"],
            request=request,
        )
        return _invitations(request, audit, distribution, made_codes)
    return render(
        request,
        "collection/codes.html",
        {
            "audit": audit,
            "distribution": distribution,
            "form": form,
            "counts": answer_codes.counts(distribution),
        },
    )


def _invitations(request, audit, distribution, made_codes):
    link = request.build_absolute_uri(distribution.get_absolute_url())
    invitations = []
    for code in made_codes:
        svg = _qr_svg(f"{link}?code={code}")
        data = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
        invitations.append({"code": code, "qr_data": data})
    response = render(
        request,
        "collection/invitations.html",
        {
            "audit": audit,
            "distribution": distribution,
            "link": link,
            "invitations": invitations,
        },
    )
    add_never_cache_headers(response)
    return response


@login_required
def activity(request, slug):
    """Web answers per hour over the last days, unusual hours marked."""
    audit = get_audit(request, slug, Action.VIEW_PROGRESS)
    return render(
        request,
        "collection/activity.html",
        {
            "audit": audit,
            "links": bursts.by_link(audit),
            "days": bursts.DAYS,
            "over": bursts.UNUSUAL_OVER,
            "times": bursts.UNUSUAL_TIMES,
        },
    )


# Paper ---------------------------------------------------------------------------------


class PaperImportForm(forms.Form):
    """A CSV or XLSX file of typed-in paper forms (see collection/importing.py)."""

    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=gettext_lazy("File of paper forms (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per paper form: the columns unit, target_group and paper_number, then "
            "one column per question code with the code ticked on the form."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a CSV or XLSX file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large: at most 5 MB."))
        return upload


@login_required
def paper(request, slug):
    audit = get_audit(request, slug, Action.ENTER_RESPONSES)
    if "import" in request.POST:
        return _import_paper(request, audit)
    data = request.POST if request.method == "POST" else None
    header = PaperHeaderForm(data, audit=audit, initial=request.session.get("paper_header"))
    answers = None
    checked = False
    instrument = _chosen_instrument(request, audit, header)
    if instrument is not None:
        # "check" is the form's first, hidden button: Enter in a field without JavaScript.
        # It checks the codes and keeps what was typed, and saves nothing.
        typed = "answers" in request.POST or "check" in request.POST
        answers = PaperAnswersForm(data if typed else None, instrument=instrument)
        if typed and header.is_valid() and answers.is_valid():
            if "answers" in request.POST:
                done = _save_paper(request, audit, header, answers)
                if done:
                    return done
            else:
                checked = True
    return _paper_page(request, audit, header, answers, instrument, checked=checked)


def _paper_page(
    request, audit, header, answers, instrument, import_form=None, report=None, checked=False
):
    summary = importing.summarise(report) if report else None
    if (
        answers is not None
        and import_form is None
        and not (checked or header.errors or answers.errors)
    ):
        # Ready for the next form: the cursor waits in its paper number.
        header.fields["paper_number"].widget.attrs["autofocus"] = True
    return render(
        request,
        "collection/paper.html",
        {
            "audit": audit,
            "header": header,
            "answers": answers,
            "checked": checked,
            "instrument": instrument,
            "key": request.POST.get("key") or secrets.token_urlsafe(24),
            "import_form": import_form or PaperImportForm(),
            "report": report,
            "summary": summary,
            "unnumbered_note": importing.unnumbered_note(summary.unnumbered) if summary else "",
        },
    )


def _import_paper(request, audit):
    """Import a file and show what became of each row on the same page (a reload imports
    nothing twice)."""
    form = PaperImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importing.import_responses(
                upload.read(), upload.name, audit=audit, user=request.user
            )
        except importing.ImportRefused as refused:
            form.add_error("file", _("Some rows were refused, so nothing was imported."))
            report = refused.report
        except importing.Unreadable as error:
            form.add_error("file", str(error))
        if report == []:
            form.add_error("file", _("The file has no rows to import."))
    header = PaperHeaderForm(audit=audit, initial=request.session.get("paper_header"))
    instrument = _chosen_instrument(request, audit, header)
    answers = PaperAnswersForm(instrument=instrument) if instrument is not None else None
    return _paper_page(request, audit, header, answers, instrument, form, report)


def _chosen_instrument(request, audit, header):
    if request.method == "POST" and header.is_valid():
        request.session["paper_header"] = {
            k: getattr(v, "pk", v) for k, v in header.cleaned_data.items() if k != "paper_number"
        }
        return header.cleaned_data["instrument"]
    chosen = (request.session.get("paper_header") or {}).get("instrument")
    return audit.instruments.filter(pk=chosen).first() if chosen else None


def _save_paper(request, audit, header, answers):
    data = header.cleaned_data
    try:
        _response, created = services.enter_paper_response(
            user=request.user,
            instrument=data["instrument"],
            unit=data["unit"],
            target_group=data["target_group"],
            language=data["language"],
            respondent=data["respondent"],
            paper_number=data["paper_number"],
            answers=answers.answers(),
            key=request.POST.get("key", ""),
        )
    except services.SubmissionConflict:
        answers.add_error(None, _("This form was already saved with other answers."))
        return None
    except ValidationError as error:
        apply_errors(header, error)
        return None
    messages.success(
        request, _("Saved. Type the next paper form.") if created else _("Already saved.")
    )
    return redirect("collection:paper", audit.slug)


# Interviews ----------------------------------------------------------------------------


@login_required
def interviews(request, slug):
    audit = get_audit(request, slug, Action.PASS_ON_CONTACTS)
    contact_form = ContactForm(request.POST if "contact" in request.POST else None, audit=audit)
    if "contact" in request.POST and contact_form.is_valid():
        services.pass_on_contact(user=request.user, audit=audit, **contact_form.cleaned_data)
        messages.success(request, _("Thank you. The auditors will book a time."))
        return redirect("collection:interviews", slug)
    return _interviews_page(request, audit, contact_form=contact_form)


BOOKING_CHOICES = ("interviewers", "guide")


def _interviews_page(request, audit, contact_form=None, refused=None):
    """The interviews and the form to pass someone on. `refused` is a booking form that
    could not be saved: it is shown open, with its errors and everything typed in it."""
    books = can(request.user, Action.BOOK_INTERVIEWS, audit)
    listed = []
    if books:
        listed = list(
            audit.interviews.select_related("unit", "target_group", "contact").prefetch_related(
                "interviewers"
            )
        )
    # The team and the guides are read once for all the booking forms, not once per form.
    shown_choices = {}
    if listed:
        shared = BookingForm(audit=audit)
        shown_choices = {name: list(shared[name].field.widget.choices) for name in BOOKING_CHOICES}
    for interview in listed:
        interview.shows_contact = can(request.user, Action.SEE_CONTACT, interview)
        form = None
        if refused is not None and refused.prefix == _booking_prefix(interview):
            form = refused
        elif interview.status in (Interview.Status.WAITING, Interview.Status.BOOKED):
            form = _booking_form(audit, interview)
        if form is not None:
            for name in BOOKING_CHOICES:
                form.fields[name].widget.choices = shown_choices[name]
        interview.booking_form = form
    return render(
        request,
        "collection/interviews.html",
        {
            "audit": audit,
            "interviews": listed,
            "contact_form": contact_form or ContactForm(audit=audit),
            "books": books,
            "refused": refused,
        },
    )


def _booking_prefix(interview) -> str:
    return f"b{interview.pk}"


def _booking_form(audit, interview, data=None) -> BookingForm:
    """A booking form of its own per interview (its own field ids), filled in with the
    booking so far when a booking is changed."""
    initial = {}
    if interview.status == Interview.Status.BOOKED:
        initial = {
            "starts_at": interview.starts_at,
            "place": interview.place,
            "interviewers": list(interview.interviewers.all()),
            "guide": interview.guide_id,
        }
    return BookingForm(data, audit=audit, prefix=_booking_prefix(interview), initial=initial)


@login_required
@require_POST
def book(request, slug, pk):
    audit = get_audit(request, slug, Action.BOOK_INTERVIEWS)
    interview = get_object_or_404(Interview, pk=pk, audit=audit)
    if request.POST.get("action") == "cancel":
        services.cancel_interview(user=request.user, interview=interview)
        messages.success(request, _("The interview is cancelled and the contact details erased."))
        return redirect("collection:interviews", slug)
    form = _booking_form(audit, interview, request.POST)
    if form.is_valid():
        try:
            services.book_interview(user=request.user, interview=interview, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The interview is booked."))
            return redirect("collection:interviews", slug)
    # Shown again at once, not after a redirect, so nothing typed is lost.
    return _interviews_page(request, audit, refused=form)


@login_required
def record(request, slug, pk):
    audit = get_audit(request, slug, Action.VIEW_PROGRESS)
    interview = get_object_or_404(Interview.objects.select_related("guide"), pk=pk, audit=audit)
    if not services.may_record(request.user, interview) or interview.guide is None:
        raise Http404
    if request.method == "POST":
        return _save_record(request, interview)
    return render(
        request,
        "collection/record.html",
        {"audit": audit, "interview": interview, "entries": _record_entries(interview)},
    )


def _record_entries(interview):
    entries = []
    for page in respondent.survey_pages(interview.guide):
        for item in page.items:
            for question in [item, *item.rows.all()]:
                if not question.answers_anything():
                    continue
                saved = interview.notes.get(question.code, {})
                entries.append(
                    {
                        "item": question,
                        "theme": languages.text_in(page.section.title, languages.PLAIN),
                        "text": languages.text_in(question.text, languages.PLAIN),
                        "prompts": languages.text_in(item.prompts, languages.PLAIN).splitlines(),
                        "note_to_interviewer": languages.text_in(
                            item.interviewer_note, languages.PLAIN
                        ),
                        "answer": saved.get("answer", ""),
                        "note": saved.get("note", ""),
                        "options": options.options(question, languages.PLAIN)
                        if question.kind not in ("short_text", "long_text", "number")
                        else [],
                    }
                )
    return entries


def _save_record(request, interview):
    notes = {}
    for item in interview.guide.all_items():
        answer = request.POST.get(f"answer-{item.code}", "")
        note = request.POST.get(f"note-{item.code}", "")
        if answer or note:
            notes[item.code] = {"answer": answer, "note": note}
    try:
        services.save_interview_notes(user=request.user, interview=interview, notes=notes)
        if request.POST.get("action") == "finish":
            services.finish_interview(user=request.user, interview=interview)
    except ValidationError as error:
        if request.headers.get("X-Autosave"):
            return JsonResponse({"saved": False, "error": " ".join(error.messages)}, status=400)
        for message in error.messages:
            messages.error(request, message)
        return redirect("collection:record", interview.audit.slug, interview.pk)
    if request.headers.get("X-Autosave"):
        return JsonResponse({"saved": True})
    if request.POST.get("action") == "finish":
        messages.success(request, _("The interview is done and saved. Contact details are erased."))
        return redirect("collection:interviews", interview.audit.slug)
    messages.success(request, _("Saved."))
    return redirect("collection:record", interview.audit.slug, interview.pk)
