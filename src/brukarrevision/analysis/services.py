"""Every write of analysis: the codebook, codings, quotes and findings. Each is permission
checked here and runs in one transaction."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Answer
from brukarrevision.instruments.models import Item, QualityArea
from brukarrevision.permissions import Action, can

from .models import Code, Coding, Finding, Theme


def _require(user, action: Action, audit: Audit) -> None:
    if not can(user, action, audit):
        raise PermissionDenied(action)


def _quality_areas(codes) -> list[str]:
    chosen = [code for code in codes if code]
    if set(chosen) - set(QualityArea.values):
        raise ValidationError({"quality_areas": _("Choose quality areas from the list.")})
    return sorted(set(chosen), key=QualityArea.values.index)


# The codebook -----------------------------------------------------------------------------------


def theme_named(audit: Audit, name: str) -> Theme | None:
    name = name.strip()
    if not name:
        return None
    theme, _created = Theme.objects.get_or_create(audit=audit, name=name)
    return theme


def _color(value: str | None, current: str) -> str:
    """A colour as #rrggbb in small letters; None keeps the current one, "" clears it."""
    if value is None:
        return current
    value = value.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(digit * 2 for digit in value[1:])
    if value and not re.fullmatch(r"#[0-9a-f]{6}", value):
        raise ValidationError(
            {"color": _("Give the colour as # and six hex digits, like #a1b2c3.")}
        )
    return value


@transaction.atomic
def save_theme(
    *,
    user,
    audit: Audit,
    name: str,
    description: str | None = None,
    color: str | None = None,
    guid=None,
    theme: Theme | None = None,
) -> Theme:
    """A theme by its name, made if new; description and colour change when given. A new
    theme keeps the GUID it had in another program unless a theme or code already has it."""
    _require(user, Action.CODE_ANSWERS, audit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the theme a name.")})
    clash = Theme.objects.filter(audit=audit, name__iexact=name)
    if theme is not None:
        clash = clash.exclude(pk=theme.pk)
    if clash.exists():
        raise ValidationError({"name": _("The codebook already has a theme with this name.")})
    theme = theme or Theme(audit=audit)
    if theme.pk is None and guid and not Theme.objects.filter(guid=guid).exists():
        theme.guid = guid
    theme.name = name
    if description is not None:
        theme.description = description.strip()
    theme.color = _color(color, theme.color)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def save_code(
    *,
    user,
    audit: Audit,
    name: str,
    description: str = "",
    theme: str = "",
    quality_areas=(),
    code: Code | None = None,
    color: str | None = None,
    guid=None,
) -> Code:
    """Add or change a code. A colour of None keeps the code's colour; a new code keeps the
    GUID it had in another program (`guid`) unless a code already has it."""
    _require(user, Action.CODE_ANSWERS, audit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the code a name.")})
    clash = Code.objects.filter(audit=audit, name__iexact=name)
    if code is not None:
        clash = clash.exclude(pk=code.pk)
    if clash.exists():
        raise ValidationError({"name": _("The codebook already has a code with this name.")})
    code = code or Code(audit=audit)
    if code.pk is None and guid and not Code.objects.filter(guid=guid).exists():
        code.guid = guid
    code.name, code.description = name, description.strip()
    code.color = _color(color, code.color)
    code.theme = theme_named(audit, theme)
    code.quality_areas = _quality_areas(quality_areas)
    code.full_clean()
    code.save()
    return code


@transaction.atomic
def delete_code(*, user, code: Code) -> None:
    _require(user, Action.CODE_ANSWERS, code.audit)
    code.delete()


# Coding -------------------------------------------------------------------------------------------


def material(audit: Audit):
    """The text to code: free-text answers and interview notes of the audit."""
    return (
        Answer.objects.filter(response__audit=audit, item__kind__in=Item.TEXT_KINDS)
        .exclude(text="")
        .select_related("item", "response__unit", "response__target_group")
        .order_by("item__section__instrument_id", "item__code", "response_id")
    )


def _locate(text: str, passage: str, start: int | None) -> tuple[int, int]:
    """The passage's place in the text: by offsets when given (a mouse selection), else by
    finding the words (typed or pasted without JavaScript). Empty means the whole answer."""
    if not passage.strip():
        return 0, len(text)
    if start is not None and text[start : start + len(passage)] == passage:
        return start, start + len(passage)
    found = text.find(passage.strip())
    if found < 0:
        raise ValidationError(
            {"passage": _("These words are not in the answer. Copy them exactly, or leave empty.")}
        )
    return found, found + len(passage.strip())


@transaction.atomic
def code_passage(
    *,
    user,
    answer: Answer,
    code: Code,
    passage: str = "",
    start: int | None = None,
    is_quote: bool = False,
) -> Coding:
    audit = answer.response.audit
    _require(user, Action.CODE_ANSWERS, audit)
    if code.audit_id != audit.pk:
        raise ValidationError({"code": _("Choose a code from this audit's codebook.")})
    begin, end = _locate(answer.text, passage, start)
    coding, _created = Coding.objects.get_or_create(
        code=code,
        answer=answer,
        coder=user,
        start=begin,
        end=end,
        defaults={"passage": answer.text[begin:end], "is_quote": is_quote},
    )
    if is_quote and not coding.is_quote:
        coding.is_quote = True
        coding.save(update_fields=["is_quote"])
    return coding


def _own(user, coding: Coding) -> None:
    _require(user, Action.CODE_ANSWERS, coding.code.audit)
    if coding.coder_id != user.pk:
        raise PermissionDenied(_("Only the auditor who coded a passage can change it."))


@transaction.atomic
def remove_coding(*, user, coding: Coding) -> None:
    _own(user, coding)
    coding.delete()


@transaction.atomic
def mark_quote(*, user, coding: Coding, is_quote: bool) -> Coding:
    _own(user, coding)
    coding.is_quote = is_quote
    coding.save(update_fields=["is_quote"])
    return coding


# Findings -----------------------------------------------------------------------------------------


@transaction.atomic
def save_finding(
    *,
    user,
    audit: Audit,
    kind: str,
    title: str,
    text: str,
    quality_areas,
    items=(),
    codings=(),
    finding: Finding | None = None,
) -> Finding:
    _require(user, Action.WRITE_FINDINGS, audit)
    if kind not in Finding.Kind.values:
        raise ValidationError({"kind": _("Choose good example or area to improve.")})
    if not title.strip() or not text.strip():
        raise ValidationError(_("Write a heading and a text."))
    areas = _quality_areas(quality_areas)
    if not areas:
        raise ValidationError({"quality_areas": _("Choose at least one quality area.")})
    finding = finding or Finding(audit=audit, written_by=user)
    finding.kind, finding.title, finding.text = kind, title.strip(), text.strip()
    finding.quality_areas = areas
    finding.save()
    finding.items.set(
        Item.objects.filter(pk__in=[i.pk for i in items], section__instrument__audit=audit)
    )
    finding.codings.set(Coding.objects.filter(pk__in=[c.pk for c in codings], code__audit=audit))
    return finding


@transaction.atomic
def delete_finding(*, user, finding: Finding) -> None:
    _require(user, Action.WRITE_FINDINGS, finding.audit)
    finding.delete()
