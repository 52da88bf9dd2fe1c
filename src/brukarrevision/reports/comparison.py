"""A re-audit beside the earlier audit of the same unit: the questions both asked (matched by
item code, which a copied questionnaire keeps), for the units both covered, suppressed as
everywhere; and what became of the earlier audit's proposals."""

from django.utils.translation import gettext as _

from brukarrevision.analysis import results
from brukarrevision.audits.models import Audit
from brukarrevision.instruments.models import Item

from . import document


def _shares(audit: Audit, units) -> dict:
    instrument = document.questionnaire(audit)
    if instrument is None:
        return {}
    found = {}
    for result in results.item_results(instrument, suppressed=True, units=units):
        if result.total.hidden:
            found[result.code] = (result.text, None)
        elif result.is_scale:
            found[result.code] = (result.text, result.positive_share(result.total))
        elif result.kind == Item.Kind.YES_NO:
            found[result.code] = (result.text, result.figure(result.total, "yes").percent)
    return found


def items_table(earlier: Audit, later: Audit) -> list[list[str]]:
    units = list(earlier.units.filter(pk__in=later.units.all()))
    before, now = _shares(earlier, units), _shares(later, units)
    rows = []
    for code, (text, share) in now.items():
        if code not in before:
            continue
        was = before[code][1]
        change = "" if was is None or share is None else f"{share - was:+.1f}".replace(".", ",")
        rows.append([f"{code}: {text}", _percent(was), _percent(share), change])
    return rows


def _percent(value) -> str:
    from brukarrevision.analysis import presenting

    if value is None:
        return presenting.withheld_text()
    return f"{value:.1f} %".replace(".", ",")


def proposals_table(earlier: Audit) -> list[list[str]]:
    rows = []
    for proposal in earlier.proposals.prefetch_related("actions"):
        answer = getattr(proposal, "answer", None)
        actions = list(proposal.actions.all())
        status = ", ".join(a.get_status_display() for a in actions) or _("no action planned")
        rows.append(
            [str(proposal), answer.get_decision_display() if answer else _("not answered"), status]
        )
    return rows
