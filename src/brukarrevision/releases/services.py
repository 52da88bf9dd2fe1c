"""Making releases: a preview of what would change against the previous release, and the
release itself, immutable once made."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.audits.models import Audit
from brukarrevision.lib import suppression
from brukarrevision.permissions import Action, can

from . import selectors, snapshot
from .models import Release, checksum


def threshold_for(audit: Audit) -> int:
    """Never lower than any earlier release of the audit used: lowering the setting later
    must not shrink the blocks a later release may add."""
    earlier = Release.objects.filter(audit=audit).values_list("threshold", flat=True)
    return max([suppression.threshold(), *earlier])


@dataclass
class Change:
    instrument: str
    breakdown: str
    what: str  # "new", "refreshed", "kept", "unchanged", "unpublished"
    respondents_before: int | None
    respondents_now: int | None
    newly_hidden: list
    waiting: int = 0  # new respondents held back until there are enough


@dataclass
class Preview:
    snapshot: snapshot.Snapshot
    previous: Release | None
    changes: list[Change]
    new_responses: int
    digest: str


def preview(audit: Audit) -> Preview:
    previous = selectors.latest(audit)
    number = previous.number + 1 if previous else 1
    try:
        made = snapshot.build(audit, previous, threshold_for(audit), number)
    except ValueError as error:
        raise ValidationError(
            _("Responses were removed after the previous release, so no new release can be made.")
        ) from error
    before = previous.respondents if previous else 0
    return Preview(
        made, previous, _changes(made, previous), made.respondents - before, checksum(made.content)
    )


def _changes(made: snapshot.Snapshot, previous: Release | None) -> list[Change]:
    changes = []
    for pk, entry in made.content["instruments"].items():
        old_entry = previous.content["instruments"].get(pk) if previous else None
        for by, table in entry["breakdowns"].items():
            old = (old_entry or {}).get("breakdowns", {}).get(by)
            changes.append(_change(entry, by, table, old, made.decisions[pk][by]))
    return changes


def _change(entry, by, table, old, decided) -> Change:
    if not table["published"]:
        what = "unpublished"
    elif old is None or not old["published"]:
        what = "new"
    elif not decided["refreshed"]:
        what = "kept" if decided.get("waiting") else "unchanged"
    elif table == {**old, "basis": table["basis"]}:
        what = "unchanged"
    else:
        what = "refreshed"
    was_hidden = {g["key"] for g in (old or {}).get("groups", []) if g["hidden"]}
    newly = [g["label"] for g in table["groups"] if g["hidden"] and g["key"] not in was_hidden]
    return Change(
        entry["title"],
        table["label"],
        what,
        (old or {}).get("respondents"),
        table["respondents"],
        newly if old is not None else [],
        decided.get("waiting", 0),
    )


@transaction.atomic
def make_release(*, user, audit: Audit, note: str = "", expected: str = "") -> Release:
    """Makes the next release. `expected` is the checksum of the preview the coordinator
    confirmed; if answers arrived since, the release is refused so they can look again."""
    if not can(user, Action.MAKE_RELEASE, audit):
        raise PermissionDenied(Action.MAKE_RELEASE)
    Audit.objects.select_for_update().filter(pk=audit.pk).first()  # one release at a time
    seen = preview(audit)
    if expected and expected != seen.digest:
        raise ValidationError(
            _("New answers arrived after the preview. Look at the preview again and confirm.")
        )
    if seen.previous is not None and seen.new_responses == 0:
        raise ValidationError(
            _("Nothing has changed since release %(n)s.") % {"n": seen.previous.number}
        )
    made, number = seen.snapshot, seen.snapshot.content["number"]
    now = timezone.now().replace(microsecond=0)
    release = Release(
        audit=audit,
        number=number,
        made_at=now,
        made_by=user,
        note=note.strip()[:300],
        threshold=made.content["threshold"],
        respondents=made.respondents,
        channels=made.channels,
        content=made.content,
        decisions=made.decisions,
    )
    release.checksum = release.stamped_checksum()
    release.save()
    release.responses.set(made.response_ids)
    record_event(
        SecurityEvent.Kind.RELEASE_MADE,
        user=user,
        audit=audit,
        detail=f"audit {audit.slug}, release {number}, {made.respondents} responses",
    )
    return release
