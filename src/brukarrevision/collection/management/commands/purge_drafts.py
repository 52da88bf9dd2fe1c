from django.core.management.base import BaseCommand

from brukarrevision.collection import services
from brukarrevision.collection.survey import COOKIE_DAYS


class Command(BaseCommand):
    help = (
        "Delete unfinished survey answers that nobody has touched for DAYS days (default: as "
        "long as the browser keeps the key to them). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=COOKIE_DAYS)

    def handle(self, days, **options):
        deleted = services.purge_old_drafts(days=days)
        self.stdout.write(f"Deleted {deleted} unfinished survey answers older than {days} days.")
