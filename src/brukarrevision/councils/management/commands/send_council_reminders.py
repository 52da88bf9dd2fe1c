from django.core.management.base import BaseCommand

from brukarrevision.councils import services


class Command(BaseCommand):
    help = (
        "E-mail the owner of each council issue whose answer is overdue, once per overdue "
        "period (a new due date starts a new one). Run it daily."
    )

    def handle(self, **options):
        count = services.send_reminders()
        self.stdout.write(f"Reminded about {count} overdue council issues.")
