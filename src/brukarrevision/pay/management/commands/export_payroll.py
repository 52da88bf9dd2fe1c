"""The monthly payroll basis for scripts:
manage.py export_payroll --organisation 3 --month 2026-03 --format paxml --out mars.xml"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.organisations.models import Organisation
from brukarrevision.pay import payroll


def find_organisation(key: str) -> Organisation:
    performers = Organisation.objects.filter(kind=Organisation.Kind.PERFORMER)
    if key.isdigit():
        found = performers.filter(pk=int(key)).first()
        if found:
            return found
    for organisation in performers:
        if slugify(organisation.name) == slugify(key):
            return organisation
    raise CommandError(f"No user organisation with the id or name slug {key!r}.")


class Command(BaseCommand):
    help = (
        "Write an organisation's payroll basis for a month (approved fees and travel) as "
        "PAXml 2.0 or XLSX. --organisation takes the organisation's id (a number, as in "
        "/pay/organisations/<id>/) or the slug of its name (for example brukarkraft-vast)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation",
            required=True,
            help="The id, or the name as a slug (Brukarkraft Väst: brukarkraft-vast).",
        )
        parser.add_argument("--month", required=True, help="YYYY-MM, for example 2026-03.")
        parser.add_argument("--format", choices=["paxml", "xlsx"], default="paxml")
        parser.add_argument("--out", required=True, help="The file to write.")

    def handle(self, *args, organisation, month, format, out, **options):
        found = find_organisation(organisation)
        try:
            basis = payroll.basis(found, month)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        data = payroll.paxml_bytes(basis) if format == "paxml" else payroll.xlsx_bytes(basis)
        Path(out).write_bytes(data)
        record_event(
            SecurityEvent.Kind.PERSONAL_DATA_EXPORTED,
            identifier="manage.py export_payroll",
            detail=(
                f"payroll basis {month} ({format}) for {found.name} to {out}: "
                f"{len(basis.rows)} rows, total {basis.total}"
            ),
        )
        self.stdout.write(
            f"{found.name} {month}: {len(basis.rows)} rows, {basis.total} SEK -> {out}"
        )
        for name in basis.missing_payroll_id:
            self.stderr.write(f"No employee number: {name}")
