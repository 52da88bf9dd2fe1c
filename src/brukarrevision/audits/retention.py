"""Retention of an audit's raw data.

Raw data are what respondents and the units gave the team: responses and their answers,
unfinished survey answers (drafts), interview notes and the contact details of people willing
to be interviewed, the coded passages of answers, and the report's draft renderings (which may
quote answers). They are kept until the audit's retention date, by default twelve months after
the report is first published. Thirty days before, the coordinators are warned once by e-mail;
on the date a daily task deletes them in one transaction.

What stays: the releases (frozen, suppressed results), the published report editions and
their files, and what the auditors wrote themselves: the codebook (themes and codes), the
findings, the report's sections and versions, proposals, ratings and the follow-up. Findings
lose their links to coded passages, not their text.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.organisations.models import Membership
from brukarrevision.permissions import Action, can

from .models import Audit, AuditMember

RETENTION_MONTHS = 12
WARN_DAYS = 30


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (29 Feb → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_date(published_at: datetime.datetime) -> datetime.date:
    return months_after(timezone.localdate(published_at), RETENTION_MONTHS)


def days_left(audit: Audit, today: datetime.date | None = None) -> int | None:
    if audit.retention_until is None or audit.raw_data_deleted_at is not None:
        return None
    return (audit.retention_until - (today or timezone.localdate())).days


# Setting the date ---------------------------------------------------------------------------------


def set_on_publish(*, audit: Audit, user, published_at: datetime.datetime) -> bool:
    """The default date when the report is first published; a date already set stays."""
    if audit.retention_until is not None or audit.raw_data_deleted_at is not None:
        return False
    audit.retention_until = default_date(published_at)
    audit.save(update_fields=["retention_until"])
    record_event(
        SecurityEvent.Kind.RETENTION_SET,
        user=user,
        audit=audit,
        detail=f"audit {audit.slug}: raw data kept until {audit.retention_until.isoformat()} "
        f"({RETENTION_MONTHS} months after the report was published)",
    )
    return True


@transaction.atomic
def set_retention(*, user, audit: Audit, until: datetime.date, reason: str, request=None) -> Audit:
    """A coordinator sets or moves the date, with a reason; never to a day already past."""
    if not can(user, Action.SET_RETENTION, audit):
        raise PermissionDenied(Action.SET_RETENTION)
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.raw_data_deleted_at is not None:
        raise ValidationError(_("The raw data of this audit are already deleted."))
    errors = {}
    today = timezone.localdate()
    if until < today:
        errors["until"] = _("Choose today or a later day.")
    if not reason.strip():
        errors["reason"] = _("Say why the date is set or changed.")
    if errors:
        raise ValidationError(errors)
    earlier = audit.retention_until
    audit.retention_until = until
    if (until - today).days > WARN_DAYS:
        audit.retention_warned_at = None  # warn again when the new date draws near
    audit.save(update_fields=["retention_until", "retention_warned_at"])
    record_event(
        SecurityEvent.Kind.RETENTION_SET,
        request=request,
        user=user,
        audit=audit,
        detail=f"audit {audit.slug}: raw data kept until {until.isoformat()} "
        f"(was {earlier.isoformat() if earlier else 'not set'}); reason: {reason.strip()}",
    )
    return audit


# The warning --------------------------------------------------------------------------------------


def due_for_warning(today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Audit.objects.filter(
        raw_data_deleted_at=None,
        retention_warned_at=None,
        retention_until__gt=today,
        retention_until__lte=today + datetime.timedelta(days=WARN_DAYS),
    ).select_related("performer", "client")


def warning_recipients(audit: Audit) -> list[str]:
    """The audit's coordinator and the performing organisation's coordinators."""
    emails = set(
        AuditMember.objects.filter(audit=audit, role=AuditMember.Role.COORDINATOR).values_list(
            "user__email", flat=True
        )
    )
    emails |= set(
        Membership.objects.filter(
            organisation=audit.performer_id,
            role=Membership.Role.COORDINATOR,
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )
    return sorted(email for email in emails if email)


def send_warning(audit: Audit, today: datetime.date | None = None) -> list[str]:
    """Once per date: remembered in `retention_warned_at`."""
    recipients = warning_recipients(audit)
    context = {
        "audit": audit,
        "days": days_left(audit, today),
        "counts": raw_data_counts(audit),
        "url": settings.SITE_URL + reverse("audits:audit", args=[audit.slug]),
        "retention_url": settings.SITE_URL + reverse("audits:retention", args=[audit.slug]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("audits/email/retention_warning_subject.txt", context).strip()
        body = render_to_string("audits/email/retention_warning.txt", context)
    if recipients:
        send_mail(subject, body, None, recipients)
    Audit.objects.filter(pk=audit.pk).update(retention_warned_at=timezone.now())
    return recipients


# Deleting -----------------------------------------------------------------------------------------


@dataclass
class Deleted:
    audit: Audit
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in self.counts.items())


def _raw(audit: Audit) -> dict:
    from brukarrevision.analysis.models import Coding
    from brukarrevision.collection.models import (
        Answer,
        Distribution,
        Draft,
        Interview,
        InterviewContact,
        Response,
    )
    from brukarrevision.reports.models import Rendering

    return {
        "responses": Response.objects.filter(audit=audit),
        "answers": Answer.objects.filter(response__audit=audit),
        "drafts": Draft.objects.filter(distribution__audit=audit),
        "interview_notes": Interview.objects.filter(audit=audit).exclude(notes={}),
        "interview_contacts": InterviewContact.objects.filter(audit=audit),
        "codings": Coding.objects.filter(code__audit=audit),
        "renderings": Rendering.objects.filter(report__audit=audit),
        "links_closed": Distribution.objects.filter(audit=audit, is_open=True),
    }


def raw_data_counts(audit: Audit) -> dict[str, int]:
    return {name: query.count() for name, query in _raw(audit).items()}


@transaction.atomic
def delete_raw_data(audit: Audit, now: datetime.datetime | None = None) -> Deleted:
    """Deletes the audit's raw data, all or nothing, and says how much. Releases and published
    editions stay and keep being served: they hold no answer, only suppressed figures."""
    from brukarrevision.collection.models import Interview

    now = now or timezone.now()
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.raw_data_deleted_at is not None:
        return Deleted(audit)
    raw = _raw(audit)
    counts = {name: query.count() for name, query in raw.items()}
    raw["codings"].delete()  # the passages are the respondents' words
    raw["renderings"].delete()  # drafts of the report, which may quote answers
    raw["interview_notes"].update(notes={})
    Interview.objects.filter(audit=audit).exclude(place="").update(place="")  # may be a home
    raw["interview_contacts"].delete()  # the interviews stay as bookings without a person
    raw["drafts"].delete()
    raw["responses"].delete()  # and their answers with them
    raw["links_closed"].update(is_open=False)  # no new answers to a deleted audit
    audit.raw_data_deleted_at = now
    audit.save(update_fields=["raw_data_deleted_at"])
    deleted = Deleted(audit, counts)
    record_event(
        SecurityEvent.Kind.RAW_DATA_DELETED,
        audit=audit,
        detail=f"audit {audit.slug}, retention date {audit.retention_until}: {deleted.summary()}",
    )
    return deleted


def due_for_deletion(today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Audit.objects.filter(raw_data_deleted_at=None, retention_until__lte=today).order_by(
        "retention_until", "slug"
    )


@dataclass
class Run:
    warned: list[tuple[Audit, list[str]]] = field(default_factory=list)
    deleted: list[Deleted] = field(default_factory=list)


def apply_retention(today: datetime.date | None = None, dry_run: bool = False) -> Run:
    """The daily task: warn about dates within thirty days, delete raw data whose date has
    come. Running it again the same day changes nothing. A dry run only tells."""
    today = today or timezone.localdate()
    run = Run()
    for audit in due_for_warning(today):
        recipients = warning_recipients(audit) if dry_run else send_warning(audit, today)
        run.warned.append((audit, recipients))
    for audit in due_for_deletion(today):
        if dry_run:
            run.deleted.append(Deleted(audit, raw_data_counts(audit)))
        else:
            run.deleted.append(delete_raw_data(audit))
    return run
