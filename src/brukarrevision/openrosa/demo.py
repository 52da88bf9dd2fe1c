"""The demo's ODK side: the first auditor has an app password for ODK Collect, so the
demo can be tried with the app against a local server."""

from .models import AppPassword

DEMO_APP_PASSWORD = "demo-odk1-2027-brev-isor"


def load(auditor) -> None:
    from . import services

    if AppPassword.objects.filter(user=auditor).exists():
        return
    services.make_app_password(user=auditor, label="Demotelefon", secret=DEMO_APP_PASSWORD)
