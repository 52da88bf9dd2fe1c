"""Reads of the OpenRosa endpoints: which questionnaires an interviewer may collect."""

from brukarrevision.instruments.models import Instrument
from brukarrevision.permissions import may_collect_offline, visible_audits

from . import xforms
from .models import AppPassword


def offline_questionnaires(user) -> list[Instrument]:
    """The current, frozen questionnaires of every audit `user` may enter answers for."""
    audits = [a for a in visible_audits(user) if may_collect_offline(user, a)]
    instruments = (
        Instrument.objects.filter(
            audit__in=audits,
            kind=Instrument.Kind.QUESTIONNAIRE,
            frozen_at__isnull=False,
            next_version__isnull=True,
        )
        .select_related("audit")
        .order_by("audit__title", "title", "pk")
    )
    # A form needs a unit and a target group to put its answers under.
    return [i for i in instruments if all(xforms.audience(i))]


def questionnaire(form_id: str) -> Instrument | None:
    """The frozen questionnaire a form id names (older versions too: a phone may send
    answers days later), or None."""
    found = xforms.instrument_id(form_id)
    if found is None:
        return None
    slug, pk = found
    return (
        Instrument.objects.filter(
            pk=pk,
            audit__slug=slug,
            kind=Instrument.Kind.QUESTIONNAIRE,
            frozen_at__isnull=False,
        )
        .select_related("audit")
        .first()
    )


def app_passwords(user) -> list[AppPassword]:
    return list(AppPassword.objects.filter(user=user))
