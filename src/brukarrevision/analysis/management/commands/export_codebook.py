import getpass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import translation

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.analysis import codebook
from brukarrevision.analysis.refi_qda import project

from ._codebook import audit_named, person
from ._common import write

FORMATS = ("qdc", "csv", "qdpx")


class Command(BaseCommand):
    help = (
        "Export an audit's codebook as REFI-QDA (qdc) or CSV, or its coded material as a "
        "REFI-QDA project (qdpx: free-text answers and interview notes, codes and coded "
        "passages). A qdpx holds raw answers: with --user it is taken in that team member's "
        "name and refused to anyone outside the audit team; without it, in the name of the "
        "server account running the command. Every qdpx export is logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, help="The audit's slug.")
        parser.add_argument("--format", choices=FORMATS, default="qdc")
        parser.add_argument("--out", required=True)
        parser.add_argument("--user", help="E-mail of the audit team member taking a qdpx.")

    # Messages in English, like the other commands; the file in the site's language.
    @no_translations
    def handle(self, audit, format, out, user=None, **options):
        found = audit_named(audit)
        with translation.override(settings.LANGUAGE_CODE):
            if format == "csv":
                data = codebook.export_csv(found)
            elif format == "qdc":
                data = codebook.export_qdc(found)
            else:
                data = self._project(found, user)
        write(out, data)
        logged = "; the export is logged" if format == "qdpx" else ""
        self.stdout.write(f"Wrote the {format} of {found.slug} to {out}{logged}.")

    def _project(self, audit, email) -> bytes:
        if not email:
            record_event(
                SecurityEvent.Kind.RAW_DATA_EXPORTED,
                identifier=f"shell:{getpass.getuser()}",
                audit=audit,
                detail=f"audit {audit.slug}, REFI-QDA project (qdpx)",
            )
            return project.qdpx_bytes(audit)
        member = person(email)
        try:
            return project.export_qdpx(user=member, audit=audit)
        except PermissionDenied:
            record_event(
                SecurityEvent.Kind.ACCESS_REFUSED, user=member, detail=f"qdpx {audit.slug}"
            )
            raise CommandError(
                f"{email} may not see raw answers of {audit.slug!r}: only the audit team, after "
                "signing the confidentiality pledge."
            ) from None
