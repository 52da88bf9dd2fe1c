from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brukarrevision.audits.models import Audit
from brukarrevision.collection import importing


class Command(BaseCommand):
    help = "Import typed-in paper responses from a CSV or XLSX file: every row or none."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--audit", required=True, help="The audit's slug.")

    def handle(self, path, audit, **options):
        found = Audit.objects.filter(slug=audit).first()
        if found is None:
            raise CommandError(f"No audit with the slug {audit!r}.")
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            created = importing.import_responses(data, path, audit=found)
        except importing.ImportRefused as refused:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(str(p) for p in refused.problems)
            ) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path} as CSV or XLSX: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {created} new responses into {audit}."))
