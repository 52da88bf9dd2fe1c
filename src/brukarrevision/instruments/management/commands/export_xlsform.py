from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brukarrevision.audits.models import Audit
from brukarrevision.instruments import selectors, xlsform


class Command(BaseCommand):
    help = "Export an audit's questionnaire (the newest version) as an XLSForm file."

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, help="The audit's slug.")
        parser.add_argument("--out", required=True, help="Where to write the .xlsx file.")
        parser.add_argument(
            "--instrument", type=int, help="Which instrument, when the audit has several."
        )

    def handle(self, audit, out, instrument=None, **options):
        found = Audit.objects.filter(slug=audit).first()
        if found is None:
            raise CommandError(f"No audit with the slug {audit!r}.")
        chosen = self._choose(found, instrument)
        Path(out).write_bytes(xlsform.export_xlsform(chosen))
        self.stdout.write(self.style.SUCCESS(f"Wrote {chosen} to {out}."))

    def _choose(self, audit, pk):
        current = list(selectors.current(audit))
        if pk is not None:
            match = [i for i in current if i.pk == pk]
            if not match:
                raise CommandError(f"The audit has no current instrument {pk}.")
            return match[0]
        questionnaires = [i for i in current if i.kind == "questionnaire"] or current
        if len(questionnaires) == 1:
            return questionnaires[0]
        if not questionnaires:
            raise CommandError("The audit has no instruments yet.")
        listing = ", ".join(f"{i.pk} ({i.title})" for i in questionnaires)
        raise CommandError(
            f"The audit has several questionnaires; choose with --instrument: {listing}"
        )
