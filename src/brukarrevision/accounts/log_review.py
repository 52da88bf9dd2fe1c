"""The administrator's review of the security log: the events chosen by person, kind, audit
and period; their export; and warnings of unusual patterns.

`unusual_patterns()` is a plain function of the log alone, so that the same warnings can be
e-mailed to the administrators later. Its rules are the constants below; the page states them
in words (`rules_in_words`).
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brukarrevision import permissions
from brukarrevision.audits.models import Audit
from brukarrevision.lib import spreadsheet

from .models import SecurityEvent
from .services import record_event

Kind = SecurityEvent.Kind

# Rules of the warnings ------------------------------------------------------------------------

# Every count is over this long a time, up to now.
WINDOW = datetime.timedelta(hours=24)
# Failed sign-ins and lock-outs for one e-mail address, or from one IP address.
FAILED_SIGN_IN_LIMIT = 10
FAILED_SIGN_IN_KINDS = (Kind.SIGN_IN_FAILED, Kind.LOCKED_OUT)
# Exports of raw answers by one person.
RAW_EXPORT_LIMIT = 5
# Resent survey answers that differed from those stored, on one audit.
CONFLICT_LIMIT = 5
# Survey submissions refused for coming too fast, on one audit.
RATE_LIMIT_LIMIT = 5
# Every reset of someone's two-step sign-in by an administrator over this long a time.
RESET_WINDOW = datetime.timedelta(days=7)

# Older events name their audit only in the detail ("audit <slug>, ...").
AUDIT_IN_DETAIL = re.compile(r"\baudit ([\w-]+)")


@dataclass
class LogWarning:
    """One unusual pattern: what it is, in words, and the log's filters that show it."""

    text: str
    filters: dict

    @property
    def query(self) -> str:
        """The filters as a query string for the log's page."""
        return urlencode(
            {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in self.filters.items()}
        )


def rules_in_words() -> list[str]:
    hours = int(WINDOW.total_seconds() // 3600)
    days = RESET_WINDOW.days
    return [
        _(
            "%(n)s or more failed sign-ins or lock-outs for one e-mail address, or from one "
            "IP address, within %(hours)s hours."
        )
        % {"n": FAILED_SIGN_IN_LIMIT, "hours": hours},
        _("%(n)s or more exports of raw answers by one person within %(hours)s hours.")
        % {"n": RAW_EXPORT_LIMIT, "hours": hours},
        _(
            "%(n)s or more resent survey answers that differed from the stored ones, on one "
            "audit, within %(hours)s hours."
        )
        % {"n": CONFLICT_LIMIT, "hours": hours},
        _("%(n)s or more survey submissions limited on one audit within %(hours)s hours.")
        % {"n": RATE_LIMIT_LIMIT, "hours": hours},
        ngettext(
            "Every reset of someone's two-step sign-in by an administrator within the last day.",
            "Every reset of someone's two-step sign-in by an administrator within the last "
            "%(days)s days.",
            days,
        )
        % {"days": days},
    ]


def unusual_patterns(now: datetime.datetime | None = None) -> list[LogWarning]:
    """Warnings of what in the log looks unusual now, by the rules above."""
    now = now or timezone.now()
    since = now - WINDOW
    recent = SecurityEvent.objects.filter(at__gt=since, at__lte=now)
    found: list[LogWarning] = []
    found += _failed_sign_ins(recent, since)
    found += _raw_exports(recent, since)
    found += _per_audit(
        recent.filter(kind=Kind.SUBMISSION_CONFLICT),
        CONFLICT_LIMIT,
        lambda n, audit: (
            _(
                "%(n)s resent survey answers differed from the stored ones on the audit "
                "%(audit)s within %(hours)s hours."
            )
            % {"n": n, "audit": audit, "hours": _hours()}
        ),
        Kind.SUBMISSION_CONFLICT,
        since,
    )
    found += _per_audit(
        recent.filter(kind=Kind.SURVEY_RATE_LIMITED),
        RATE_LIMIT_LIMIT,
        lambda n, audit: (
            _(
                "%(n)s survey submissions were limited on the audit %(audit)s within "
                "%(hours)s hours."
            )
            % {"n": n, "audit": audit, "hours": _hours()}
        ),
        Kind.SURVEY_RATE_LIMITED,
        since,
    )
    found += _second_factor_resets(now)
    return found


def _hours() -> int:
    return int(WINDOW.total_seconds() // 3600)


def _period(since: datetime.datetime) -> dict:
    return {"date_from": timezone.localtime(since).date()}


def _failed_sign_ins(recent: QuerySet, since) -> list[LogWarning]:
    failed = recent.filter(kind__in=FAILED_SIGN_IN_KINDS)
    by_address = (
        failed.exclude(identifier="")
        .annotate(address=Lower("identifier"))
        .values("address")
        .annotate(n=Count("pk"))
        .filter(n__gte=FAILED_SIGN_IN_LIMIT)
        .order_by("-n", "address")
    )
    by_ip = (
        failed.exclude(ip_address=None)
        .values("ip_address")
        .annotate(n=Count("pk"))
        .filter(n__gte=FAILED_SIGN_IN_LIMIT)
        .order_by("-n", "ip_address")
    )
    warnings = [
        LogWarning(
            _("%(n)s failed sign-ins or lock-outs for %(address)s within %(hours)s hours.")
            % {"n": row["n"], "address": row["address"], "hours": _hours()},
            {"person": row["address"], **_period(since)},
        )
        for row in by_address
    ]
    warnings += [
        LogWarning(
            _(
                "%(n)s failed sign-ins or lock-outs from the IP address %(ip)s within "
                "%(hours)s hours."
            )
            % {"n": row["n"], "ip": row["ip_address"], "hours": _hours()},
            {"person": row["ip_address"], **_period(since)},
        )
        for row in by_ip
    ]
    return warnings


def _raw_exports(recent: QuerySet, since) -> list[LogWarning]:
    rows = (
        recent.filter(kind=Kind.RAW_DATA_EXPORTED)
        .exclude(identifier="")
        .annotate(person=Lower("identifier"))
        .values("person")
        .annotate(n=Count("pk"))
        .filter(n__gte=RAW_EXPORT_LIMIT)
        .order_by("-n", "person")
    )
    return [
        LogWarning(
            _("%(person)s exported raw answers %(n)s times within %(hours)s hours.")
            % {"n": row["n"], "person": row["person"], "hours": _hours()},
            {"person": row["person"], "kind": Kind.RAW_DATA_EXPORTED, **_period(since)},
        )
        for row in rows
    ]


def _per_audit(events: QuerySet, limit: int, say, kind: str, since) -> list[LogWarning]:
    """Events counted per audit: by the audit they name, or the audit named in the detail."""
    counts: Counter[str] = Counter()
    for slug, detail in events.values_list("audit__slug", "detail"):
        if not slug:
            match = AUDIT_IN_DETAIL.search(detail or "")
            slug = match.group(1) if match else ""
        if slug:
            counts[slug] += 1
    over = {slug: n for slug, n in counts.items() if n >= limit}
    known = {
        slug: (pk, title)
        for slug, pk, title in Audit.objects.filter(slug__in=over).values_list(
            "slug", "pk", "title"
        )
    }
    warnings = []
    for slug, n in sorted(over.items(), key=lambda item: (-item[1], item[0])):
        filters = {"kind": kind, **_period(since)}
        pk, title = known.get(slug, (None, slug))
        if pk:
            filters["audit"] = pk
        warnings.append(LogWarning(say(n, title), filters))
    return warnings


def _second_factor_resets(now) -> list[LogWarning]:
    since = now - RESET_WINDOW
    resets = (
        SecurityEvent.objects.filter(kind=Kind.SECOND_FACTOR_RESET, at__gt=since, at__lte=now)
        .select_related("user", "subject")
        .order_by("-at")
    )
    warnings = []
    for event in resets:
        whose = event.subject.email if event.subject else event.detail
        warnings.append(
            LogWarning(
                _("%(admin)s reset the two-step sign-in of %(whose)s on %(when)s.")
                % {
                    "admin": event.identifier or _("an administrator"),
                    "whose": whose,
                    "when": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                },
                {"kind": Kind.SECOND_FACTOR_RESET, **_period(since)},
            )
        )
    return warnings


# Choosing events ------------------------------------------------------------------------------


def events(
    *,
    person: str = "",
    kind: str = "",
    audit=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[SecurityEvent]:
    """Events, the latest first. `person` is part of an e-mail address, a name or an IP
    address, matched against whoever acted and whoever the event concerned; dates are local
    days, both included."""
    found = SecurityEvent.objects.select_related("user", "subject", "audit")
    person = person.strip()
    if person:
        found = found.filter(
            Q(identifier__icontains=person)
            | Q(user__email__icontains=person)
            | Q(user__full_name__icontains=person)
            | Q(subject__email__icontains=person)
            | Q(subject__full_name__icontains=person)
            | Q(ip_address__startswith=person)
        )
    if kind:
        found = found.filter(kind=kind)
    if audit is not None:
        found = found.filter(audit=audit)
    if date_from:
        found = found.filter(at__gte=_start_of(date_from))
    if date_to:
        found = found.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return found.order_by("-at", "-pk")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Export ---------------------------------------------------------------------------------------


def _header() -> list[str]:
    return [
        _("Time"),
        _("Event"),
        _("Who"),
        _("Concerning"),
        _("Audit"),
        _("From"),
        _("Page"),
        _("Detail"),
    ]


def _row(event: SecurityEvent) -> list:
    return [
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        event.get_kind_display(),
        event.identifier or (event.user.email if event.user else ""),
        event.subject.email if event.subject else "",
        event.audit.slug if event.audit else "",
        event.ip_address or "",
        event.path,
        event.detail,
    ]


@transaction.atomic
def export(*, user, filters: dict, fmt: str, request=None) -> tuple[bytes, str]:
    """The chosen events as CSV or XLSX (cells that would start a formula are neutralised),
    and the file's name. Only for those who may review the log; every export is logged."""
    if not permissions.may_review_security_log(user):
        raise PermissionDenied("review_security_log")
    rows = [_row(event) for event in events(**filters).iterator(chunk_size=2000)]
    header = _header()
    name = f"security-log-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        data = spreadsheet.csv_bytes(header, rows)
    elif fmt == "xlsx":
        data = spreadsheet.xlsx_bytes({_("Security log"): (header, rows)})
    else:
        raise ValueError(fmt)
    record_event(
        Kind.SECURITY_LOG_EXPORTED,
        request=request,
        user=user,
        audit=filters.get("audit"),
        detail=f"{fmt}, {len(rows)} events, {_describe(filters)}"[:500],
    )
    return data, name


def _describe(filters: dict) -> str:
    """The filters in the export's log entry: what was taken out of the log, and about whom."""
    parts = []
    if filters.get("person"):
        parts.append(f"person {filters['person']!r}")
    if filters.get("kind"):
        parts.append(f"kind {filters['kind']}")
    if filters.get("audit") is not None:
        parts.append(f"audit {filters['audit'].slug}")
    if filters.get("date_from"):
        parts.append(f"from {filters['date_from']:%Y-%m-%d}")
    if filters.get("date_to"):
        parts.append(f"to {filters['date_to']:%Y-%m-%d}")
    return ", ".join(parts) or "all events"
