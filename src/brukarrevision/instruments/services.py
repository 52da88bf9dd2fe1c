"""Every write to audit questions and instruments. Views and commands call these; each checks
permission in brukarrevision.permissions and works inside one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.audits.models import Audit
from brukarrevision.permissions import Action, can

from . import bank, languages
from .models import AuditQuestion, Choice, Instrument, Item, QualityArea, Section


def _require_edit(user, audit: Audit) -> None:
    if not can(user, Action.EDIT_INSTRUMENTS, audit):
        raise PermissionDenied(Action.EDIT_INSTRUMENTS)


def _require_unfrozen(user, instrument: Instrument) -> None:
    _require_edit(user, instrument.audit)
    if instrument.is_frozen:
        raise ValidationError(
            _("This version is frozen because answers are collected on it. Make a new version.")
        )
    if not instrument.is_current:
        raise ValidationError(_("This is an old version. Change the newest version instead."))


# Audit questions ------------------------------------------------------------------------


@transaction.atomic
def save_audit_question(
    *, user, audit: Audit, text: str, quality_areas: list[str], question=None
) -> AuditQuestion:
    _require_edit(user, audit)
    if not text.strip():
        raise ValidationError({"text": _("Write the audit question.")})
    unknown = set(quality_areas) - set(QualityArea.values)
    if unknown:
        raise ValidationError({"quality_areas": _("Choose quality areas from the list.")})
    if question is None:
        number = (audit.audit_questions.aggregate(n=Max("number"))["n"] or 0) + 1
        question = AuditQuestion(audit=audit, number=number)
    question.text = text.strip()
    question.quality_areas = list(quality_areas)
    question.save()
    return question


@transaction.atomic
def delete_audit_question(*, user, question: AuditQuestion) -> None:
    _require_edit(user, question.audit)
    question.delete()


# Instruments ----------------------------------------------------------------------------


def _clean_languages(codes: list[str]) -> list[str]:
    rest = [c for c in dict.fromkeys(codes) if c != languages.PLAIN]
    unknown = [c for c in rest if c not in languages.NAMES]
    if unknown:
        raise ValidationError({"languages": _("Unknown language: %s") % ", ".join(unknown)})
    return [languages.PLAIN, *rest]


@transaction.atomic
def create_instrument(
    *, user, audit: Audit, title: str, kind: str, respondent: str, language_codes, target_groups=()
) -> Instrument:
    _require_edit(user, audit)
    instrument = Instrument(
        audit=audit,
        title=title.strip(),
        kind=kind,
        respondent=respondent,
        languages=_clean_languages(language_codes),
    )
    instrument.full_clean()
    instrument.save()
    instrument.target_groups.set(audit.target_groups.filter(pk__in=[g.pk for g in target_groups]))
    first = _("Theme 1") if instrument.is_guide else _("Part 1")
    Section.objects.create(instrument=instrument, position=0, title={languages.PLAIN: first})
    return instrument


@transaction.atomic
def update_instrument(
    *, user, instrument: Instrument, title, respondent, language_codes, target_groups, intro
) -> Instrument:
    _require_unfrozen(user, instrument)
    instrument.title = title.strip()
    instrument.respondent = respondent
    instrument.languages = _clean_languages(language_codes)
    instrument.intro = {k: v for k, v in intro.items() if v.strip()}
    instrument.full_clean()
    instrument.save()
    instrument.target_groups.set(instrument.audit.target_groups.filter(pk__in=target_groups))
    return instrument


@transaction.atomic
def add_section(*, user, instrument: Instrument, title: dict) -> Section:
    _require_unfrozen(user, instrument)
    if not title.get(languages.PLAIN, "").strip():
        raise ValidationError({"title": _("Write a heading.")})
    position = (instrument.sections.aggregate(p=Max("position"))["p"] or 0) + 1
    return Section.objects.create(instrument=instrument, position=position, title=_texts(title))


@transaction.atomic
def update_section(*, user, section: Section, title: dict) -> Section:
    _require_unfrozen(user, section.instrument)
    if not title.get(languages.PLAIN, "").strip():
        raise ValidationError({"title": _("Write a heading.")})
    section.title = _texts(title)
    section.save()
    return section


@transaction.atomic
def delete_section(*, user, section: Section) -> None:
    instrument = section.instrument
    _require_unfrozen(user, instrument)
    if instrument.sections.count() == 1:
        raise ValidationError(_("An instrument needs at least one section."))
    codes = set(section.items.values_list("code", flat=True)) | set(
        Item.objects.filter(parent__section=section).values_list("code", flat=True)
    )
    _refuse_if_conditions_use(instrument, codes, exclude_section=section)
    section.delete()


def _texts(texts: dict) -> dict:
    return {lang: text.strip() for lang, text in texts.items() if text and text.strip()}


# Items ----------------------------------------------------------------------------------


def next_code(instrument: Instrument) -> str:
    used = set(instrument.all_items().values_list("code", flat=True))
    n = len(used) + 1
    while f"q{n}" in used:
        n += 1
    return f"q{n}"


def _next_position(section: Section, parent: Item | None = None) -> int:
    siblings = section.items.filter(parent=parent)
    return (siblings.aggregate(p=Max("position"))["p"] or 0) + 1


@transaction.atomic
def add_item(*, user, section: Section, kind: str, text: dict) -> Item:
    instrument = section.instrument
    _require_unfrozen(user, instrument)
    if kind not in Item.Kind.values:
        raise ValidationError({"kind": _("Choose a type of question.")})
    if not text.get(languages.PLAIN, "").strip():
        raise ValidationError({"text": _("Write the question in plain Swedish.")})
    item = Item.objects.create(
        section=section,
        position=_next_position(section),
        code=next_code(instrument),
        kind=kind,
        text=_texts(text),
        scale_steps=5 if kind in Item.SCALE_KINDS else None,
    )
    if kind == Item.Kind.MATRIX:
        Item.objects.create(
            section=section,
            parent=item,
            position=1,
            code=next_code(instrument),
            kind=Item.Kind.RATING,
            text={languages.PLAIN: _("First statement")},
        )
    return item


ITEM_FIELDS = [
    "code",
    "required",
    "quality_area",
    "audit_question",
    "scale_steps",
    "dont_know",
    "not_applicable",
]
TEXT_FIELDS = ["text", "help", "scale_low", "scale_high", "prompts", "interviewer_note"]


@transaction.atomic
def update_item(
    *, user, item: Item, fields: dict, choices: list[dict] | None = None, rows=None
) -> Item:
    """Save an item with its answer choices (single and multiple choice) or its rows (matrix).
    `choices` and `rows` are the whole new lists: [{"value"/"code": ..., "label"/"text": {}}]."""
    instrument = item.instrument
    _require_unfrozen(user, instrument)
    for name in ITEM_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    for name in TEXT_FIELDS:
        if name in fields:
            setattr(item, name, _texts(fields[name]))
    if "condition" in fields:
        item.condition = fields["condition"] or None
    _check_item(item)
    item.save()
    if choices is not None and item.kind in Item.CHOICE_KINDS:
        _save_choices(item, choices)
    if rows is not None and item.kind == Item.Kind.MATRIX:
        _save_rows(item, rows)
    _check_codes_unique(instrument)
    return item


def _check_item(item: Item) -> None:
    errors = {}
    if not item.text.get(languages.PLAIN):
        errors["text"] = _("Write the question in plain Swedish.")
    if item.kind in Item.SCALE_KINDS and not item.is_row and item.scale_steps not in (4, 5):
        errors["scale_steps"] = _("A rating scale has 4 or 5 steps.")
    if item.condition:
        problem = _condition_problem(item)
        if problem:
            errors["condition"] = problem
    if errors:
        raise ValidationError(errors)


def _condition_problem(item: Item) -> str | None:
    earlier = list(_earlier_items(item))
    target = next((i for i in earlier if i.code == item.condition.get("item")), None)
    if target is None:
        return _("A condition can only depend on an earlier question.")
    if item.condition.get("op") not in ("answered",) and not str(item.condition.get("value", "")):
        return _("Say which answer shows this question.")
    return None


def _earlier_items(item: Item):
    """Answerable items that come before `item` in the instrument."""
    for other in item.instrument.all_items():
        if other.pk == item.pk or (item.kind == Item.Kind.MATRIX and other.parent_id == item.pk):
            return
        if other.answers_anything():
            yield other


def _save_choices(item: Item, choices: list[dict]) -> None:
    cleaned = [c for c in choices if c.get("value") or c.get("label", {}).get(languages.PLAIN)]
    values = [c.get("value", "").strip() for c in cleaned]
    if len(cleaned) < 2:
        raise ValidationError({"choices": _("Give at least two answers to choose from.")})
    if any(not v for v in values) or len(set(values)) != len(values):
        raise ValidationError({"choices": _("Every answer needs its own code.")})
    if any(not c.get("label", {}).get(languages.PLAIN, "").strip() for c in cleaned):
        raise ValidationError({"choices": _("Every answer needs a text in plain Swedish.")})
    item.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(item=item, position=n, value=c["value"].strip(), label=_texts(c["label"]))
        for n, c in enumerate(cleaned, 1)
    )


def _save_rows(item: Item, rows: list[dict]) -> None:
    cleaned = [r for r in rows if r.get("text", {}).get(languages.PLAIN, "").strip()]
    if not cleaned:
        raise ValidationError({"rows": _("A matrix needs at least one statement.")})
    existing = {row.code: row for row in item.rows.all()}
    keep = []
    for n, row in enumerate(cleaned, 1):
        code = row.get("code", "").strip() or next_code(item.instrument)
        found = existing.get(code) or Item(section=item.section, parent=item, code=code)
        found.kind, found.position, found.text = Item.Kind.RATING, n, _texts(row["text"])
        found.quality_area = found.quality_area or item.quality_area
        found.save()
        keep.append(found.pk)
    gone = item.rows.exclude(pk__in=keep)
    _refuse_if_conditions_use(item.instrument, set(gone.values_list("code", flat=True)))
    gone.delete()


def _check_codes_unique(instrument: Instrument) -> None:
    codes = list(instrument.all_items().values_list("code", flat=True))
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValidationError(
            {"code": _("The code %s is already used in this instrument.") % ", ".join(duplicates)}
        )


def _refuse_if_conditions_use(instrument: Instrument, codes: set[str], exclude_section=None):
    users = [
        other.code
        for other in instrument.all_items()
        if other.condition
        and other.condition.get("item") in codes
        and other.code not in codes
        and (exclude_section is None or other.section_id != exclude_section.pk)
    ]
    if users:
        raise ValidationError(
            _("Questions %s show or hide by this answer. Change their conditions first.")
            % ", ".join(users)
        )


@transaction.atomic
def move_item(*, user, item: Item, up: bool) -> None:
    _require_unfrozen(user, item.instrument)
    siblings = list(item.section.items.filter(parent=item.parent).order_by("position", "pk"))
    index = siblings.index(item)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for n, sibling in enumerate(siblings, 1):
        Item.objects.filter(pk=sibling.pk).update(position=n)


@transaction.atomic
def delete_item(*, user, item: Item) -> None:
    _require_unfrozen(user, item.instrument)
    codes = {item.code, *item.rows.values_list("code", flat=True)}
    _refuse_if_conditions_use(item.instrument, codes)
    item.delete()


@transaction.atomic
def copy_from_bank(*, user, section: Section, keys: list[str]) -> list[Item]:
    """Copy question-bank items into `section`; the auditors then change them freely."""
    instrument = section.instrument
    _require_unfrozen(user, instrument)
    chosen = [bank.get(key) for key in keys]
    if not keys or None in chosen:
        raise ValidationError(_("Choose questions from the bank."))
    copied = []
    for entry in chosen:
        item = Item.objects.create(
            section=section,
            position=_next_position(section),
            code=next_code(instrument),
            kind=entry["kind"],
            text=dict(entry["text"]),
            help=dict(entry.get("help", {})),
            quality_area=entry["quality_area"],
            scale_steps=entry.get("scale", {}).get("steps"),
            scale_low=dict(entry.get("scale", {}).get("low", {})),
            scale_high=dict(entry.get("scale", {}).get("high", {})),
            dont_know=entry["kind"] == Item.Kind.RATING,
            bank_key=entry["key"],
        )
        Choice.objects.bulk_create(
            Choice(item=item, position=n, value=c["value"], label=dict(c["label"]))
            for n, c in enumerate(entry.get("choices", []), 1)
        )
        copied.append(item)
    return copied


# Freezing and versions -----------------------------------------------------------------


@transaction.atomic
def freeze(*, user, instrument: Instrument) -> Instrument:
    _require_edit(user, instrument.audit)
    if not instrument.is_frozen:
        instrument.frozen_at = timezone.now()
        instrument.frozen_by = user
        instrument.save(update_fields=["frozen_at", "frozen_by"])
    return instrument


def freeze_for_collection(*, user, audit: Audit) -> None:
    """Collection starts: every current instrument is frozen."""
    from . import selectors

    for instrument in selectors.current(audit).filter(frozen_at__isnull=True):
        freeze(user=user, instrument=instrument)


@transaction.atomic
def new_version(*, user, instrument: Instrument) -> Instrument:
    """Copy a frozen instrument into a new, editable version. Answers stay on the old one."""
    _require_edit(user, instrument.audit)
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if not instrument.is_current:
        raise ValidationError(_("A newer version already exists."))
    if not instrument.is_frozen:
        raise ValidationError(_("This version is not frozen: change it directly."))
    return copy_instrument(instrument, audit=instrument.audit, previous=instrument)


def copy_instrument(source: Instrument, *, audit: Audit, previous=None) -> Instrument:
    copy = Instrument.objects.create(
        audit=audit,
        title=source.title,
        kind=source.kind,
        respondent=source.respondent,
        languages=list(source.languages),
        intro=dict(source.intro),
        version=source.version + 1 if previous else 1,
        previous=previous,
    )
    if audit == source.audit:
        copy.target_groups.set(source.target_groups.all())
    for section in source.sections.all():
        items = list(section.items.filter(parent__isnull=True).prefetch_related("choices", "rows"))
        section.pk = None
        section.instrument = copy
        section.save()
        for item in items:
            _copy_item(item, section, audit)
    return copy


def _copy_item(item: Item, section: Section, audit: Audit, parent: Item | None = None) -> None:
    choices, rows = list(item.choices.all()), list(item.rows.all())
    item.pk = None
    item.section, item.parent = section, parent
    if item.audit_question_id and item.audit_question.audit_id != audit.pk:
        item.audit_question = None
    item.save()
    for choice in choices:
        choice.pk, choice.item = None, item
        choice.save()
    for row in rows:
        _copy_item(row, section, audit, parent=item)
