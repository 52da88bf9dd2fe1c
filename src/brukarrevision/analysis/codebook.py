"""Codebook import and export: CSV, and the REFI-QDA codebook exchange format (QDC), which
NVivo, MAXQDA, ATLAS.ti, QualCoder and Taguette read and write. The REFI-QDA project (.qdpx),
with the coded material, is in `refi_qda.project` and shares the code tree written here.

What travels both ways:

- GUIDs. Every code and theme has its own GUID, the same in every export, so other programs
  recognise their codes when a codebook comes back. A code (or theme) whose GUID is already in
  this audit's codebook is updated by an import (name, description, colour, theme, quality
  areas), never added twice. A GUID that belongs to another audit's code is not taken over: the
  new code gets a GUID of its own. Other codes already in the codebook (same name, other GUID)
  are kept as they are.
- Hierarchy. A theme is a REFI-QDA code that holds codes and is not codable
  (isCodable="false"); codes without a theme are top-level codes. Read back, each top-level
  code that holds codes or is not codable becomes a theme, and codes nested deeper are put in
  that top-level theme (a Brukarrevision codebook has two levels). A top-level code that holds
  codes and is itself codable (as NVivo and QualCoder write them) becomes a theme and, keeping
  the GUID, a code of the same name in that theme.
- Colours (#rrggbb) and descriptions, of codes and of themes.
- Quality areas, as sets. A REFI-QDA set is a named group of codes, which is what tying codes
  to a quality area is; so each quality area that codes are tied to is written as a <Set> with
  those codes as members, under a GUID fixed per quality area (the same in every audit and every
  export). Read back, a set is a quality area when it has one of these GUIDs, or is named as a
  quality area (in Swedish or English) or by its key; other sets are left out, and named in the
  result. A file with quality-area sets decides the quality areas of its codes; a file without
  any leaves them as they were.
- CSV: the columns name (required), description, theme, color, quality_areas (keys separated by
  ";") and guid.

The codebook schema wants at least one code, so an empty codebook is written with a single
non-codable code that says so, under a fixed GUID that imports skip. Every REFI-QDA file is
checked against the schema before anything in it is read."""

import csv
import io
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from brukarrevision.audits.models import Audit
from brukarrevision.instruments.models import QualityArea
from brukarrevision.lib import uploads
from brukarrevision.permissions import Action, can

from . import services
from .models import Code, Theme
from .refi_qda import schema
from .refi_qda.schema import CODEBOOK as NAMESPACE
from .refi_qda.schema import Refused as CodebookRefused
from .refi_qda.schema import tag

__all__ = ["CodebookRefused", "export_csv", "export_qdc", "import_codebook", "read"]

# Brukarrevision's own namespace for GUIDs derived from what it stores (uuid5).
GUIDS = uuid.UUID("bb9c054a-29e6-4cea-b633-eb53b0db0b7c")
EMPTY_CODEBOOK = uuid.uuid5(GUIDS, "empty-codebook")
CSV_COLUMNS = ["name", "description", "theme", "color", "quality_areas", "guid"]


def area_guid(area: str) -> uuid.UUID:
    return uuid.uuid5(GUIDS, f"quality-area/{area}")


@dataclass
class Entry:
    """A code or theme as a file gives it. None means the file does not say."""

    name: str
    description: str = ""
    theme: str = ""
    color: str | None = ""
    guid: uuid.UUID | None = None
    quality_areas: list[str] | None = None


@dataclass
class Book:
    themes: list[Entry] = field(default_factory=list)
    codes: list[Entry] = field(default_factory=list)
    sets_ignored: list[str] = field(default_factory=list)


@dataclass
class Result:
    added: int = 0
    updated: int = 0
    sets_ignored: list[str] = field(default_factory=list)
    by_guid: dict = field(default_factory=dict)  # GUID in the file -> the Code it became


# Export -------------------------------------------------------------------------------------------


def export_csv(audit: Audit) -> bytes:
    from brukarrevision.lib import spreadsheet

    rows = [
        [
            code.name,
            code.description,
            code.theme.name if code.theme else "",
            code.color,
            ";".join(code.quality_areas),
            str(code.guid),
        ]
        for code in Code.objects.filter(audit=audit).select_related("theme")
    ]
    return spreadsheet.csv_bytes(CSV_COLUMNS, rows)


def export_qdc(audit: Audit) -> bytes:
    root = etree.Element(tag(NAMESPACE, "CodeBook"), nsmap={None: NAMESPACE})
    root.set("origin", schema.ORIGIN)
    codes = etree.SubElement(root, tag(NAMESPACE, "Codes"))
    written = write_codes(codes, audit, NAMESPACE)
    if len(codes) == 0:
        _code_element(
            codes,
            NAMESPACE,
            guid=EMPTY_CODEBOOK,
            name=_("Empty codebook"),
            description=_("The codebook of this audit has no codes yet."),
            codable=False,
        )
    write_sets(root, NAMESPACE, written, member_attribute="guid")
    return schema.to_bytes(root)


def write_codes(parent, audit: Audit, namespace: str) -> list[Code]:
    """Themes as non-codable codes holding their codes, then the codes without a theme."""
    codes = list(Code.objects.filter(audit=audit).select_related("theme"))
    by_theme: dict[int | None, list[Code]] = {}
    for code in codes:
        by_theme.setdefault(code.theme_id, []).append(code)
    for theme in Theme.objects.filter(audit=audit):
        holder = _code_element(parent, namespace, **_fields(theme), codable=False)
        for code in by_theme.get(theme.pk, []):
            _code_element(holder, namespace, **_fields(code), codable=True)
    for code in by_theme.get(None, []):
        _code_element(parent, namespace, **_fields(code), codable=True)
    return codes


def _fields(row) -> dict:
    return {
        "guid": row.guid,
        "name": row.name,
        "description": row.description,
        "color": row.color,
    }


def _code_element(parent, namespace, *, guid, name, description, codable, color=""):
    element = etree.SubElement(parent, tag(namespace, "Code"))
    element.set("guid", str(guid))
    element.set("name", name)
    element.set("isCodable", "true" if codable else "false")
    if color:
        element.set("color", color)
    if description:
        etree.SubElement(element, tag(namespace, "Description")).text = description
    return element


def write_sets(parent, namespace: str, codes: list[Code], member_attribute: str) -> None:
    """One set per quality area that codes are tied to, its members those codes."""
    sets = etree.Element(tag(namespace, "Sets"))
    for area in QualityArea:
        members = [code for code in codes if area.value in code.quality_areas]
        if not members:
            continue
        element = etree.SubElement(sets, tag(namespace, "Set"))
        element.set("guid", str(area_guid(area.value)))
        element.set("name", str(area.label))
        etree.SubElement(element, tag(namespace, "Description")).text = _(
            "Quality area in Brukarrevision (%(key)s)"
        ) % {"key": area.value}
        for code in members:
            etree.SubElement(element, tag(namespace, "MemberCode")).set(
                member_attribute, str(code.guid)
            )
    if len(sets):
        parent.append(sets)


# Reading ------------------------------------------------------------------------------------------


def read(data: bytes, filename: str) -> Book:
    """The codes and themes of a CSV or QDC file, or CodebookRefused."""
    try:
        uploads.check(data)
    except uploads.TooLarge as error:
        raise CodebookRefused([str(error)]) from None
    if filename.lower().endswith((".qdc", ".xml")):
        return _read_qdc(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> Book:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookRefused([_("The file is not UTF-8 text.")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "name" not in header:
        raise CodebookRefused([_("Row 1: the column “name” is missing.")])
    reader.fieldnames = header
    book, problems = Book(), []
    for number, row in enumerate(reader, start=2):
        try:
            book.codes.append(_csv_entry(row, header))
        except ValueError as error:
            problems.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": error})
    if problems:
        raise CodebookRefused(problems)
    return book


def _csv_entry(row: dict, header: list[str]) -> Entry:
    def cell(name):
        return (row.get(name) or "").strip()

    if not cell("name"):
        raise ValueError(_("the name is empty."))
    areas = None
    if "quality_areas" in header:
        areas = [a.strip() for a in cell("quality_areas").replace(",", ";").split(";") if a.strip()]
        if set(areas) - set(QualityArea.values):
            raise ValueError(_("choose quality areas from the list."))
    return Entry(
        name=cell("name"),
        description=cell("description"),
        theme=cell("theme"),
        color=cell("color") if "color" in header else None,
        guid=schema.guid(cell("guid")),
        quality_areas=areas,
    )


def _read_qdc(data: bytes) -> Book:
    root = schema.parse(data, NAMESPACE, "CodeBook")
    return read_book(
        root.find(tag(NAMESPACE, "Codes")),
        root.find(tag(NAMESPACE, "Sets")),
        NAMESPACE,
        member_attribute="guid",
    )


def read_book(codes, sets, namespace: str, member_attribute: str) -> Book:
    """Themes and codes from a <Codes> element, quality areas from a <Sets> element."""
    book = Book()
    for element in codes.iterchildren(tag(namespace, "Code")) if codes is not None else []:
        if schema.guid(element.get("guid")) != EMPTY_CODEBOOK:
            _read_top(element, namespace, book)
    areas, book.sets_ignored = _read_sets(sets, namespace, member_attribute)
    if areas is not None:
        for entry in book.codes:
            entry.quality_areas = areas.get(entry.guid, [])
    return book


def _codable(element) -> bool:
    return (element.get("isCodable") or "true").strip() in ("true", "1")


def _entry(element, namespace: str, theme: str = "") -> Entry:
    description = element.find(tag(namespace, "Description"))
    return Entry(
        name=(element.get("name") or "").strip(),
        description=(description.text or "").strip() if description is not None else "",
        theme=theme,
        color=element.get("color") or "",
        guid=schema.guid(element.get("guid")),
    )


def _read_top(element, namespace: str, book: Book) -> None:
    entry = _entry(element, namespace)
    children = element.findall(tag(namespace, "Code"))
    if not children and _codable(element):
        book.codes.append(entry)
        return
    theme_guid = entry.guid
    if _codable(element):  # a code that holds codes: a theme, and a code in it keeps the GUID
        theme_guid = uuid.uuid5(entry.guid, "theme") if entry.guid else None
        entry.theme = entry.name
        book.codes.append(entry)
    book.themes.append(Entry(entry.name, entry.description, color=entry.color, guid=theme_guid))
    for child in children:
        _read_nested(child, namespace, entry.name, book)


def _read_nested(element, namespace: str, theme: str, book: Book) -> None:
    if _codable(element):
        book.codes.append(_entry(element, namespace, theme))
    for child in element.findall(tag(namespace, "Code")):
        _read_nested(child, namespace, theme, book)


def _read_sets(sets, namespace: str, member_attribute: str):
    """({code GUID: quality areas} or None when no set is a quality area, sets left out)."""
    if sets is None:
        return None, []
    names = _area_names()
    areas: dict = {}
    ignored, found = [], False
    for element in sets.iterchildren(tag(namespace, "Set")):
        area = names.get(str(schema.guid(element.get("guid")))) or names.get(
            (element.get("name") or "").strip().casefold()
        )
        if area is None:
            ignored.append(element.get("name") or "")
            continue
        found = True
        for member in element.iterchildren(tag(namespace, "MemberCode")):
            listed = areas.setdefault(schema.guid(member.get(member_attribute)), [])
            if area not in listed:
                listed.append(area)
    return (areas if found else None), ignored


def _area_names() -> dict[str, str]:
    """Quality areas by GUID, key, and Swedish and English name (case folded)."""
    names = {}
    for area in QualityArea:
        names[str(area_guid(area.value))] = area.value
        names[area.value.casefold()] = area.value
        for language in ("sv", "en"):
            with translation.override(language):
                names[str(area.label).casefold()] = area.value
    return names


# Import -------------------------------------------------------------------------------------------


@transaction.atomic
def apply(*, user, audit: Audit, book: Book) -> Result:
    """Bring the codes and themes of `book` into the audit's codebook. All or nothing."""
    if not can(user, Action.CODE_ANSWERS, audit):
        raise PermissionDenied(Action.CODE_ANSWERS)
    result = Result(sets_ignored=book.sets_ignored)
    themes = {}
    for entry in book.themes:
        theme = _apply_theme(user, audit, entry)
        themes[entry.name.casefold()] = theme.name
    for entry in book.codes:
        if entry.name:
            entry.theme = themes.get(entry.theme.casefold()) or _theme_name(audit, entry.theme)
            _apply_code(user, audit, entry, result)
    return result


def _theme_name(audit: Audit, name: str) -> str:
    """The name of the theme already in the codebook that differs only in case, if any."""
    found = Theme.objects.filter(audit=audit, name__iexact=name.strip()).first()
    return found.name if found and name.strip() else name


def _refused(entry: Entry, error: ValidationError) -> CodebookRefused:
    return CodebookRefused([f"{entry.name}: {'; '.join(error.messages)}"])


def _apply_theme(user, audit: Audit, entry: Entry) -> Theme:
    found = Theme.objects.filter(audit=audit, guid=entry.guid).first() if entry.guid else None
    same_name = Theme.objects.filter(audit=audit, name__iexact=entry.name).first()
    if found is None and same_name is not None:
        return same_name  # a theme already in the codebook keeps what it has
    try:
        return services.save_theme(
            user=user,
            audit=audit,
            name=entry.name,
            description=entry.description,
            color=entry.color,
            guid=entry.guid,
            theme=found,
        )
    except ValidationError as error:
        raise _refused(entry, error) from None


def _apply_code(user, audit: Audit, entry: Entry, result: Result) -> None:
    found = Code.objects.filter(audit=audit, guid=entry.guid).first() if entry.guid else None
    if found is None:
        same_name = Code.objects.filter(audit=audit, name__iexact=entry.name).first()
        if same_name is not None:  # kept as it is
            _remember(result, entry, same_name)
            return
    areas = entry.quality_areas
    if areas is None:
        areas = found.quality_areas if found else []
    try:
        code = services.save_code(
            user=user,
            audit=audit,
            name=entry.name,
            description=entry.description,
            theme=entry.theme,
            quality_areas=areas,
            color=entry.color,
            guid=entry.guid,
            code=found,
        )
    except ValidationError as error:
        raise _refused(entry, error) from None
    _remember(result, entry, code)
    if found is None:
        result.added += 1
    else:
        result.updated += 1


def _remember(result: Result, entry: Entry, code: Code) -> None:
    if entry.guid:
        result.by_guid[entry.guid] = code


def import_file(*, user, audit: Audit, data: bytes, filename: str) -> Result:
    """A CSV or QDC codebook into the audit's codebook; CodebookRefused says why not."""
    return apply(user=user, audit=audit, book=read(data, filename))


def import_codebook(*, user, audit: Audit, data: bytes, filename: str) -> int:
    """As import_file; returns how many codes were added."""
    return import_file(user=user, audit=audit, data=data, filename=filename).added
