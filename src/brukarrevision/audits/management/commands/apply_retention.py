from django.core.management.base import BaseCommand

from brukarrevision.audits import retention


class Command(BaseCommand):
    help = (
        "Warn the coordinators once when an audit's retention date is 30 days away or less, "
        "and delete the raw data (answers, drafts, interview notes and contacts, coded "
        "passages, draft renderings) of audits whose date has come. Releases and published "
        "reports stay. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only tell what would be done.")

    def handle(self, dry_run, **options):
        run = retention.apply_retention(dry_run=dry_run)
        would = "Would warn" if dry_run else "Warned"
        for audit, recipients in run.warned:
            self.stdout.write(
                f"{would} {len(recipients)} coordinators: {audit.slug} is deleted on "
                f"{audit.retention_until.isoformat()}."
            )
        would = "Would delete" if dry_run else "Deleted"
        for deleted in run.deleted:
            self.stdout.write(
                f"{would} the raw data of {deleted.audit.slug} "
                f"(retention date {deleted.audit.retention_until.isoformat()}): "
                f"{deleted.summary()}."
            )
        if not run.warned and not run.deleted:
            self.stdout.write("Nothing to warn about or delete today.")
