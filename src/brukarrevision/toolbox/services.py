"""Every write of the toolbox: entries and their attachments, by editors only."""

from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from brukarrevision import permissions

from .models import Attachment, Entry

MAX_ATTACHMENT = 10 * 1024 * 1024
ALLOWED_SUFFIXES = {
    ".pdf",
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
    ".odp",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
}
FIELDS = [
    "title",
    "kind",
    "summary",
    "purpose",
    "suits",
    "levels",
    "quality_areas",
    "steps",
    "time_needed",
    "easy_text",
]


def _require_editor(user) -> None:
    if not permissions.may_edit_toolbox(user):
        raise PermissionDenied("edit toolbox")


def _free_slug(title: str, exclude_pk=None) -> str:
    base = slugify(title.replace("å", "a").replace("ä", "a").replace("ö", "o"))[:70] or "post"
    slug, number = (f"{base}-2", 3) if base == "new" else (base, 2)
    while Entry.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def save_entry(*, by, data: dict, entry: Entry | None = None) -> Entry:
    _require_editor(by)
    entry = entry or Entry()
    for name in FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    if not entry.slug:
        entry.slug = _free_slug(entry.title)
    entry.updated_by = by
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def add_attachment(*, by, entry: Entry, title: str, upload) -> Attachment:
    """Store a file for an entry: at most MAX_ATTACHMENT bytes, of a common document kind."""
    _require_editor(by)
    filename = PurePath(upload.name).name[:200]
    if PurePath(filename).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError(
            {"file": _("Choose a PDF, Word, Excel, PowerPoint, OpenDocument, text or image file.")}
        )
    if upload.size > MAX_ATTACHMENT:
        raise ValidationError(
            {"file": _("The file is too large: at most %(mb)s MB.") % {"mb": MAX_ATTACHMENT >> 20}}
        )
    content = upload.read(MAX_ATTACHMENT + 1)
    if len(content) > MAX_ATTACHMENT:
        raise ValidationError(
            {"file": _("The file is too large: at most %(mb)s MB.") % {"mb": MAX_ATTACHMENT >> 20}}
        )
    return Attachment.objects.create(
        entry=entry,
        title=title.strip() or filename,
        filename=filename,
        size=len(content),
        content=content,
        uploaded_by=by,
    )


@transaction.atomic
def remove_attachment(*, by, attachment: Attachment) -> None:
    _require_editor(by)
    attachment.delete()
