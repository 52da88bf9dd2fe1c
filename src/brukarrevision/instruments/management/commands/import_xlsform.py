from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brukarrevision.audits.models import Audit
from brukarrevision.instruments import xlsform


class Command(BaseCommand):
    help = "Import an XLSForm file as a new instrument of an audit (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--audit", required=True, help="The audit's slug.")
        parser.add_argument("--title", default="", help="Title; else the form's form_title.")

    def handle(self, path, audit, title, **options):
        found = Audit.objects.filter(slug=audit).first()
        if found is None:
            raise CommandError(f"No audit with the slug {audit!r}.")
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            instrument = xlsform.import_xlsform(data, audit=found, user=None, title=title)
        except xlsform.XLSFormRefused as refused:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(str(p) for p in refused.problems)
            ) from None
        items = instrument.all_items().count()
        self.stdout.write(
            self.style.SUCCESS(f"Imported {instrument} with {items} items into {found.slug}.")
        )
