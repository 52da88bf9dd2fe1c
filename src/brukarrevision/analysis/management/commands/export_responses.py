import getpass

from django.core.management.base import BaseCommand, CommandError

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.accounts.services import record_event
from brukarrevision.analysis import exports

from ._common import questionnaire, write


class Command(BaseCommand):
    help = (
        "Export raw answers, one row per response (multiple choice as one column per option). "
        "With --user the export is taken in that team member's name and refused to anyone "
        "outside the audit team; without it, in the name of the server account running the "
        "command. Every export is logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, help="The audit's slug.")
        parser.add_argument("--format", choices=exports.RESPONSE_FORMATS, default="csv")
        parser.add_argument("--out", required=True)
        parser.add_argument("--user", help="E-mail of the audit team member taking the export.")
        parser.add_argument("--instrument", type=int)
        parser.add_argument(
            "--values", choices=["labels", "codes"], default="labels", help="CSV and XLSX only."
        )

    def handle(self, audit, format, out, user=None, instrument=None, values="labels", **options):
        found = questionnaire(audit, instrument)
        labels = values == "labels"
        if user:
            data = self._as_member(found, format, user, labels)
        else:
            exports.log_export(found, format, identifier=f"shell:{getpass.getuser()}")
            data = exports.responses_bytes(found, format, labels)
        write(out, data)
        self.stdout.write(f"Wrote the responses to {found} to {out}; the export is logged.")

    def _as_member(self, instrument, fmt, email, labels) -> bytes:
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise CommandError(f"No active user {email!r}.")
        try:
            return exports.export_responses(
                user=person, instrument=instrument, fmt=fmt, labels=labels
            )
        except exports.PermissionDenied:
            record_event(
                SecurityEvent.Kind.ACCESS_REFUSED,
                user=person,
                audit=instrument.audit,
                detail=f"export_responses {instrument.audit.slug}",
            )
            raise CommandError(
                f"{email} may not see raw answers of {instrument.audit.slug!r}: only the audit "
                "team, after signing the confidentiality pledge."
            ) from None
