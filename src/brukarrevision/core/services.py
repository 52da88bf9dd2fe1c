from django.core.mail import mail_admins
from django.db import transaction

from .models import AccessibilityReport


@transaction.atomic
def receive_accessibility_report(*, page: str, description: str, contact: str):
    report = AccessibilityReport.objects.create(
        page=page.strip(), description=description.strip(), contact=contact.strip()
    )
    transaction.on_commit(
        lambda: mail_admins(
            f"Accessibility report #{report.pk}",
            f"{report.page}\n\n{report.description}",
            fail_silently=True,
        )
    )
    return report
