from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brukarrevision.audits.models import Audit
from brukarrevision.reports import services


class Command(BaseCommand):
    help = (
        "Render an audit's report (or with --easy-read its easy-to-read summary) as DOCX, "
        "PDF (tagged PDF/UA) or HTML. Every figure is suppressed as for clients."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, help="The audit's slug.")
        parser.add_argument("--format", choices=["docx", "pdf", "html"], default="pdf")
        parser.add_argument("--easy-read", action="store_true")
        parser.add_argument("--out", required=True)

    def handle(self, audit, format, easy_read, out, **options):
        found = Audit.objects.filter(slug=audit).first()
        if found is None:
            raise CommandError(f"No audit with the slug {audit!r}.")

        def progress(share, step):
            self.stdout.write(f"{int(100 * share):3d} % {step}")

        data = services.render(found, format, easy_read, progress)
        try:
            Path(out).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}") from None
        self.stdout.write(f"100 % Wrote {out}.")
