"""E-mails about applications, written in Swedish (the users' language) with English below."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from brukarrevision.organisations.models import Membership

from .models import Application


def _send(template: str, context: dict, recipients: list[str]) -> None:
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"audits/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"audits/email/{template}.txt", context)
    send_mail(subject, body, None, recipients)


def application_submitted(application_id: int) -> None:
    application = Application.objects.select_related("offer", "client").get(pk=application_id)
    recipients = list(
        Membership.objects.filter(
            organisation=application.offer.performer_id, role=Membership.Role.COORDINATOR
        ).values_list("user__email", flat=True)
    )
    url = settings.SITE_URL + reverse("audits:application", args=[application.pk])
    _send("application_submitted", {"application": application, "url": url}, recipients)


def application_decided(application_id: int) -> None:
    application = Application.objects.select_related("offer", "client", "submitted_by").get(
        pk=application_id
    )
    url = settings.SITE_URL + reverse("audits:application", args=[application.pk])
    _send(
        "application_decided",
        {"application": application, "url": url},
        [application.submitted_by.email],
    )
