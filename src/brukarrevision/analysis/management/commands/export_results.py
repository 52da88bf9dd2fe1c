from django.core.management.base import BaseCommand

from brukarrevision.analysis import exports, results

from ._common import questionnaire, write


class Command(BaseCommand):
    help = (
        "Export an audit's results, aggregated and with small groups suppressed as clients "
        "see them, to CSV (UTF-8 with BOM) or XLSX."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, help="The audit's slug.")
        parser.add_argument("--format", choices=exports.RESULT_FORMATS, default="csv")
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--instrument", type=int, help="A questionnaire id (default: the first)."
        )
        parser.add_argument(
            "--by", default="", help="unit, target_group, channel, respondent or item:<code>."
        )

    def handle(self, audit, format, out, instrument=None, by="", **options):
        found = questionnaire(audit, instrument)
        if by and by not in {b.key for b in results.breakdowns(found)}:
            from django.core.management.base import CommandError

            raise CommandError(f"Cannot break down by {by!r}.")
        write(out, exports.export_results(found, format, by))
        self.stdout.write(f"Wrote the results of {found} to {out}.")
