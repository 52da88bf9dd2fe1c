from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from brukarrevision.analysis import codebook
from brukarrevision.analysis.refi_qda import project

from ._codebook import audit_named, coder


class Command(BaseCommand):
    help = (
        "Import a codebook (REFI-QDA .qdc, or CSV) or a REFI-QDA project (.qdpx, with its "
        "coded passages) into an audit, all or nothing. Codes that came from this audit are "
        "updated by their GUID. The import is made in the name of --user, or else of the "
        "audit's coordinator; coded passages keep their auditor when that person is in the "
        "audit team."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--audit", required=True, help="The audit's slug.")
        parser.add_argument("--user", help="E-mail of the audit team member importing.")

    @no_translations
    def handle(self, path, audit, user=None, **options):
        found = audit_named(audit)
        member = coder(found, user)
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            if path.lower().endswith(".qdpx"):
                done = project.import_qdpx(user=member, audit=found, data=data)
                text = self._project(done)
            else:
                done = codebook.import_file(user=member, audit=found, data=data, filename=path)
                text = f"Codes added: {done.added}; updated: {done.updated}."
        except codebook.CodebookRefused as refused:
            raise CommandError("Nothing was imported:\n" + "\n".join(refused.problems)) from None
        if done.sets_ignored:
            text += f" Sets left out (not quality areas): {', '.join(done.sets_ignored)}."
        self.stdout.write(self.style.SUCCESS(f"{found.slug}: {text}"))

    def _project(self, done) -> str:
        return (
            f"Codes added: {done.codes_added}; updated: {done.codes_updated}. "
            f"Coded passages imported: {done.segments}; left out because their text is not "
            f"among the audit's answers: {done.skipped_not_in_audit}; left out as unreadable: "
            f"{done.skipped_unreadable}."
        )
