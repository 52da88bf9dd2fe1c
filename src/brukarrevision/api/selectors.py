"""What the API reads. Results come only from releases (the suppressed content the client
sees on the results page); reports only from published editions; nothing here reads a
raw answer or a release's decisions."""

from django.db.models import Prefetch, QuerySet

from brukarrevision.audits.models import Audit
from brukarrevision.collection.forms import PaperAnswersForm
from brukarrevision.followup.models import Action as PlannedAction
from brukarrevision.instruments import languages, options
from brukarrevision.instruments.models import Instrument
from brukarrevision.permissions import visible_audits
from brukarrevision.releases.models import Release
from brukarrevision.reports.models import Edition, EditionFile, Proposal

from .models import ApiToken


def audits_for(user) -> QuerySet[Audit]:
    return visible_audits(user).prefetch_related("units").order_by("-created_at", "pk")


def audit_by_slug(slug: str) -> Audit | None:
    return (
        Audit.objects.select_related("performer", "client")
        .prefetch_related("units", "target_groups")
        .filter(slug=slug)
        .first()
    )


def questionnaires(audit: Audit) -> list[dict]:
    """Every questionnaire version of the audit with the codes a paper form prints: what a
    program needs to send a response (questions are not secret: paper forms carry them)."""
    found = []
    chosen = audit.instruments.filter(kind=Instrument.Kind.QUESTIONNAIRE).order_by(
        "title", "version"
    )
    for instrument in chosen:
        form = PaperAnswersForm(instrument=instrument)
        found.append(
            {
                "id": instrument.pk,
                "title": instrument.title,
                "version": instrument.version,
                "is_current": instrument.is_current,
                "languages": list(instrument.languages),
                "items": [
                    {
                        "code": code,
                        "kind": str(item.kind),
                        "text": languages.text_in(item.text, languages.PLAIN),
                        "required": bool(item.required),
                        "codes": [
                            {"value": o.value, "label": o.label}
                            for o in options.options(item, languages.PLAIN)
                        ],
                    }
                    for code, item in form.items.items()
                ],
            }
        )
    return found


def releases_of(audit: Audit) -> QuerySet[Release]:
    # The content is read only for one release; the decisions never.
    return audit.releases.order_by("-number").only("pk", "audit", "number", "made_at", "threshold")


def release(audit: Audit, number: int) -> Release | None:
    return (
        audit.releases.filter(number=number)
        .only("pk", "audit", "number", "made_at", "threshold", "content")
        .first()
    )


def editions(audit_slug: str | None = None) -> QuerySet[Edition]:
    """Published editions, newest first: public, as on the public pages."""
    found = Edition.objects.select_related("report__audit", "release").prefetch_related(
        Prefetch("files", queryset=EditionFile.objects.defer("content").order_by("format", "pk"))
    )
    if audit_slug:
        found = found.filter(report__audit__slug=audit_slug)
    return found.defer("page", "easy_page").order_by("-published_at", "-number")


def proposals(audit: Audit) -> QuerySet[Proposal]:
    actions = PlannedAction.objects.prefetch_related("updates").order_by("due_on", "pk")
    return audit.proposals.select_related("answer").prefetch_related(
        Prefetch("actions", queryset=actions)
    )


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(owner=user).order_by("revoked_at", "-created_at")
