from pathlib import Path

from django.core.management.base import CommandError

from brukarrevision.audits.models import Audit
from brukarrevision.instruments import selectors as instrument_selectors


def questionnaire(slug: str, instrument_id: int | None):
    audit = Audit.objects.filter(slug=slug).first()
    if audit is None:
        raise CommandError(f"No audit with the slug {slug!r}.")
    found = instrument_selectors.questionnaires(audit)
    instrument = found.filter(pk=instrument_id).first() if instrument_id else found.first()
    if instrument is None:
        raise CommandError(f"The audit {slug!r} has no such questionnaire.")
    return instrument


def write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror}") from None
