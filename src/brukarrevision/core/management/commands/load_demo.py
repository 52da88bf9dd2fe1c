import logging

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from brukarrevision.core import demo


class Command(BaseCommand):
    help = "Load the fictional demo data (does nothing if it is already loaded)."

    def handle(self, *args, **options):
        # The demo's own applications would otherwise e-mail the demo coordinator.
        # Its task log lines would bury the one line a new user needs to read.
        tasks_log = logging.getLogger("django_tasks")
        level = tasks_log.level
        tasks_log.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                demo.load()
        finally:
            tasks_log.setLevel(level)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded. Password for every demo account: {demo.DEMO_PASSWORD}"
            )
        )
