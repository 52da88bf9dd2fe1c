from django.core.management.base import BaseCommand

from brukarrevision.certification import services


class Command(BaseCommand):
    help = (
        "Certification of user influence, run daily: certificates whose follow-up was missed or "
        "whose action plan stalled lapse, those past their date expire, and the unit's contacts "
        "and the coordinators are e-mailed about follow-ups coming up or overdue."
    )

    def handle(self, **options):
        changed = services.apply_lapses()
        count = services.send_reminders()
        self.stdout.write(
            f"{len(changed)} certificates lapsed or expired; reminded about {count} follow-ups."
        )
