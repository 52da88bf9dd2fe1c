"""The respondent's web survey at /s/<token>/: anonymous, one page at a time, no JavaScript
needed. Answers between pages live in a server-side draft whose random key is the only thing
the browser keeps (a cookie); the stored response carries neither the key nor any address."""

import copy
import secrets

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.models import Audit
from brukarrevision.instruments import conditions, frozen, languages, options, respondent
from brukarrevision.instruments.models import Instrument

from . import answer_codes, limits, services, storing, survey_reads
from .models import AnswerCode, Distribution, Draft, Response
from .texts import texts

COOKIE_DAYS = 14
VIEW_COOKIE = "enkat_visning"
# Once the answers are stored, the draft's cookie is replaced by this mark (and the language
# the respondent used), so that Back and the survey's pages say the answers were sent instead
# of offering a fresh survey. It is the same for everyone: nothing ties it to the response.
SENT = "sent:"
SENT_HOURS = 24


def _cookie(distribution: Distribution) -> str:
    return f"enkat_{distribution.token}"


def _sent_language(request, distribution: Distribution) -> str | None:
    """The language of the answers this browser has just sent, or None if it sent none."""
    value = request.COOKIES.get(_cookie(distribution), "")
    return value.removeprefix(SENT) if value.startswith(SENT) else None


def _distribution(token: str) -> Distribution:
    """The link's own row, read afresh on every request (it may have been closed a moment
    ago), with its frozen questionnaire from this process's memory."""
    distribution = survey_reads.link(token)
    if distribution is None:
        raise Http404
    distribution.instrument = _frozen_instrument(distribution.instrument_id, distribution.frozen_at)
    return distribution


# A frozen instrument never changes (a change makes a new version), so each process keeps the
# ones its links use, by id and moment of freezing; every request gets its own copy, so nothing
# loaded onto one request's instrument is seen by another.
_instruments: dict[tuple, Instrument] = {}


def _frozen_instrument(pk: int, frozen_at) -> Instrument:
    if frozen_at is None:
        return Instrument.objects.get(pk=pk)
    kept = _instruments.get((pk, frozen_at))
    if kept is None:
        kept = Instrument.objects.get(pk=pk)
        if len(_instruments) >= 256:
            _instruments.clear()
        _instruments[(pk, kept.frozen_at)] = kept
    return copy.copy(kept)


def _audit(distribution: Distribution) -> Audit:
    """The audit with its performer and client (and the link's unit), in one query, when a
    page shows them."""
    if not Distribution.audit.is_cached(distribution):
        survey_reads.add_names(distribution)
    return distribution.audit


def _draft(request, distribution: Distribution) -> Draft | None:
    key = request.COOKIES.get(_cookie(distribution))
    if not key or key.startswith(SENT):
        return None
    return survey_reads.draft(key, distribution)


def _view(request) -> set[str]:
    return set(request.COOKIES.get(VIEW_COOKIE, "").split(",")) & {"large", "contrast"}


def _language_links(distribution) -> list:
    allowed = services.complete_languages(distribution.instrument)
    return [(code, languages.OWN_NAMES.get(code, code)) for code in allowed]


def _context(request, distribution, lang, **extra) -> dict:
    return {
        "distribution": distribution,
        "audit": SimpleLazyObject(lambda: _audit(distribution)),
        "lang": lang,
        "html_lang": languages.html_lang(lang),
        "dir": languages.direction(lang),
        "t": texts(lang),
        "language_links": _language_links(distribution),
        "view": _view(request),
        **extra,
    }


def _language(request, distribution, draft, sent: str | None = None) -> str:
    allowed = services.complete_languages(distribution.instrument)
    wanted = request.POST.get("switch_language") or request.GET.get("lang")
    if wanted in allowed:
        return wanted
    if draft and draft.language in allowed:
        return draft.language
    if sent in allowed:
        return sent
    return distribution.language if distribution.language in allowed else allowed[0]


def _tools_html(request, distribution, lang, form_id) -> str:
    """The language and view buttons: the same for everyone who reads the questionnaire in
    the same language and view, so made once per process (like the questions)."""
    view = _view(request)

    def make(_instrument) -> str:
        context = {
            "form_id": form_id,
            "language_links": _language_links(distribution),
            "lang": lang,
            "view": view,
            "t": texts(lang),
        }
        return render_to_string("collection/includes/survey_tools.html", context)

    key = f"tools:{form_id}:{lang}:{','.join(sorted(view))}"
    return frozen.remember(distribution.instrument, key, make)


# The start page: who, what, voluntary, anonymous, consent ----------------------------


class StartForm(forms.Form):
    respondent = forms.ChoiceField(choices=Response.Respondent.choices, widget=forms.RadioSelect)
    consent = forms.BooleanField()

    def __init__(self, *args, lang, distribution=None, needs_code=False, **kwargs):
        super().__init__(*args, **kwargs)
        t = texts(lang)
        self.distribution = distribution
        if needs_code:
            # Not `required`: an empty field gets the same plain message as a wrong code.
            self.fields["code"] = forms.CharField(
                label=t["code_label"],
                help_text=t["code_help"],
                required=False,
                max_length=40,
                widget=forms.TextInput(
                    attrs={
                        "autocomplete": "off",
                        "autocapitalize": "characters",
                        "spellcheck": "false",
                        "dir": "ltr",
                        "class": "answer-code",
                    }
                ),
            )
            self.order_fields(["code"])
        self.fields["respondent"].label = t["who_answers"]
        self.fields["respondent"].choices = [(key, t[key]) for key in ("self", "assisted", "proxy")]
        self.fields["respondent"].initial = "self"
        self.fields["consent"].label = t["consent"]
        self.fields["consent"].error_messages["required"] = t["consent_error"]
        self.fields["respondent"].error_messages["required"] = options.message("required", lang)
        self.lang = lang

    def clean_code(self):
        """The code's digest, if the code may start an answer (nothing is used up yet)."""
        try:
            return answer_codes.check(self.distribution, self.cleaned_data.get("code", ""))
        except answer_codes.CodeRefused as refused:
            raise forms.ValidationError(texts(self.lang)[f"code_{refused.reason}"]) from None


def _needs_code(distribution, draft) -> bool:
    """A link that needs a code asks for one unless this browser's draft holds one still
    unused (the respondent came back to the start page)."""
    if not distribution.requires_code:
        return False
    if draft is None or not draft.code_digest:
        return True
    return not AnswerCode.objects.filter(
        distribution=distribution, digest=draft.code_digest, used=False
    ).exists()


@never_cache
def start(request, token):
    distribution = _distribution(token)
    draft = _draft(request, distribution)
    sent = _sent_language(request, distribution)
    if sent is not None and request.method == "GET" and "new" not in request.GET:
        return _sent(request, distribution, _language(request, distribution, None, sent))
    lang = _language(request, distribution, draft)
    if not distribution.is_open:
        return render(request, "collection/closed.html", _context(request, distribution, lang))
    if "view" in request.POST:
        target = reverse("survey:start", args=[token]) + f"?lang={lang}"
        return _set_view(request, redirect(target), request.POST["view"])
    switching = "switch_language" in request.POST
    posted = request.method == "POST" and not switching
    needs_code = _needs_code(distribution, draft)
    form = StartForm(
        request.POST if posted else None,
        lang=lang,
        distribution=distribution,
        needs_code=needs_code,
        # The QR code of a printed invitation may carry the code: /s/<token>/?code=K7QX-M4TR
        initial={"code": request.GET.get("code", "")[:40]} if needs_code else None,
    )
    guessing = posted and needs_code and limits.too_many_wrong_codes(request, distribution)
    if guessing:  # no code is even tried: the same answer whether it was right or not
        form.is_valid()
        form.errors.pop("code", None)
        form.add_error("code", texts(lang)["code_tries"])
    elif posted and form.is_valid():
        code = form.cleaned_data.get("code") if needs_code else None
        return _begin(distribution, draft, lang, form.cleaned_data["respondent"], code)
    elif posted and needs_code and "code" in form.errors:
        limits.count_wrong_code(request, distribution)
    intro = languages.text_in(distribution.instrument.intro, lang)
    audit = _audit(distribution)
    who_runs = texts(lang)["who_runs"].format(
        performer=audit.performer.name,
        client=audit.client.name,
        unit=distribution.unit.name,
    )
    response = render(
        request,
        "collection/start.html",
        _context(
            request,
            distribution,
            lang,
            form=form,
            intro=intro,
            who_runs=who_runs,
            tools_html=_tools_html(request, distribution, lang, "start-form"),
            fields_html=_start_fields_html(distribution, form, lang),
            code_used_at_send="again" in request.GET and needs_code,
            errors_title=options.message("errors_title", lang),
        ),
    )
    if sent is not None:  # "Start a new answer": the mark of the sent answers goes
        response.delete_cookie(_cookie(distribution))
    if guessing:
        response.status_code = 429
        response["Retry-After"] = str(limits.seconds_left())
    return response


def _start_fields_html(distribution, form, lang) -> str:
    """The start form's questions as HTML, kept like the survey's pages: only while the
    form is empty (no errors, nothing posted) and asks for no answer code (a printed code
    may fill it in); otherwise "" and the page renders them afresh."""
    if form.is_bound or "code" in form.fields:
        return ""

    def make(_instrument) -> str:
        return render_to_string("collection/includes/start_fields.html", {"form": form})

    return frozen.remember(distribution.instrument, f"start-fields:{lang}", make)


def _begin(distribution, draft, lang, who, code_digest=None):
    if draft is None:
        draft = Draft(
            key=secrets.token_urlsafe(32),
            distribution=distribution,
            submission_key=secrets.token_urlsafe(32),
        )
    draft.language, draft.respondent, draft.consented = lang, who, True
    if code_digest:
        draft.code_digest = code_digest
    if draft.pk is None:
        storing.add_draft(draft)
    else:
        draft.save()
    response = redirect("survey:page", distribution.token, 1)
    response.set_cookie(
        _cookie(distribution),
        draft.key,
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request_is_secure(),
    )
    return response


def request_is_secure() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "SESSION_COOKIE_SECURE", False))


# The pages -----------------------------------------------------------------------------


def _visible_pages(pages, answers) -> list[int]:
    """1-based numbers of the pages that have at least one question left to show."""
    return [
        number
        for number, page in enumerate(pages, 1)
        if any(conditions.is_met(item.condition, answers) for item in page.items)
    ]


def _row_codes(item) -> list[str]:
    """The codes of a matrix's rows (none for other items), read once per process: a related
    manager made for every item on every request costs more than the page's other work."""
    instrument = item.section.instrument
    return frozen.remember(instrument, "row-codes", _read_row_codes).get(item.pk, [])


def _read_row_codes(instrument) -> dict[int, list[str]]:
    return {
        item.pk: [row.code for row in item.rows.all()]
        for page_ in respondent.survey_pages(instrument)
        for item in page_.items
    }


def _page_codes(page) -> list[str]:
    return [code for item in page.items for code in [item.code, *_row_codes(item)]]


def _raw_values(form, codes) -> dict:
    found = {}
    for code in codes:
        if code not in form.fields:
            continue
        widget = form.fields[code].widget
        value = widget.value_from_datadict(form.data, form.files, form.add_prefix(code))
        if value not in (None, "", []):
            found[code] = value
    return found


@never_cache
def page(request, token, number):
    distribution = _distribution(token)
    draft = _draft(request, distribution)
    if request.method == "POST" and draft is None:
        return _resent_without_draft(request, distribution)
    sent = _sent_language(request, distribution)
    if draft is None and sent is not None:  # e.g. Back after sending
        return _sent(request, distribution, _language(request, distribution, None, sent))
    if draft is None or not draft.consented:
        return redirect("survey:start", token)
    if not distribution.is_open:
        lang = _language(request, distribution, draft)
        return render(request, "collection/closed.html", _context(request, distribution, lang))
    pages = respondent.survey_pages(distribution.instrument)
    if not 1 <= number <= len(pages):
        raise Http404
    return _page(request, distribution, draft, pages, number)


def _page(request, distribution, draft, pages, number):
    lang = _language(request, distribution, draft)
    current = pages[number - 1]
    codes = _page_codes(current)
    earlier = {k: v for k, v in draft.answers.items() if k not in codes}
    kwargs = {"instrument": distribution.instrument, "lang": lang, "items": current.items}
    if request.method == "POST":
        form = respondent.ResponseForm(request.POST, earlier=earlier, **kwargs)
        done = _handle_post(request, distribution, draft, pages, number, form, codes, lang)
        if done:
            return done
    else:
        initial = {k: v for k, v in draft.answers.items() if k in codes}
        form = respondent.ResponseForm(initial=initial, earlier=earlier, **kwargs)
    if draft.language != lang:
        draft.language = lang
        draft.save(update_fields=["language", "updated_at"])
    return _render_page(request, distribution, draft, pages, number, form, lang, earlier)


def _render_page(request, distribution, draft, pages, number, form, lang, earlier):
    visible = _visible_pages(pages, draft.answers)
    position = visible.index(number) + 1 if number in visible else 1
    current = pages[number - 1]
    is_last = number >= max(visible or [number])
    t = texts(lang)
    answers = {**earlier, **draft.answers}
    items_html = _questions_html(distribution.instrument, number, current, lang, form, answers)
    return render(
        request,
        "collection/page.html",
        _context(
            request,
            distribution,
            lang,
            form=form,
            title=languages.text_in(current.section.title, lang),
            items_html=items_html,
            items=[] if items_html else respondent.shown_items(current, lang, form, answers),
            tools_html=_tools_html(request, distribution, lang, "page-form"),
            number=number,
            position=position,
            total=len(visible),
            progress_text=t["page_of"].format(n=position, total=len(visible)),
            is_last=is_last,
            not_sent=t["not_sent"].format(send=t["send"])
            if is_last and "unsent" in request.GET and not form.errors
            else (t["incomplete"] if "incomplete" in request.GET else ""),
            is_first=position == 1,
            errors_title=options.message("errors_title", lang),
            submission_key=draft.submission_key,
        ),
        status=200,
    )


def _questions_html(instrument, number, current, lang, form, answers) -> str:
    """The page's questions as HTML, made once per process for every respondent who meets
    them empty: keyed by the frozen instrument version, the page, the language and which
    questions earlier answers leave shown. A page with anything of the respondent's in it
    (an answer kept in the draft, an error) is never kept, and is rendered afresh ("")."""
    if form.is_bound or form.initial or not instrument.is_frozen:
        return ""
    shown = tuple(i.pk for i in current.items if conditions.is_met(i.condition, answers))
    read_aloud = texts(lang)["read_aloud"]

    def make(_instrument) -> str:
        items = respondent.shown_items(current, lang, form, answers)
        return render_to_string(
            "collection/includes/questions.html", {"items": items, "read_aloud": read_aloud}
        )

    return frozen.remember(instrument, f"questions:{number}:{lang}:{shown}", make)


def _handle_post(request, distribution, draft, pages, number, form, codes, lang):
    if "view" in request.POST:
        _keep(draft, codes, _raw_values(form, codes))
        response = redirect(reverse("survey:page", args=[distribution.token, number]))
        return _set_view(request, response, request.POST["view"])
    if "switch_language" in request.POST or request.POST.get("go") == "back":
        draft.language = lang
        _keep(draft, codes, _raw_values(form, codes))
        if request.POST.get("go") == "back":
            return redirect("survey:page", distribution.token, _neighbour(pages, draft, number, -1))
        return redirect(reverse("survey:page", args=[distribution.token, number]) + f"?lang={lang}")
    if not form.is_valid():
        return None
    given = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}
    _keep(draft, codes, given, save=False)
    following = _neighbour(pages, draft, number, +1)
    if following != number:
        draft.save(update_fields=["answers", "language", "updated_at"])
        return redirect("survey:page", distribution.token, following)
    if request.POST.get("go") != "next":
        # Enter in a field presses the form's first, hidden button ("enter"): on the last
        # page it keeps the answers and points to the send button, but never sends.
        draft.save(update_fields=["answers", "language", "updated_at"])
        target = reverse("survey:page", args=[distribution.token, number])
        return redirect(f"{target}?unsent=1#not-sent")
    return _submit(request, distribution, draft, pages)


def _keep(draft, codes, values, save=True) -> None:
    answers = {k: v for k, v in draft.answers.items() if k not in codes}
    answers.update(values)
    draft.answers = answers
    if save:
        draft.save(update_fields=["answers", "language", "updated_at"])


def _neighbour(pages, draft, number, step) -> int:
    visible = _visible_pages(pages, draft.answers)
    candidates = [n for n in visible if (n > number if step > 0 else n < number)]
    if not candidates:
        return number if step > 0 else (visible[0] if visible else 1)
    return candidates[0] if step > 0 else candidates[-1]


def _shown_answers(pages, answers) -> dict:
    """Only answers to questions that the respondent's other answers left shown."""
    kept = {}
    for page_ in pages:
        for item in page_.items:
            if not conditions.is_met(item.condition, kept):
                continue
            for code in [item.code, *_row_codes(item)]:
                if code in answers:
                    kept[code] = answers[code]
    return kept


def _first_incomplete(pages, answers) -> int | None:
    """The first shown page with a required question left unanswered: a crafted request
    that skips pages must not store an incomplete response."""
    for number, page_ in enumerate(pages, 1):
        for item in page_.items:
            if not item.required or not conditions.is_met(item.condition, answers):
                continue
            codes = _row_codes(item) or [item.code]
            if any(answers.get(code) in (None, "", []) for code in codes):
                return number
    return None


def _submit(request, distribution, draft, pages):
    answers = _shown_answers(pages, draft.answers)
    missing = _first_incomplete(pages, answers)
    if missing is not None:
        draft.save(update_fields=["answers", "language", "updated_at"])
        target = reverse("survey:page", args=[distribution.token, missing])
        return redirect(f"{target}?incomplete=1")
    if limits.is_over(request, distribution):
        draft.save(update_fields=["answers", "language", "updated_at"])
        return _limited(request, distribution, draft, pages)
    key, lang = draft.key, draft.language
    try:
        services.submit_web_response(draft=draft, distribution=distribution, answers=answers)
    except services.SubmissionConflict:
        return _conflict(request, distribution, draft.language)
    except answer_codes.CodeRefused as refused:
        # Nothing was stored and the draft is kept, with this page's answers: a new code
        # sends it. ("again": the start page says why it asks for a code once more.)
        kept = Draft.objects.filter(key=key).first()
        if kept is not None:
            kept.answers, kept.language, kept.code_digest = draft.answers, lang, ""
            kept.save()
        return redirect(
            reverse("survey:start", args=[distribution.token])
            + f"?lang={lang}"
            + ("&again=1" if refused.reason == "used" else "")
        )
    limits.count(request, distribution)
    response = redirect(reverse("survey:thanks", args=[distribution.token]) + f"?lang={lang}")
    response.set_cookie(
        _cookie(distribution),
        SENT + lang,
        max_age=SENT_HOURS * 3600,
        httponly=True,
        samesite="Lax",
        secure=request_is_secure(),
    )
    return response


def _limited(request, distribution, draft, pages):
    """Too many answers from this address to this link this hour: nothing is lost, the
    draft waits. Logged once per address, link and hour, without the address."""
    if limits.first_refusal(request, distribution):
        record_event(
            SecurityEvent.Kind.SURVEY_RATE_LIMITED,
            audit=distribution.audit,
            detail=f"distribution {distribution.pk}: over {limits.per_hour()} answers an hour "
            "from one address",
        )
    visible = _visible_pages(pages, draft.answers)
    response = render(
        request,
        "collection/limited.html",
        _context(request, distribution, draft.language, last_page=max(visible or [1])),
        status=429,
    )
    response["Retry-After"] = str(limits.seconds_left())
    return response


def _sent(request, distribution, lang):
    """The survey's pages once this browser has sent its answers: they say so, and offer a
    new answer (someone else on the same phone) only while the link is open."""
    return render(request, "collection/sent.html", _context(request, distribution, lang))


def _resent_without_draft(request, distribution):
    """A resend after the response was stored (double click, retry after a lost
    connection): the same answers get the thank-you page, different ones are refused."""
    key = request.POST.get("submission_key", "")
    stored = Response.objects.filter(submission_key=key, distribution=distribution).first()
    lang = _language(request, distribution, None)
    if stored is None:
        return redirect("survey:start", distribution.token)
    posted = respondent.ResponseForm(
        request.POST, instrument=distribution.instrument, lang=lang, items=None
    )
    posted.is_valid()
    have = services.stored_answers(stored)
    sent = {
        k: services._normalise({k: v}).get(k)
        for k, v in posted.cleaned_data.items()
        if k in request.POST
    }
    if not all(_same(have.get(k), v) for k, v in sent.items()):
        # Refused and logged, but answered exactly as a matching resend is: otherwise the
        # reply would tell someone holding the key whether their guess of the answers is right.
        record_event(
            SecurityEvent.Kind.SUBMISSION_CONFLICT,
            audit=distribution.audit,
            detail=f"audit {distribution.audit.slug}, distribution {distribution.token}",
        )
    return redirect(reverse("survey:thanks", args=[distribution.token]) + f"?lang={lang}")


def _same(stored, sent) -> bool:
    if isinstance(sent, list) or isinstance(stored, list):
        return sorted(stored or []) == sorted(sent or [])
    return str(stored if stored is not None else "") == str(sent if sent is not None else "")


def _conflict(request, distribution, lang):
    return render(
        request, "collection/conflict.html", _context(request, distribution, lang), status=409
    )


@never_cache
def thanks(request, token):
    distribution = _distribution(token)
    lang = _language(request, distribution, None)
    return render(request, "collection/thanks.html", _context(request, distribution, lang))


def _set_view(request, response, change: str):
    """Large text and high contrast, kept in a cookie of their own (no answers in it).
    `change` is e.g. "large:on" or "contrast:off"."""
    view = _view(request)
    setting, _sep, state = change.partition(":")
    if setting in ("large", "contrast"):
        (view.add if state == "on" else view.discard)(setting)
    response.set_cookie(
        VIEW_COOKIE,
        ",".join(sorted(view)),
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
    )
    return response
