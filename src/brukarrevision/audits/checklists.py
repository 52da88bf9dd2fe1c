"""What must be done in each phase before the audit moves on.

An item with a `check` is read off the audit's data; an item without one is ticked by hand.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Audit, AuditMember, Phase, TrainingTopic

MIN_AUDITORS = 2
MAX_AUDITORS = 5


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    check: Callable[[Audit], bool] | None = None


@dataclass(frozen=True)
class ItemState:
    item: Item
    done: bool
    manual: bool


def _auditors(audit: Audit):
    return audit.members.filter(role=AuditMember.Role.AUDITOR)


def _team_size_ok(audit: Audit) -> bool:
    return MIN_AUDITORS <= _auditors(audit).count() <= MAX_AUDITORS


def _all_trained(audit: Audit) -> bool:
    auditors = list(_auditors(audit).prefetch_related("user__training"))
    needed = set(TrainingTopic.values)
    return bool(auditors) and all(
        needed <= {record.topic for record in member.user.training.all()} for member in auditors
    )


def _all_pledged(audit: Audit) -> bool:
    return not audit.members.filter(pledge_signed_at__isnull=True).exists() and (
        audit.members.exists()
    )


def _results_released(audit: Audit) -> bool:
    return audit.releases.exists()


def _has_audit_questions(audit: Audit) -> bool:
    return audit.audit_questions.exists()


def _instruments_built(audit: Audit) -> bool:
    from brukarrevision.instruments import selectors

    return any(i.sections.filter(items__isnull=False).exists() for i in selectors.current(audit))


def _versions_complete(audit: Audit) -> bool:
    from brukarrevision.instruments import selectors

    instruments = selectors.current(audit)
    return bool(instruments) and not any(selectors.missing_translations(i) for i in instruments)


def _timeline_set(audit: Audit) -> bool:
    later = [p for p in Phase.values if Phase.PLANNING < p < Phase.CLOSED]
    return audit.phase_dates.filter(phase__in=later, due_on__isnull=False).count() == len(later)


CHECKLISTS: dict[int, list[Item]] = {
    Phase.PLANNING: [
        Item("units", _("Units in scope chosen"), lambda a: a.units.exists()),
        Item("target_groups", _("Target groups named"), lambda a: a.target_groups.exists()),
        Item("method", _("Method chosen"), lambda a: bool(a.method)),
        Item("quotas", _("Sample plan with quotas"), lambda a: a.quotas.exists()),
        Item("timeline", _("Date set for the end of every phase"), _timeline_set),
        Item("budget", _("Budget set"), lambda a: a.budget_sek is not None),
        Item(
            "informers",
            _("Named who informs users and staff"),
            lambda a: bool(a.informs_users and a.informs_staff),
        ),
        Item("plan_agreed", _("Plan agreed with the client")),
    ],
    Phase.TEAM: [
        Item(
            "coordinator",
            _("Coordinator assigned"),
            lambda a: a.members.filter(role=AuditMember.Role.COORDINATOR).exists(),
        ),
        Item("team_size", _("Two to five auditors in the team"), _team_size_ok),
        Item(
            "trained",
            _("Every auditor trained in law, secrecy and interview technique"),
            _all_trained,
        ),
        Item(
            "pledges", _("Everyone in the team has signed the confidentiality pledge"), _all_pledged
        ),
        Item("fees_explained", _("Fees and travel claims explained to the auditors")),
    ],
    Phase.INSTRUMENTS: [
        Item("audit_questions", _("Audit questions written by the auditors"), _has_audit_questions),
        Item("instruments_built", _("Questionnaire or interview guide built"), _instruments_built),
        Item(
            "versions_checked",
            _("Every language version of every instrument is complete"),
            _versions_complete,
        ),
        Item("tried_out", _("Instruments tried out on a few people from the target groups")),
    ],
    Phase.COLLECTION: [
        Item("informed", _("Users and staff informed about the audit")),
        Item("distributed", _("Links, paper forms and interviews arranged")),
        Item("quotas_met", _("Quotas reached, or the shortfall explained")),
    ],
    Phase.ANALYSIS: [
        Item("results_reviewed", _("Results reviewed per question and group")),
        Item("text_coded", _("Free text and interview notes coded")),
        Item("findings_written", _("Good examples and areas to improve written")),
        Item(
            "results_released",
            _("Results released for the client and the units (a release)"),
            _results_released,
        ),
    ],
    Phase.REPORT: [
        Item("ratings", _("Colour rating given for each quality area")),
        Item("proposals", _("Action proposals written")),
        Item("report_reviewed", _("Report reviewed")),
        Item("report_published", _("Report and easy-to-read summary published")),
    ],
    Phase.FEEDBACK: [
        Item("meeting_held", _("Feedback meeting held")),
        Item("proposals_answered", _("The unit has answered every proposal")),
        Item("action_plan", _("Action plan with owners and dates")),
    ],
    Phase.FOLLOW_UP: [
        Item("follow_up_dates", _("Follow-up dates set")),
        Item("status_updated", _("Status of every action updated")),
        Item("re_audit_considered", _("Re-audit considered")),
    ],
}


def checklist(audit: Audit, phase: int | None = None) -> list[ItemState]:
    phase = audit.phase if phase is None else phase
    ticked = set(audit.ticks.values_list("key", flat=True))
    return [
        ItemState(
            item=item,
            done=item.check(audit) if item.check else item.key in ticked,
            manual=item.check is None,
        )
        for item in CHECKLISTS.get(phase, [])
    ]


def manual_item(phase: int, key: str) -> Item | None:
    return next(
        (item for item in CHECKLISTS.get(phase, []) if item.key == key and item.check is None),
        None,
    )


def is_complete(audit: Audit) -> bool:
    return all(state.done for state in checklist(audit))
