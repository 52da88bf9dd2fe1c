from django.core.management.base import BaseCommand, CommandError

from brukarrevision.analysis import exports
from brukarrevision.analysis.management.commands._common import write
from brukarrevision.audits.models import Audit
from brukarrevision.releases import selectors


class Command(BaseCommand):
    help = (
        "Export an audit's released results, as clients see them (small groups hidden), to "
        "CSV (UTF-8 with BOM) or XLSX. Reads the latest release unless --release is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, help="The audit's slug.")
        parser.add_argument("--format", choices=exports.RESULT_FORMATS, default="csv")
        parser.add_argument("--out", required=True)
        parser.add_argument("--release", type=int, help="A release number (default: latest).")
        parser.add_argument(
            "--instrument", type=int, help="A questionnaire id (default: the first)."
        )
        parser.add_argument(
            "--by", default="", help="unit, target_group, channel, respondent or item:<code>."
        )

    def handle(self, audit, format, out, release=None, instrument=None, by="", **options):
        found = Audit.objects.filter(slug=audit).first()
        if found is None:
            raise CommandError(f"No audit with the slug {audit!r}.")
        chosen = (
            found.releases.filter(number=release).first() if release else selectors.latest(found)
        )
        if chosen is None:
            raise CommandError(f"The audit {audit!r} has no such release.")
        entry = selectors.entry_for(chosen, instrument)
        if entry is None:
            raise CommandError("The release has no such questionnaire.")
        if by not in entry[1]["breakdowns"]:
            raise CommandError(f"Cannot break down by {by!r}.")
        write(out, exports.export_results(selectors.rebuild(entry[1], by), format))
        self.stdout.write(f"Wrote release {chosen.number} of {found.slug} to {out}.")
