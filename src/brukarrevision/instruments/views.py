"""Pages for audit questions and instruments. Views parse and render; services do the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from brukarrevision.audits.views import apply_errors, get_audit
from brukarrevision.lib.downloads import attachment
from brukarrevision.permissions import Action, can

from . import bank, languages, options, respondent, selectors, services, xlsform
from . import paper as paper_module
from .forms import (
    AddItemForm,
    AuditQuestionForm,
    BankFilterForm,
    ChoiceFormSet,
    ImportForm,
    InstrumentForm,
    InstrumentSettingsForm,
    ItemForm,
    MatrixRowFormSet,
    SectionForm,
    choice_initial,
    row_initial,
)
from .models import AuditQuestion, Instrument, Item, Section


def get_instrument(request, slug, pk, action=Action.VIEW_INSTRUMENTS) -> Instrument:
    audit = get_audit(request, slug, action)
    return get_object_or_404(Instrument.objects.select_related("audit"), pk=pk, audit=audit)


def _attempt(request, form, work, success: str) -> bool:
    """Run a service call; its ValidationError lands on the form. True when it worked."""
    try:
        work()
    except ValidationError as error:
        apply_errors(form, error)
        return False
    messages.success(request, success)
    return True


# The audit's questions and instruments ------------------------------------------------


@login_required
def index(request, slug):
    audit = get_audit(request, slug, Action.VIEW_INSTRUMENTS)
    may_edit = can(request.user, Action.EDIT_INSTRUMENTS, audit)
    section = request.POST.get("section") if request.method == "POST" else None
    if section and not may_edit:
        get_audit(request, slug, Action.EDIT_INSTRUMENTS)
    question_form = AuditQuestionForm(request.POST if section == "question" else None)
    instrument_form = InstrumentForm(request.POST if section == "instrument" else None, audit=audit)
    import_form = ImportForm(
        request.POST if section == "import" else None,
        request.FILES if section == "import" else None,
    )
    done = _index_post(request, audit, section, question_form, instrument_form, import_form)
    if done:
        return done
    instruments = list(selectors.current(audit))
    for instrument in instruments:
        instrument.gaps = selectors.gaps_by_language(instrument)
    return render(
        request,
        "instruments/index.html",
        {
            "audit": audit,
            "may_edit": may_edit,
            "questions": audit.audit_questions.all(),
            "instruments": instruments,
            "question_form": question_form,
            "instrument_form": instrument_form,
            "import_form": import_form,
            "import_problems": getattr(import_form, "problems", []),
        },
    )


def _index_post(request, audit, section, question_form, instrument_form, import_form):
    user = request.user
    if section == "question" and question_form.is_valid():
        data = question_form.cleaned_data

        def work():
            services.save_audit_question(
                user=user, audit=audit, text=data["text"], quality_areas=data["quality_areas"]
            )

        if _attempt(request, question_form, work, _("The audit question is added.")):
            return redirect(f"{request.path}#questions")
    if section == "delete_question":
        question = get_object_or_404(AuditQuestion, pk=request.POST.get("pk"), audit=audit)
        services.delete_audit_question(user=user, question=question)
        messages.success(request, _("The audit question is removed."))
        return redirect(f"{request.path}#questions")
    if section == "instrument" and instrument_form.is_valid():
        return _create_instrument(request, audit, instrument_form)
    if section == "import" and import_form.is_valid():
        return _import(request, audit, import_form)
    return None


def _create_instrument(request, audit, form):
    data = form.cleaned_data
    try:
        instrument = services.create_instrument(
            user=request.user,
            audit=audit,
            title=data["title"],
            kind=data["kind"],
            respondent=data["respondent"],
            language_codes=[languages.PLAIN, *data["languages"]],
            target_groups=data["target_groups"],
        )
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, _("The instrument is created. Add its questions."))
    return redirect("instruments:builder", audit.slug, instrument.pk)


def _import(request, audit, form):
    upload = form.cleaned_data["file"]
    try:
        instrument = xlsform.import_xlsform(upload.read(), audit=audit, user=request.user)
    except xlsform.XLSFormRefused as refused:
        form.add_error("file", _("The file could not be imported. Nothing was saved."))
        form.problems = refused.problems
        return None
    messages.success(request, _("The XLSForm is imported."))
    return redirect("instruments:builder", audit.slug, instrument.pk)


@login_required
def audit_question(request, slug, question_pk):
    audit = get_audit(request, slug, Action.EDIT_INSTRUMENTS)
    question = get_object_or_404(AuditQuestion, pk=question_pk, audit=audit)
    form = AuditQuestionForm(
        request.POST or None,
        initial={"text": question.text, "quality_areas": question.quality_areas},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def work():
            services.save_audit_question(
                user=request.user,
                audit=audit,
                text=data["text"],
                quality_areas=data["quality_areas"],
                question=question,
            )

        if _attempt(request, form, work, _("Saved.")):
            return redirect("instruments:index", audit.slug)
    return render(
        request,
        "instruments/audit_question.html",
        {"audit": audit, "question": question, "form": form},
    )


# The builder ---------------------------------------------------------------------------


@login_required
def builder(request, slug, pk):
    instrument = get_instrument(request, slug, pk)
    audit = instrument.audit
    may_edit = can(request.user, Action.EDIT_INSTRUMENTS, audit)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not may_edit:
        get_audit(request, slug, Action.EDIT_INSTRUMENTS)
    forms = {
        "settings": InstrumentSettingsForm(
            request.POST if action == "settings" else None, instrument=instrument
        ),
        "add_section": SectionForm(
            request.POST if action == "add_section" else None, langs=[languages.PLAIN]
        ),
        "add_item": AddItemForm(
            request.POST if action == "add_item" else None, instrument=instrument
        ),
    }
    if action:
        done = _builder_post(request, instrument, action, forms)
        if done:
            return done
    return render(
        request,
        "instruments/builder.html",
        {
            "audit": audit,
            "instrument": instrument,
            "may_edit": may_edit and instrument.is_current,
            "editable": may_edit and instrument.is_current and not instrument.is_frozen,
            "sections": selectors.sections_with_items(instrument),
            "gaps": selectors.gaps_by_language(instrument),
            "forms": forms,
            "language_names": [(code, languages.name(code)) for code in instrument.languages],
        },
    )


def _builder_post(request, instrument, action, forms):
    handlers = {
        "settings": _save_settings,
        "add_section": _add_section,
        "add_item": _add_item,
        "move_up": _move,
        "move_down": _move,
        "delete_item": _delete_item,
        "delete_section": _delete_section,
        "freeze": _freeze,
        "new_version": _new_version,
    }
    if action not in handlers:
        raise Http404
    return handlers[action](request, instrument, action, forms)


def _back(instrument, anchor=""):
    url = reverse("instruments:builder", args=[instrument.audit.slug, instrument.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _save_settings(request, instrument, action, forms):
    form = forms["settings"]
    if not form.is_valid():
        return None
    data = form.cleaned_data

    def work():
        services.update_instrument(
            user=request.user,
            instrument=instrument,
            title=data["title"],
            respondent=data["respondent"],
            language_codes=[languages.PLAIN, *data["languages"]],
            target_groups=[g.pk for g in data["target_groups"]],
            intro=form.texts("intro", instrument.languages),
        )

    return _back(instrument, "settings") if _attempt(request, form, work, _("Saved.")) else None


def _add_section(request, instrument, action, forms):
    form = forms["add_section"]
    if not form.is_valid():
        return None

    def work():
        services.add_section(
            user=request.user, instrument=instrument, title=form.texts("title", [languages.PLAIN])
        )

    ok = _attempt(request, form, work, _("The section is added."))
    return _back(instrument, "sections") if ok else None


def _add_item(request, instrument, action, forms):
    form = forms["add_item"]
    if not form.is_valid():
        return None
    section = get_object_or_404(Section, pk=form.cleaned_data["section"], instrument=instrument)
    try:
        item = services.add_item(
            user=request.user,
            section=section,
            kind=form.cleaned_data["kind"],
            text={languages.PLAIN: form.cleaned_data["text"]},
        )
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, _("The question is added. Fill in the rest here."))
    return redirect("instruments:item", instrument.audit.slug, instrument.pk, item.pk)


def _item_from_post(request, instrument) -> Item:
    return get_object_or_404(Item, pk=request.POST.get("item_pk"), section__instrument=instrument)


def _run(request, instrument, work, success, anchor=""):
    try:
        work()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return _back(instrument, anchor)


def _move(request, instrument, action, forms):
    item = _item_from_post(request, instrument)
    return _run(
        request,
        instrument,
        lambda: services.move_item(user=request.user, item=item, up=action == "move_up"),
        _("The question is moved."),
        f"item-{item.pk}",
    )


def _delete_item(request, instrument, action, forms):
    item = _item_from_post(request, instrument)
    return _run(
        request,
        instrument,
        lambda: services.delete_item(user=request.user, item=item),
        _("The question is removed."),
        "sections",
    )


def _delete_section(request, instrument, action, forms):
    section = get_object_or_404(Section, pk=request.POST.get("section_pk"), instrument=instrument)
    return _run(
        request,
        instrument,
        lambda: services.delete_section(user=request.user, section=section),
        _("The section is removed."),
        "sections",
    )


def _freeze(request, instrument, action, forms):
    return _run(
        request,
        instrument,
        lambda: services.freeze(user=request.user, instrument=instrument),
        _("The instrument is frozen."),
    )


def _new_version(request, instrument, action, forms):
    try:
        copy = services.new_version(user=request.user, instrument=instrument)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(instrument)
    messages.success(
        request,
        _("Version %(n)s is made. Answers stay with the earlier version.") % {"n": copy.version},
    )
    return redirect("instruments:builder", instrument.audit.slug, copy.pk)


@login_required
def section_edit(request, slug, pk, section_pk):
    instrument = get_instrument(request, slug, pk, Action.EDIT_INSTRUMENTS)
    section = get_object_or_404(Section, pk=section_pk, instrument=instrument)
    form = SectionForm(request.POST or None, langs=instrument.languages, section=section)
    if request.method == "POST" and form.is_valid():

        def work():
            services.update_section(
                user=request.user, section=section, title=form.texts("title", instrument.languages)
            )

        if _attempt(request, form, work, _("Saved.")):
            return _back(instrument, f"section-{section.pk}")
    return render(
        request,
        "instruments/section_form.html",
        {"audit": instrument.audit, "instrument": instrument, "section": section, "form": form},
    )


@login_required
def item_edit(request, slug, pk, item_pk):
    instrument = get_instrument(request, slug, pk, Action.EDIT_INSTRUMENTS)
    item = get_object_or_404(Item, pk=item_pk, section__instrument=instrument, parent=None)
    langs = instrument.languages
    data = request.POST if request.method == "POST" else None
    form = ItemForm(data, item=item, earlier=list(services._earlier_items(item)))
    choices = ChoiceFormSet(
        data, prefix="choices", form_kwargs={"langs": langs}, initial=choice_initial(item, langs)
    )
    rows = MatrixRowFormSet(
        data, prefix="rows", form_kwargs={"langs": langs}, initial=row_initial(item, langs)
    )
    uses_choices = item.kind in Item.CHOICE_KINDS
    uses_rows = item.kind == Item.Kind.MATRIX
    if data is not None and _save_item(request, item, form, choices, rows, uses_choices, uses_rows):
        return _back(instrument, f"item-{item.pk}")
    return render(
        request,
        "instruments/item_form.html",
        {
            "audit": instrument.audit,
            "instrument": instrument,
            "item": item,
            "form": form,
            "choices": choices if uses_choices else None,
            "rows": rows if uses_rows else None,
        },
    )


def _save_item(request, item, form, choices, rows, uses_choices, uses_rows) -> bool:
    valid = form.is_valid()
    valid = (not uses_choices or choices.is_valid()) and valid
    valid = (not uses_rows or rows.is_valid()) and valid
    if not valid:
        return False

    def work():
        services.update_item(
            user=request.user,
            item=item,
            fields=form.service_fields(),
            choices=[f.as_choice() for f in choices] if uses_choices else None,
            rows=[f.as_row() for f in rows] if uses_rows else None,
        )

    return _attempt(request, form, work, _("The question is saved."))


# The question bank ----------------------------------------------------------------------


@login_required
def bank_page(request, slug, pk):
    instrument = get_instrument(request, slug, pk, Action.EDIT_INSTRUMENTS)
    filters = BankFilterForm(request.GET or None)
    found = bank.search(**filters.cleaned_data) if filters.is_valid() else list(bank.items())
    error = ""
    if request.method == "POST":
        section = get_object_or_404(
            Section, pk=request.POST.get("section_pk"), instrument=instrument
        )
        try:
            copied = services.copy_from_bank(
                user=request.user, section=section, keys=request.POST.getlist("keys")
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _("%(n)s questions are copied. Change them as you like.") % {"n": len(copied)},
            )
            return _back(instrument, f"section-{section.pk}")
    return render(
        request,
        "instruments/bank.html",
        {
            "audit": instrument.audit,
            "instrument": instrument,
            "filters": filters,
            "entries": [respondent.bank_entry(entry) for entry in found],
            "sections": instrument.sections.all(),
            "error": error,
        },
    )


# What respondents see -------------------------------------------------------------------


def _language(instrument, lang) -> str:
    if lang not in instrument.languages:
        raise Http404
    return lang


@login_required
def preview(request, slug, pk, lang):
    instrument = get_instrument(request, slug, pk)
    lang = _language(instrument, lang)
    form = respondent.ResponseForm(request.POST or None, instrument=instrument, lang=lang)
    if request.method == "POST":
        form.is_valid()
    return render(
        request,
        "instruments/preview.html",
        {
            "audit": instrument.audit,
            "instrument": instrument,
            "lang": lang,
            "page_lang": languages.html_lang(lang),
            "page_dir": languages.direction(lang),
            "intro": languages.text_in(instrument.intro, lang),
            "form_errors_title": options.message("errors_title", lang),
            "send_label": options.message("send", lang),
            "page": respondent.page(instrument, lang, form),
            "form": form,
            "gaps": selectors.gaps_by_language(instrument).get(lang, []),
            "language_names": [(code, languages.name(code)) for code in instrument.languages],
        },
    )


@login_required
def paper(request, slug, pk, lang):
    instrument = get_instrument(request, slug, pk)
    lang = _language(instrument, lang)
    pdf = paper_module.render_pdf(instrument, lang)
    name = f"{instrument.audit.slug}-{instrument.pk}-v{instrument.version}-{lang}.pdf"
    return attachment(pdf, name, inline=True)


@login_required
def xlsform_export(request, slug, pk):
    instrument = get_instrument(request, slug, pk)
    name = f"{instrument.audit.slug}-{instrument.pk}-v{instrument.version}.xlsx"
    return attachment(xlsform.export_xlsform(instrument), name)
