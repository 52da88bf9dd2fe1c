from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _

from brukarrevision.audits.models import Audit
from brukarrevision.collection import importing


class Command(BaseCommand):
    help = (
        "Import typed-in paper responses from a CSV or XLSX file and print what became of "
        "each row. Forms already stored are skipped; if any row is refused, nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--audit", required=True, help="The audit's slug.")

    # Output in English, like the other commands: operators' logs and scripts read it.
    @no_translations
    def handle(self, path, audit, **options):
        found = Audit.objects.filter(slug=audit).first()
        if found is None:
            raise CommandError(f"No audit with the slug {audit!r}.")
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            report = importing.import_responses(data, path, audit=found)
        except importing.ImportRefused as refused:
            self._print(refused.report)
            raise CommandError(
                _("Nothing was imported:") + "\n" + "\n".join(str(p) for p in refused.problems)
            ) from None
        except importing.Unreadable as error:
            raise CommandError(f"Cannot read {path} as CSV or XLSX: {error}") from None
        self._print(report)
        self.stdout.write(self.style.SUCCESS(_summary(importing.summarise(report), audit)))

    def _print(self, report):
        for row in report:
            number = row.paper_number or "-"
            reasons = "; ".join(row.reasons)
            line = _("row %(row)s, paper form %(number)s: %(outcome)s") % {
                "row": row.row,
                "number": number,
                "outcome": row.outcome.label,
            }
            self.stdout.write(f"{line}{' (' + reasons + ')' if reasons else ''}")


def _summary(summary, audit: str) -> str:
    text = _("Imported %(imported)s new responses into %(audit)s; %(skipped)s skipped.") % {
        "imported": summary.imported,
        "audit": audit,
        "skipped": summary.skipped,
    }
    if summary.unnumbered:
        text += " " + importing.unnumbered_note(summary.unnumbered)
    return text
