from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from brukarrevision.core import demo


class Command(BaseCommand):
    help = "Load the fictional demo data (does nothing if it is already loaded)."

    def handle(self, *args, **options):
        # The demo's own applications would otherwise e-mail the demo coordinator.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded. Password for every demo account: {demo.DEMO_PASSWORD}"
            )
        )
