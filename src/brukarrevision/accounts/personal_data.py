"""A person's own data: the export (GDPR article 15) and the erasure (article 17).

The export gathers what the platform holds about one signed-in person: the account, roles,
training, security events about them and what they made or wrote, without other people's
personal data and without any respondent's answers. The erasure anonymises the account
instead of deleting it, so the audit history (phase moves, report versions, releases, team
lists) stays whole and points to a neutral placeholder. Both are logged.

This module reaches into the apps further down the flow (audits, reports, followup, …) on
purpose: it is the one place that knows every record that names a person. Those imports are
made inside the functions, so the accounts app does not depend on them when loaded.
"""

import io
import json
import re
import zipfile

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SecurityEvent, User, UserSession
from .services import end_sessions, has_second_factor, record_event

FORMAT = "brukarrevision-personal-data/1"
EMAIL_PATTERN = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+")

# Every link from a record to a person that the export shows in its own section. A link not
# listed here (a model added later) still shows up, as a count, under "other_records".
HANDLED_LINKS = {
    ("accounts.securityevent", "user"),
    ("accounts.securityevent", "subject"),
    ("accounts.usersession", "user"),
    ("otp_totp.totpdevice", "user"),
    ("otp_static.staticdevice", "user"),
    ("admin.logentry", "user"),
    ("organisations.membership", "user"),
    ("audits.auditmember", "user"),
    ("audits.auditmember", "added_by"),
    ("audits.trainingrecord", "user"),
    ("audits.trainingrecord", "recorded_by"),
    ("audits.application", "submitted_by"),
    ("audits.application", "decided_by"),
    ("audits.phasetransition", "moved_by"),
    ("audits.checklisttick", "done_by"),
    ("instruments.instrument", "frozen_by"),
    ("collection.response", "entered_by"),
    ("collection.interviewcontact", "passed_on_by"),
    ("collection.interview", "interviewers"),
    ("analysis.coding", "coder"),
    ("analysis.finding", "written_by"),
    ("releases.release", "made_by"),
    ("reports.reportversion", "made_by"),
    ("reports.rendering", "requested_by"),
    ("reports.edition", "published_by"),
    ("followup.proposalanswer", "answered_by"),
    ("followup.actionupdate", "made_by"),
    ("pool.poolmember", "user"),
}


class ErasureRefused(Exception):
    """The person cannot be erased yet; the message says why and what to do first."""


def placeholder_name(person: User) -> str:
    return _("Deleted user #%(id)s") % {"id": person.pk}


def placeholder_email(person: User) -> str:
    return f"erased-{person.pk}@invalid"


# Export (article 15) -------------------------------------------------------------------------


def _title(obj) -> str | None:
    return str(obj) if obj is not None else None


def _without_other_addresses(text: str, own_email: str) -> str:
    """Keep the person's own e-mail address in a log detail; leave out anyone else's."""

    def replace(match):
        return match.group(0) if match.group(0).lower() == own_email.lower() else "…"

    return EMAIL_PATTERN.sub(replace, text)


def _account(person: User) -> dict:
    return {
        "id": person.pk,
        "name": person.full_name,
        "email": person.email,
        "phone": person.phone,
        "joined": person.date_joined,
        "last_sign_in": person.last_login,
        "active": person.is_active,
        "may_use_the_admin": person.is_staff,
        "administrator": person.is_superuser,
        "groups": sorted(person.groups.values_list("name", flat=True)),
        "two_step_sign_in_set_up": has_second_factor(person),
        "open_sessions": UserSession.objects.filter(user=person).count(),
    }


def _memberships(person: User) -> list[dict]:
    from brukarrevision.organisations.models import Membership

    rows = Membership.objects.filter(user=person).select_related("organisation", "unit")
    return [
        {
            "organisation": m.organisation.name,
            "role": m.get_role_display(),
            "unit": _title(m.unit),
        }
        for m in rows.order_by("organisation__name", "role")
    ]


def _audit_roles(person: User) -> list[dict]:
    from brukarrevision.audits.models import AuditMember

    rows = AuditMember.objects.filter(user=person).select_related("audit")
    return [
        {
            "audit": m.audit.title,
            "audit_phase": m.audit.get_phase_display(),
            "role": m.get_role_display(),
            "perspective": m.get_perspective_display() if m.perspective else "",
            "declared_not_a_current_user_of_the_units": m.declared_not_current_user_at,
            "confidentiality_pledge_signed": m.pledge_signed_at,
            "added": m.added_at,
        }
        for m in rows.order_by("added_at", "pk")
    ]


def _training(person: User) -> list[dict]:
    from brukarrevision.audits.models import TrainingRecord

    return [
        {"training": record.get_topic_display(), "completed_on": record.completed_on}
        for record in TrainingRecord.objects.filter(user=person).order_by("topic")
    ]


def _security_events(person: User) -> list[dict]:
    """Events the person caused, events about them, and attempts to sign in with their
    address. Where someone else acted (an administrator, an unknown sign-in attempt), who
    they were and where they came from are left out."""
    events = (
        SecurityEvent.objects.filter(
            Q(user=person)
            | Q(subject=person)
            | Q(user__isnull=True, identifier__iexact=person.email)
        )
        .select_related("audit")
        .order_by("at", "pk")
    )
    rows = []
    for event in events:
        own = event.user_id == person.pk
        if own:
            part = "actor"
        elif event.subject_id == person.pk:
            part = "concerned"
        else:
            part = "sign_in_name"
        rows.append(
            {
                "at": event.at,
                "event": event.get_kind_display(),
                "part": part,
                "audit": _title(event.audit),
                "ip_address": event.ip_address if own else None,
                "path": event.path if own else "",
                "detail": _without_other_addresses(event.detail, person.email),
            }
        )
    return rows


def _section(key: str, description: str, items: list[dict]) -> dict:
    return {"section": key, "description": description, "count": len(items), "items": items}


def _authored(person: User) -> list[dict]:
    """Records the person made or wrote, each described in a few words. Texts that may quote
    respondents (coded passages, notes, reasons) are not copied, only that they exist."""
    from brukarrevision.analysis.models import Coding, Finding
    from brukarrevision.audits.models import (
        Application,
        AuditMember,
        ChecklistTick,
        PhaseTransition,
        TrainingRecord,
    )
    from brukarrevision.collection.models import Interview, InterviewContact, Response
    from brukarrevision.followup.models import ActionUpdate, ProposalAnswer
    from brukarrevision.instruments.models import Instrument
    from brukarrevision.releases.models import Release
    from brukarrevision.reports.models import Edition, Rendering, ReportVersion

    def per_audit(queryset, audit_path="audit__title") -> list[dict]:
        counted = queryset.values(audit_path).annotate(n=Count("pk")).order_by(audit_path)
        return [{"audit": row[audit_path], "count": row["n"]} for row in counted]

    sections = [
        _section(
            "report_versions",
            _("Saved versions of audit reports."),
            [
                {"audit": v.report.audit.title, "version": v.number, "saved": v.made_at}
                for v in ReportVersion.objects.filter(made_by=person)
                .select_related("report__audit")
                .order_by("made_at", "pk")
            ],
        ),
        _section(
            "published_report_versions",
            _("Report versions published."),
            [
                {"audit": e.report.audit.title, "version": e.number, "published": e.published_at}
                for e in Edition.objects.filter(published_by=person)
                .select_related("report__audit")
                .order_by("published_at", "pk")
            ],
        ),
        _section(
            "report_files_requested",
            _("Report documents (Word, PDF, web page) asked for."),
            [
                {"audit": r.report.audit.title, "format": r.format, "asked": r.requested_at}
                for r in Rendering.objects.filter(requested_by=person)
                .select_related("report__audit")
                .order_by("requested_at", "pk")
            ],
        ),
        _section(
            "findings",
            _("Findings written (the heading only)."),
            [
                {"audit": f.audit.title, "kind": f.get_kind_display(), "heading": f.title}
                for f in Finding.objects.filter(written_by=person)
                .select_related("audit")
                .order_by("pk")
            ],
        ),
        _section(
            "codings",
            _("Passages of answers coded, counted per audit (the passages are not included)."),
            per_audit(Coding.objects.filter(coder=person), "code__audit__title"),
        ),
        _section(
            "answers_to_action_proposals",
            _("Answers given to action proposals (the reasons are not included)."),
            [
                {
                    "audit": a.proposal.audit.title,
                    "proposal": a.proposal.number,
                    "answer": a.get_decision_display(),
                    "answered": a.answered_at,
                }
                for a in ProposalAnswer.objects.filter(answered_by=person)
                .select_related("proposal__audit")
                .order_by("answered_at", "pk")
            ],
        ),
        _section(
            "action_updates",
            _("Updates on actions in an action plan (the notes are not included)."),
            [
                {
                    "audit": u.action.proposal.audit.title,
                    "status": u.get_status_display(),
                    "progress_percent": u.progress,
                    "date": u.made_on,
                }
                for u in ActionUpdate.objects.filter(made_by=person)
                .select_related("action__proposal__audit")
                .order_by("made_on", "pk")
            ],
        ),
        _section(
            "phase_moves",
            _("Audits moved from one phase to another."),
            [
                {
                    "audit": t.audit.title,
                    "from": t.get_from_phase_display(),
                    "to": t.get_to_phase_display(),
                    "moved": t.moved_at,
                }
                for t in PhaseTransition.objects.filter(moved_by=person)
                .select_related("audit")
                .order_by("moved_at", "pk")
            ],
        ),
        _section(
            "checklist_ticks",
            _("Checklist items marked as done."),
            [
                {"audit": t.audit.title, "item": t.key, "done": t.done_at}
                for t in ChecklistTick.objects.filter(done_by=person)
                .select_related("audit")
                .order_by("done_at", "pk")
            ],
        ),
        _section(
            "instruments_frozen",
            _("Questionnaires and interview guides frozen for data collection."),
            [
                {
                    "audit": i.audit.title,
                    "title": i.title,
                    "version": i.version,
                    "frozen": i.frozen_at,
                }
                for i in Instrument.objects.filter(frozen_by=person)
                .select_related("audit")
                .order_by("frozen_at", "pk")
            ],
        ),
        _section(
            "releases",
            _("Releases of results made."),
            [
                {"audit": r.audit.title, "number": r.number, "made": r.made_at}
                for r in Release.objects.filter(made_by=person)
                .select_related("audit")
                .order_by("made_at", "pk")
            ],
        ),
        _section(
            "applications_submitted",
            _("Applications for an audit sent in."),
            [
                {
                    "client": a.client.name,
                    "offer": a.offer.title,
                    "sent": a.submitted_at,
                    "status": a.get_status_display(),
                }
                for a in Application.objects.filter(submitted_by=person)
                .select_related("client", "offer")
                .order_by("submitted_at", "pk")
            ],
        ),
        _section(
            "applications_decided",
            _("Applications for an audit decided on."),
            [
                {
                    "client": a.client.name,
                    "offer": a.offer.title,
                    "decided": a.decided_at,
                    "status": a.get_status_display(),
                }
                for a in Application.objects.filter(decided_by=person)
                .select_related("client", "offer")
                .order_by("decided_at", "pk")
            ],
        ),
        _section(
            "interviews",
            _("Interviews the person holds or held (the notes are not included)."),
            [
                {"audit": i.audit.title, "time": i.starts_at, "status": i.get_status_display()}
                for i in Interview.objects.filter(interviewers=person)
                .select_related("audit")
                .order_by("starts_at", "pk")
            ],
        ),
        _section(
            "responses_entered",
            _("Paper or interview responses typed in, counted per audit (no answers)."),
            per_audit(Response.objects.filter(entered_by=person)),
        ),
        _section(
            "interview_contacts_passed_on",
            _("Interview contacts passed on, counted per audit (no names)."),
            per_audit(InterviewContact.objects.filter(passed_on_by=person)),
        ),
        _section(
            "team_members_added",
            _("People added to an audit team, counted per audit (no names)."),
            per_audit(AuditMember.objects.filter(added_by=person).exclude(user=person)),
        ),
    ]
    recorded = TrainingRecord.objects.filter(recorded_by=person).exclude(user=person).count()
    sections.append(
        _section(
            "training_recorded_for_others",
            _("Training records entered for other people, counted (no names)."),
            [{"count": recorded}] if recorded else [],
        )
    )
    return sections


def _follows(person: User) -> list[dict]:
    from brukarrevision.followup.models import Follower

    rows = Follower.objects.filter(email__iexact=person.email).select_related("audit")
    return [
        {"audit": f.audit.title, "asked": f.created_at, "confirmed": f.confirmed_at}
        for f in rows.order_by("created_at", "pk")
    ]


def _sign_in_records(person: User) -> dict:
    from django.contrib.admin.models import LogEntry

    counts = {"changes_in_the_administration_pages": LogEntry.objects.filter(user=person).count()}
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessLog

        counts["sign_ins_kept_by_the_lockout_guard"] = AccessLog.objects.filter(
            username__iexact=person.email
        ).count()
        counts["failed_sign_ins_kept_by_the_lockout_guard"] = AccessAttempt.objects.filter(
            username__iexact=person.email
        ).count()
    return counts


def _other_records(person: User) -> list[dict]:
    """Links to the person that no section above describes (added after this module)."""
    rows = []
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not field.concrete or getattr(field, "related_model", None) is not user_model:
                continue
            if (model._meta.label_lower, field.name) in HANDLED_LINKS:
                continue
            n = model._default_manager.filter(**{field.name: person}).count()
            if n:
                rows.append({"record": str(model._meta.verbose_name_plural), "count": n})
    return rows


def _pool_records(person: User) -> list[dict]:
    """The person's records in user organisations' pools of auditors, as the pool keeps
    them (contact details, experience, consent)."""
    from brukarrevision.pool.models import PoolMember

    rows = PoolMember.objects.filter(user=person).select_related("organisation")
    return [
        {
            "organisation": m.organisation.name,
            "name": m.full_name,
            "email": m.email,
            "phone": m.phone,
            "employee_number_in_payroll": m.payroll_id,
            "experience": m.experience,
            "languages": m.languages,
            "availability": m.availability,
            "takes_new_assignments": m.available,
            "units_not_to_audit": sorted(u.name for u in m.not_to_audit.all()),
            "service_types_not_to_audit": m.not_to_audit_service_types,
            "consent_given_at": m.consent_given_at,
            "consent_text_version": m.consent_text_version,
            "added": m.created_at,
        }
        for m in rows
    ]


def build_export(person: User) -> dict:
    return {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "account": _account(person),
        "memberships": _memberships(person),
        "audit_roles": _audit_roles(person),
        "training": _training(person),
        "pool_records": _pool_records(person),
        "security_events": _security_events(person),
        "made_or_written": _authored(person),
        "follows": _follows(person),
        "sign_in_records": _sign_in_records(person),
        "other_records": _other_records(person),
    }


def readme_text(person: User) -> str:
    paragraphs = [
        _("What Brukarrevision holds about %(name)s") % {"name": person.full_name},
        _(
            "This file was made at the person's request (the right of access, article 15 of "
            "the GDPR). data.json holds the data in a machine-readable form (JSON, UTF-8)."
        ),
        _(
            "account: name, e-mail address, phone, dates and access. memberships: roles in "
            "organisations. audit_roles: roles in audit teams and when the confidentiality "
            "pledge was signed. training: completed training. pool_records: the person's "
            "records in user organisations' pools of auditors (contact details, experience, "
            "availability, consent)."
        ),
        _(
            "security_events: the security log about the person. part is actor (the person "
            "did it), concerned (someone else did something about the person, such as an "
            "administrator) or sign_in_name (someone tried to sign in with the person's "
            "e-mail address). Where someone else acted, who they were and where they came "
            "from are left out."
        ),
        _(
            "made_or_written: what the person made or wrote in audits, each with a short "
            "description. follows: audits whose follow-up the person's e-mail address "
            "follows. sign_in_records and other_records: how many other records are linked "
            "to the person."
        ),
        _(
            "Respondents' answers are anonymous and never linked to a person, so none are "
            "included. Other people's names and e-mail addresses are left out."
        ),
    ]
    return "\n\n".join(paragraphs) + "\n"


def export_zip(person: User) -> bytes:
    data = json.dumps(build_export(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme_text(person))
        archive.writestr("data.json", data)
    return buffer.getvalue()


def export_filename(person: User) -> str:
    return f"personal-data-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip"


@transaction.atomic
def export_personal_data(*, person: User, by: User, request=None) -> bytes:
    """The ZIP for one person (README.txt and data.json); the export is logged."""
    content = export_zip(person)
    record_event(
        SecurityEvent.Kind.PERSONAL_DATA_EXPORTED,
        request=request,
        user=by,
        subject=person,
        detail=f"user #{person.pk}",
    )
    return content


# Erasure (article 17) ------------------------------------------------------------------------


def erasure_blockers(person: User, *, by: User | None = None) -> list[str]:
    """Why `person` cannot be erased now, as messages for the administrator; empty if they can."""
    from brukarrevision.audits.models import AuditMember, Phase

    reasons = []
    if by is not None and by.pk == person.pk:
        reasons.append(_("You cannot erase your own account. Ask another administrator."))
    if (
        person.is_superuser
        and person.is_active
        and not User.objects.filter(is_superuser=True, is_active=True)
        .exclude(pk=person.pk)
        .exists()
    ):
        reasons.append(
            _(
                "%(name)s is the only active administrator. Make someone else an administrator "
                "first."
            )
            % {"name": person.full_name}
        )
    open_audits = list(
        AuditMember.objects.filter(user=person, role=AuditMember.Role.COORDINATOR)
        .exclude(audit__phase=Phase.CLOSED)
        .order_by("audit__title")
        .values_list("audit__title", flat=True)
    )
    if open_audits:
        reasons.append(
            _(
                "%(name)s coordinates audits that are not closed: %(audits)s. Give these audits "
                "a new coordinator first."
            )
            % {"name": person.full_name, "audits": "; ".join(open_audits)}
        )
    return reasons


def _erase_pool_records(person: User) -> int:
    """The person's pool records are anonymised with the account: the right to erasure
    covers everything the platform keeps about them, not the account alone."""
    from brukarrevision.pool import services as pool
    from brukarrevision.pool.models import PoolMember

    records = list(PoolMember.objects.select_for_update().filter(user=person))
    for member in records:
        pool.anonymise(member)
    return len(records)


@transaction.atomic
def erase_person(*, person: User, by: User, request=None) -> User:
    """Anonymise `person` (right to erasure). Rows that others depend on stay and point to the
    anonymised account; contact details, memberships, training, follows, second factors and
    sessions go; the security log keeps its events without the person's address."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from brukarrevision.audits.models import TrainingRecord
    from brukarrevision.followup.models import Follower
    from brukarrevision.organisations.models import Membership

    person = User.objects.select_for_update().get(pk=person.pk)
    reasons = erasure_blockers(person, by=by)
    if reasons:
        raise ErasureRefused(" ".join(reasons))

    old_email = person.email
    placeholder = placeholder_name(person)

    end_sessions(user=person)
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    memberships, _m = Membership.objects.filter(user=person).delete()
    training, _t = TrainingRecord.objects.filter(user=person).delete()
    pool_records = _erase_pool_records(person)
    follows, _f = Follower.objects.filter(email__iexact=old_email).delete()
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=old_email).delete()

    # The log keeps every event, but no longer says who or from where.
    SecurityEvent.objects.filter(
        Q(user=person) | Q(user__isnull=True, identifier__iexact=old_email)
    ).update(identifier="", ip_address=None)
    # A full name ("Rami Revisor") is replaced too; a single word could be an ordinary word.
    for text in [old_email] + ([person.full_name] if " " in person.full_name.strip() else []):
        pattern = re.compile(re.escape(text), re.IGNORECASE)
        for event in SecurityEvent.objects.filter(detail__icontains=text):
            event.detail = pattern.sub(placeholder, event.detail)[:500]
            event.save(update_fields=["detail"])
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
    ).update(object_repr=placeholder[:200])

    person.full_name = placeholder
    person.email = placeholder_email(person)
    person.phone = ""
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()

    record_event(
        SecurityEvent.Kind.PERSON_ERASED,
        request=request,
        user=by,
        identifier=placeholder,
        subject=person,
        detail=(
            f"user #{person.pk} anonymised; removed {memberships} memberships, "
            f"{training} training records, {follows} follows; {pool_records} pool records "
            "anonymised"
        ),
    )
    return person
