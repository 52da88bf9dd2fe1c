"""REFI-QDA projects (.qdpx): the audit's coded material, so that coded interviews and
free-text answers move to QualCoder, NVivo, MAXQDA or ATLAS.ti and back.

A .qdpx is a zip with `project.qde` (checked against Project.xsd) and a `sources` folder. The
export holds the auditors who coded (Users), the codebook with themes, colours and
descriptions, each free-text answer and interview note as a TextSource whose plain text is
`sources/<guid>.txt`, every auditor's coded passages as PlainTextSelections with a Coding that
names the code and the auditor (a quote for the report says so in the selection's
description), and the quality areas as Sets (see `analysis.codebook`). Raw answers leave the
system with it, so it is for the audit team only and every export is logged.

An import reads the codes into the codebook as a codebook import does, then the coded passages
of every text source whose text is exactly one of the audit's answers; a passage is the
auditor's who coded it when that person is in the audit team and may code (matched by the GUID
this export gives them, by e-mail or by name), otherwise the importing user's. Passages of
sources that are not the audit's answers are counted and left out. The file is refused as a
whole, with a message, when it is not a zip, has no project, unpacks to more than MAX_BYTES, or
does not follow the schema."""

import datetime
import io
import uuid
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.models import Audit
from brukarrevision.instruments import languages
from brukarrevision.instruments.models import Instrument
from brukarrevision.permissions import Action, can

from .. import codebook, services
from ..models import Coding
from . import schema
from .schema import PROJECT as NAMESPACE
from .schema import Refused

MAX_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 20_000
QDE = "project.qde"


def _tag(name: str) -> str:
    return schema.tag(NAMESPACE, name)


def derived_guid(kind: str, pk: int) -> uuid.UUID:
    """A GUID for a stored row that has none of its own, the same in every export."""
    return uuid.uuid5(codebook.GUIDS, f"{kind}/{pk}")


def _when(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Export -------------------------------------------------------------------------------------------


def may_export(user, audit: Audit) -> bool:
    return can(user, Action.CODE_ANSWERS, audit) or can(user, Action.VIEW_RAW_ANSWERS, audit)


def export_qdpx(*, user, audit: Audit, request=None) -> bytes:
    """The audit's coded material for the audit team; refused to anyone else, always logged."""
    if not may_export(user, audit):
        raise PermissionDenied(Action.VIEW_RAW_ANSWERS)
    record_event(
        SecurityEvent.Kind.RAW_DATA_EXPORTED,
        request=request,
        user=user,
        audit=audit,
        detail=f"audit {audit.slug}, REFI-QDA project (qdpx)",
    )
    return qdpx_bytes(audit)


def qdpx_bytes(audit: Audit) -> bytes:
    answers = list(services.material(audit).select_related("item__section__instrument"))
    codings = Coding.objects.filter(code__audit=audit, answer__in=answers).select_related(
        "code", "coder"
    )
    by_answer: dict[int, list[Coding]] = {}
    for coding in codings.order_by("answer_id", "start", "pk"):
        by_answer.setdefault(coding.answer_id, []).append(coding)
    root = etree.Element(_tag("Project"), nsmap={None: NAMESPACE})
    root.set("name", audit.title)
    root.set("origin", schema.ORIGIN)
    root.set("creationDateTime", _when(timezone.now()))
    _users(root, {c.coder_id: c.coder for found in by_answer.values() for c in found})
    codes = _codebook(root, audit)
    texts = _sources(root, answers, by_answer)
    codebook.write_sets(root, NAMESPACE, codes, member_attribute="targetGUID")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(QDE, schema.to_bytes(root))
        for name, text in texts.items():
            archive.writestr(f"sources/{name}", text.encode("utf-8"))
    return buffer.getvalue()


def _users(root, coders: dict) -> None:
    if not coders:
        return
    users = etree.SubElement(root, _tag("Users"))
    for person in sorted(coders.values(), key=lambda p: (p.full_name, p.email)):
        element = etree.SubElement(users, _tag("User"))
        element.set("guid", str(derived_guid("user", person.pk)))
        element.set("name", person.full_name or person.email)
        element.set("id", person.email)


def _codebook(root, audit: Audit) -> list:
    holder = etree.Element(_tag("CodeBook"))
    codes = etree.SubElement(holder, _tag("Codes"))
    written = codebook.write_codes(codes, audit, NAMESPACE)
    if len(codes):
        root.append(holder)
    return written


def _sources(root, answers, by_answer) -> dict[str, str]:
    """A TextSource per answer; returns the plain texts by file name in `sources/`."""
    if not answers:
        return {}
    sources = etree.SubElement(root, _tag("Sources"))
    texts = {}
    for answer in answers:
        guid = derived_guid("answer", answer.pk)
        texts[f"{guid}.txt"] = answer.text
        element = etree.SubElement(sources, _tag("TextSource"))
        element.set("guid", str(guid))
        element.set("name", f"{answer.item.code}-{answer.response_id}")
        element.set("plainTextPath", f"internal://{guid}.txt")
        etree.SubElement(element, _tag("Description")).text = _describe(answer)
        for coding in by_answer.get(answer.pk, []):
            _selection(element, coding)
    return texts


def _describe(answer) -> str:
    interview = answer.item.section.instrument.kind == Instrument.Kind.INTERVIEW_GUIDE
    kind = _("Interview note") if interview else _("Free-text answer")
    question = languages.text_in(answer.item.text, languages.PLAIN)
    response = answer.response
    return f"{kind}: {question} ({response.unit.name}, {response.target_group.name})"


def _selection(source, coding: Coding) -> None:
    coder = str(derived_guid("user", coding.coder_id))
    element = etree.SubElement(source, _tag("PlainTextSelection"))
    element.set("guid", str(derived_guid("selection", coding.pk)))
    element.set("name", coding.passage[:200])
    element.set("startPosition", str(coding.start))
    element.set("endPosition", str(coding.end))
    element.set("creatingUser", coder)
    element.set("creationDateTime", _when(coding.created_at))
    if coding.is_quote:
        etree.SubElement(element, _tag("Description")).text = _("Quote for the report")
    mark = etree.SubElement(element, _tag("Coding"))
    mark.set("guid", str(derived_guid("coding", coding.pk)))
    mark.set("creatingUser", coder)
    mark.set("creationDateTime", _when(coding.created_at))
    etree.SubElement(mark, _tag("CodeRef")).set("targetGUID", str(coding.code.guid))


# Reading the zip ----------------------------------------------------------------------------------


class Archive:
    """A .qdpx opened with its sizes checked before anything is unpacked."""

    def __init__(self, data: bytes):
        if len(data) > MAX_BYTES:
            raise Refused([too_large()])
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            entries = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
            raise Refused([_("The file is not a REFI-QDA project: it is not a zip.")]) from None
        if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_BYTES:
            raise Refused([too_large()])
        self.entries = {entry.filename.casefold(): entry for entry in entries}
        self.left = MAX_BYTES

    def project(self) -> bytes:
        entry = self.entries.get(QDE)
        if entry is None:
            found = [e for name, e in self.entries.items() if name.endswith(".qde")]
            entry = found[0] if len(found) == 1 else None
        if entry is None:
            raise Refused([_("The file has no REFI-QDA project in it (project.qde).")])
        return self.read(entry)

    def source(self, path: str | None) -> str | None:
        """The text at an internal:// path, or None when the project does not hold it."""
        if not path or not path.startswith("internal://"):
            return None
        entry = self.entries.get(f"sources/{path.removeprefix('internal://')}".casefold())
        if entry is None:
            return None
        return self.read(entry).decode("utf-8-sig", errors="replace")

    def read(self, entry: zipfile.ZipInfo) -> bytes:
        try:
            with self.zip.open(entry) as handle:
                data = handle.read(self.left + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
            raise Refused([_("The file is damaged: %(name)s cannot be unpacked.")
                           % {"name": entry.filename}]) from None  # fmt: skip
        self.left -= len(data)
        if self.left < 0:
            raise Refused([too_large()])
        return data


def too_large() -> str:
    return _("The file is too large: a project may hold at most %(mb)s MB unpacked.") % {
        "mb": MAX_BYTES // (1024 * 1024)
    }


# Import -------------------------------------------------------------------------------------------


@dataclass
class ProjectResult:
    codes_added: int = 0
    codes_updated: int = 0
    segments: int = 0
    skipped_not_in_audit: int = 0
    skipped_unreadable: int = 0
    sets_ignored: list[str] = field(default_factory=list)


def import_qdpx(*, user, audit: Audit, data: bytes) -> ProjectResult:
    """Codes and coded passages of a .qdpx into the audit. All or nothing; Refused says why."""
    if not can(user, Action.CODE_ANSWERS, audit):
        raise PermissionDenied(Action.CODE_ANSWERS)
    archive = Archive(data)
    root = schema.parse(archive.project(), NAMESPACE, "Project")
    book = codebook.read_book(
        root.find(f"{_tag('CodeBook')}/{_tag('Codes')}"),
        root.find(_tag("Sets")),
        NAMESPACE,
        member_attribute="targetGUID",
    )
    with transaction.atomic():
        applied = codebook.apply(user=user, audit=audit, book=book)
        result = ProjectResult(
            codes_added=applied.added,
            codes_updated=applied.updated,
            sets_ignored=applied.sets_ignored,
        )
        _Segments(user, audit, root, archive, applied.by_guid, result).run()
    return result


class _Segments:
    """The coded passages of the project's text sources, onto the audit's answers."""

    def __init__(self, user, audit, root, archive, codes, result):
        self.user, self.root, self.archive, self.codes = user, root, archive, codes
        self.result = result
        self.coders = _coders(audit, root)
        self.answers = {}
        for answer in services.material(audit):
            self.answers.setdefault(answer.text, []).append(answer)
        self.quote_marks = _quote_marks()

    def run(self) -> None:
        for source in self.root.iterfind(f"{_tag('Sources')}/{_tag('TextSource')}"):
            marks = [
                (selection, coding)
                for selection in source.iterchildren(_tag("PlainTextSelection"))
                for coding in selection.iterchildren(_tag("Coding"))
            ] + [(None, coding) for coding in source.iterchildren(_tag("Coding"))]
            if not marks:
                continue
            text = source.findtext(_tag("PlainTextContent"))
            if text is None:
                text = self.archive.source(source.get("plainTextPath"))
            answer = self._answer(source, text)
            if answer is None:
                self.result.skipped_not_in_audit += len(marks)
                continue
            for selection, coding in marks:
                self._code(answer, selection, coding)

    def _answer(self, source, text):
        same = self.answers.get(text, []) if text else []
        guid = schema.guid(source.get("guid"))
        mine = [a for a in same if derived_guid("answer", a.pk) == guid]
        return (mine or same or [None])[0]

    def _code(self, answer, selection, coding) -> None:
        code = self.codes.get(schema.guid(coding.find(_tag("CodeRef")).get("targetGUID")))
        start, end = _span(selection, answer.text)
        if code is None or end <= start or not answer.text[start:end].strip():
            self.result.skipped_unreadable += 1
            return
        made_by = coding.get("creatingUser") or (
            selection.get("creatingUser") if selection is not None else None
        )
        description = selection.findtext(_tag("Description")) if selection is not None else ""
        services.code_passage(
            user=self.coders.get(schema.guid(made_by), self.user),
            answer=answer,
            code=code,
            passage=answer.text[start:end],
            start=start,
            is_quote=(description or "").strip() in self.quote_marks,
        )
        self.result.segments += 1


def _span(selection, text: str) -> tuple[int, int]:
    if selection is None:  # a coding of the whole source
        return 0, len(text)
    start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
    if start < 0 or end > len(text):
        return 0, 0
    return start, end


def _quote_marks() -> set[str]:
    marks = set()
    for language in ("sv", "en"):
        with translation.override(language):
            marks.add(_("Quote for the report"))
    return marks


def _coders(audit: Audit, root) -> dict:
    """The project's users that are in the audit team and may code, by their GUID there."""
    team = {}
    for member in audit.members.select_related("user"):
        person = member.user
        if not can(person, Action.CODE_ANSWERS, audit):
            continue
        team[str(derived_guid("user", person.pk))] = person
        team[person.email.casefold()] = person
        if person.full_name:
            team.setdefault(person.full_name.casefold(), person)
    found = {}
    for element in root.iterfind(f"{_tag('Users')}/{_tag('User')}"):
        guid = schema.guid(element.get("guid"))
        keys = [str(guid), (element.get("id") or "").casefold(), (element.get("name") or "")]
        person = next((team[k.casefold()] for k in keys if k and k.casefold() in team), None)
        if person is not None:
            found[guid] = person
    return found
