"""Every write of the report: the generated first draft, section edits with versions, review
and publication, proposals, colour ratings, and renderings made in the background."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits import retention
from brukarrevision.audits.models import Audit
from brukarrevision.instruments.models import QualityArea
from brukarrevision.lib import suppression
from brukarrevision.permissions import Action, can
from brukarrevision.releases import selectors as release_selectors

from . import document, rendering
from .models import (
    Assessment,
    Edition,
    EditionFile,
    Proposal,
    Rendering,
    Report,
    ReportSection,
    ReportVersion,
)


def _require(user, action: Action, audit: Audit) -> None:
    if not can(user, action, audit):
        raise PermissionDenied(action)


# The first draft ----------------------------------------------------------------------------------


def _first_draft(audit: Audit) -> dict[str, str]:
    released = document.Released.of(audit)
    answered = document.taking_part_sentence(released.release)
    units = ", ".join(u.name for u in audit.units.all())
    proposals = audit.proposals.count()
    return {
        "summary": _(
            "%(performer)s audited %(units)s on behalf of %(client)s. Auditors with their own "
            "experience of the services asked users what works and what could be better. "
            "%(answered)s The auditors give %(proposals)s action proposals."
        )
        % {
            "performer": audit.performer.name,
            "units": units,
            "client": audit.client.name,
            "answered": answered,
            "proposals": proposals,
        },
        "background": _(
            "A user-led audit lets those who use a service examine it. These are the questions "
            "the auditors wanted answered:"
        ),
        "method": _(
            "The auditors wrote the questions themselves. Users answered on the web, on paper "
            "and in interviews. Groups with fewer than %(n)s respondents are not shown "
            "separately, so that no one can be recognised."
        )
        % {"n": suppression.threshold()},
        "assessment": _("The auditors' overall judgement of each quality area."),
        "results": _("The results per question, grouped by quality area."),
        "quotes": _("A few answers in the respondents' own words."),
        "good_examples": "",
        "improvements": "",
        "proposals": _("The auditors propose the following. The unit answers each proposal."),
        "answers": _("The unit's answer to each proposal, with its reasons."),
        "comparison": _("This audit follows up an earlier audit of the same unit."),
        "easy_summary": _(
            "We have asked users what they think of %(units)s. Here is what we found."
        )
        % {"units": units},
    }


@transaction.atomic
def start_report(*, user, audit: Audit) -> Report:
    _require(user, Action.WRITE_REPORT, audit)
    report, created = Report.objects.get_or_create(audit=audit)
    if created:
        texts = _first_draft(audit)
        for position, (key, heading) in enumerate(document.SECTIONS):
            ReportSection.objects.create(
                report=report,
                key=key,
                heading=str(heading),
                text=texts.get(key, ""),
                position=position,
            )
        _snapshot(report, user, _("First draft"))
    return report


def _snapshot(report: Report, user, note: str) -> ReportVersion:
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    sections = [{"key": s.key, "heading": s.heading, "text": s.text} for s in report.sections.all()]
    return ReportVersion.objects.create(
        report=report, number=number, sections=sections, note=note[:200], made_by=user
    )


@transaction.atomic
def save_section(*, user, section: ReportSection, heading: str, text: str) -> ReportSection:
    report = section.report
    _require(user, Action.WRITE_REPORT, report.audit)
    if report.status == Report.Status.PUBLISHED:
        raise ValidationError(_("The report is published. Take it back to draft to change it."))
    if not heading.strip():
        raise ValidationError({"heading": _("Write a heading.")})
    section.heading, section.text = heading.strip(), text.strip()
    section.save(update_fields=["heading", "text"])
    _snapshot(report, user, _("Changed: %(heading)s") % {"heading": section.heading})
    return section


# Review and publication ---------------------------------------------------------------------------


@transaction.atomic
def submit_for_review(*, user, report: Report) -> Report:
    _require(user, Action.WRITE_REPORT, report.audit)
    if report.status != Report.Status.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    report.status = Report.Status.REVIEW
    report.review_version = report.versions.aggregate(n=Max("number"))["n"]
    report.save(update_fields=["status", "review_version"])
    return report


@transaction.atomic
def back_to_draft(*, user, report: Report, note: str = "") -> Report:
    _require(user, Action.PUBLISH_REPORT, report.audit)
    report.status, report.review_note, report.published_at = Report.Status.DRAFT, note.strip(), None
    report.save(update_fields=["status", "review_note", "published_at"])
    return report


@transaction.atomic
def publish(*, user, report: Report, note: str = "") -> Report:
    """Publishes the report as a frozen edition: the public page, HTML, PDF and DOCX (and the
    easy-to-read summary in each) are rendered once, from the latest release, and stored
    with their checksums. A later publication is a correction and needs a change note."""
    audit = report.audit
    _require(user, Action.PUBLISH_REPORT, audit)
    if report.status != Report.Status.REVIEW:
        raise ValidationError(_("The report must be reviewed before it is published."))
    release = release_selectors.latest(audit)
    if release is None:
        raise ValidationError(_("Release the results before the report is published."))
    earlier = report.editions.order_by("-number").first()
    if earlier is not None and not note.strip():
        raise ValidationError(
            {"note": _("Say what was corrected: readers see it beside the new version.")}
        )
    now = timezone.now()
    report.status, report.published_at = Report.Status.PUBLISHED, now
    report.save(update_fields=["status", "published_at"])
    edition = _freeze(report, release, user, note.strip(), (earlier.number if earlier else 0) + 1)
    report.editions.exclude(pk=edition.pk).filter(replaced_at=None).update(replaced_at=now)
    _snapshot(report, user, _("Published as version %(n)s") % {"n": edition.number})
    record_event(
        SecurityEvent.Kind.REPORT_PUBLISHED,
        user=user,
        audit=audit,
        detail=f"audit {audit.slug}, version {edition.number}, release {release.number}",
    )
    retention.set_on_publish(audit=audit, user=user, published_at=now)  # if not already set
    return report


def _freeze(report: Report, release, user, note: str, number: int) -> Edition:
    audit = report.audit
    built = document.build(audit, report, release)
    easy = document.build_easy(audit, report, release)
    edition = Edition.objects.create(
        report=report,
        number=number,
        release=release,
        note=note,
        published_at=timezone.now(),
        published_by=user,
        page=rendering.page(built),
        easy_page=rendering.page(easy),
    )
    for easy_read, source in ((False, built), (True, easy)):
        for fmt in Rendering.Format.values:
            content = _draw(source, fmt)
            EditionFile.objects.create(
                edition=edition,
                format=fmt,
                easy_read=easy_read,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )
    return edition


# Proposals and ratings ----------------------------------------------------------------------------


@transaction.atomic
def save_proposal(*, user, audit: Audit, proposal: Proposal | None = None, **fields) -> Proposal:
    _require(user, Action.WRITE_REPORT, audit)
    findings = fields.pop("findings", [])
    proposal = proposal or Proposal(
        audit=audit, number=(audit.proposals.aggregate(n=Max("number"))["n"] or 0) + 1
    )
    for name, value in fields.items():
        setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    if proposal.level != Proposal.Level.LOCAL and not proposal.recipient:
        raise ValidationError(
            {"recipient": _("Name who receives a regional or national proposal.")}
        )
    proposal.full_clean()
    proposal.save()
    proposal.findings.set([f for f in findings if f.audit_id == audit.pk])
    return proposal


@transaction.atomic
def delete_proposal(*, user, proposal: Proposal) -> None:
    _require(user, Action.WRITE_REPORT, proposal.audit)
    proposal.delete()


@transaction.atomic
def save_assessments(*, user, audit: Audit, ratings: dict[str, tuple[str, str]]) -> None:
    """ratings: quality area -> (rating or "", reason). An empty rating removes it."""
    _require(user, Action.WRITE_REPORT, audit)
    for area, (rating, reason) in ratings.items():
        if area not in QualityArea.values:
            continue
        if not rating:
            Assessment.objects.filter(audit=audit, quality_area=area).delete()
            continue
        if rating not in Assessment.Rating.values:
            raise ValidationError(_("Choose a rating from the list."))
        Assessment.objects.update_or_create(
            audit=audit, quality_area=area, defaults={"rating": rating, "reason": reason.strip()}
        )


# Renderings -------------------------------------------------------------------------------------


def render(audit: Audit, fmt: str, easy_read: bool = False, progress=lambda share, step: None):
    """The report (or its easy-to-read summary) as bytes in `fmt`, from the latest release."""
    progress(0.1, _("Gathering results"))
    built = document.build_easy(audit) if easy_read else document.build(audit)
    progress(0.5, _("Drawing the document"))
    return _draw(built, fmt, lambda share: progress(0.5 + share / 2, _("Drawing the document")))


def _draw(built: document.Document, fmt: str, progress=lambda share: None) -> bytes:
    if fmt == "html":
        return rendering.html(built).encode()
    if fmt == "pdf":
        return rendering.pdf(built)
    return rendering.docx(built, progress=progress)


@transaction.atomic
def request_rendering(*, user, report: Report, fmt: str, easy_read: bool) -> Rendering:
    _require(user, Action.VIEW_REPORT_DRAFT, report.audit)
    if fmt not in Rendering.Format.values:
        raise ValidationError(_("Choose DOCX, PDF or HTML."))
    made = Rendering.objects.create(
        report=report, format=fmt, easy_read=easy_read, requested_by=user
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.make_rendering.enqueue(made.pk))
    return made


def make_rendering(rendering_id: int) -> None:
    """The background work: renders and stores the file, telling its progress as it goes."""
    made = Rendering.objects.select_related("report__audit").get(pk=rendering_id)

    def progress(share: float, step: str) -> None:
        Rendering.objects.filter(pk=made.pk).update(
            status=Rendering.Status.RUNNING, progress=int(100 * share), step=step
        )

    try:
        content = render(made.report.audit, made.format, made.easy_read, progress)
    except Exception as error:  # the person waiting must learn it failed, not wait forever
        Rendering.objects.filter(pk=made.pk).update(
            status=Rendering.Status.FAILED, step=str(error)[:200]
        )
        raise
    Rendering.objects.filter(pk=made.pk).update(
        status=Rendering.Status.DONE, progress=100, step="", content=content
    )
