from django.core.management.base import BaseCommand

from brukarrevision.followup import services


class Command(BaseCommand):
    help = (
        "E-mail reminders about actions due within a week or without an update for a month "
        "to the unit contacts and the coordinator. Run it daily."
    )

    def handle(self, **options):
        count = services.send_reminders()
        self.stdout.write(f"Reminded about {count} actions.")
