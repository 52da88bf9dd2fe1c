"""The record of processing (registerförteckning, GDPR article 30) of one audit, generated
from the audit's own data: who is controller and processor, why, about whom, what, to whom,
for how long and how it is protected. Shown as a page and drawn as a tagged PDF."""

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from brukarrevision.accounts.models import SecurityPolicy
from brukarrevision.lib import suppression
from brukarrevision.organisations.models import Unit

from . import retention
from .models import Audit, AuditMember, Method, TargetGroup

# Services whose users' answers are likely to reveal health (GDPR article 9).
HEALTH_SERVICES = {
    Unit.ServiceType.PSYCHIATRY,
    Unit.ServiceType.ADDICTION,
    Unit.ServiceType.LSS,
    Unit.ServiceType.CHILD_YOUTH,
}
INTERVIEW_METHODS = {Method.INTERVIEWS, Method.FOCUS_GROUPS, Method.MIXED}


@dataclass
class Part:
    ident: str
    heading: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass
class Record:
    audit: Audit
    title: str
    made_on: datetime.date
    language: str
    parts: list[Part]


def _day(day) -> str:
    return date_format(day, "DATE_FORMAT") if day else ""


def _with_contact(organisation) -> str:
    if organisation.contact_email:
        return f"{organisation.name} ({organisation.contact_email})"
    return organisation.name


def build(audit: Audit, today: datetime.date | None = None) -> Record:
    """The record as it stands today, in the active language."""
    today = today or timezone.localdate()
    units = list(audit.units.all())
    groups = list(audit.target_groups.all())
    members = list(audit.members.all())
    interviews = audit.method in INTERVIEW_METHODS or audit.interviews.exists()
    parts = [
        _parties(audit, units, today),
        _purposes(audit),
        _subjects(audit, groups, members, interviews),
        _data(units, interviews),
        _recipients(audit, members),
        Part(
            "transfers",
            _("Transfers to third countries"),
            paragraphs=[
                _(
                    "None. The personal data are not transferred to a country outside the "
                    "EU/EEA or to an international organisation."
                )
            ],
        ),
        _retention(audit, today),
        _security(members),
    ]
    return Record(
        audit=audit,
        title=_("Record of processing: %(audit)s") % {"audit": audit.title},
        made_on=today,
        language=get_language() or "sv",
        parts=parts,
    )


def _parties(audit: Audit, units, today) -> Part:
    return Part(
        "parties",
        _("Controller and processor"),
        facts=[
            (_("Controller"), _with_contact(audit.client)),
            (_("Processor"), _with_contact(audit.performer)),
            (_("Audit"), f"{audit.title} ({audit.slug})"),
            (_("Units audited"), ", ".join(unit.name for unit in units) or "–"),
            (_("Record made"), _day(today)),
        ],
        paragraphs=[
            _(
                "The client is the controller of the personal data of the audit. The user "
                "organisation performs the audit on the client's behalf and processes the data "
                "as its processor."
            )
        ],
    )


def _purposes(audit: Audit) -> Part:
    paragraphs = [
        _(
            "A user-led audit: people with their own experience of the services ask those who "
            "use them what works and what could be better, and give the units action proposals "
            "that are followed up."
        ),
        _(
            "The answers are used only to produce results, a report and action proposals for "
            "the units audited, never to assess or make decisions about an individual."
        ),
    ]
    application = audit.application
    if application is not None and application.purpose.strip():
        paragraphs.append(
            _("The client's purpose, from its application: %(purpose)s")
            % {"purpose": application.purpose.strip()}
        )
    return Part("purposes", _("Purposes of the processing"), paragraphs=paragraphs)


def _subjects(audit: Audit, groups, members, interviews: bool) -> Part:
    items = [
        _("Respondents in the target group %(name)s (%(kind)s)")
        % {"name": group.name, "kind": group.get_kind_display()}
        for group in groups
    ] or [_("Respondents in the audit's target groups (none named yet)")]
    if any(group.kind == TargetGroup.Kind.CHILDREN for group in groups):
        items.append(_("Children: their answers are given anonymously, with help if they wish."))
    if interviews:
        items.append(_("People who have said they are willing to be interviewed"))
    auditors = sum(1 for m in members if m.role == AuditMember.Role.AUDITOR)
    items.append(
        _("The audit team: the coordinator and %(n)s auditors") % {"n": auditors}
        if auditors != 1
        else _("The audit team: the coordinator and one auditor")
    )
    items.append(_("Contact persons at the client and at the units"))
    return Part("subjects", _("Categories of data subjects"), items=items)


def _data(units, interviews: bool) -> Part:
    health = sorted(
        {str(u.get_service_type_display()) for u in units if u.service_type in HEALTH_SERVICES}
    )
    items = [
        _(
            "Answers to the questionnaires and interview guides. An answer is stored with its "
            "unit, target group, channel, language and date, and whether it was given with "
            "help or by a proxy; never with a name, an IP address or a cookie."
        ),
        (
            _(
                "The answers are likely to reveal health or other special categories of "
                "personal data (GDPR article 9): the audit concerns %(services)s."
            )
            % {"services": ", ".join(health)}
            if health
            else _(
                "The answers may reveal health or other special categories of personal data "
                "(GDPR article 9), since they describe the respondent's experience of care or "
                "support."
            )
        ),
        _(
            "Free-text answers: personal identity numbers, phone numbers and e-mail addresses "
            "are masked when they are saved; possible names are flagged for the auditors to "
            "review."
        ),
    ]
    if interviews:
        items += [
            _("Interview notes written by the auditors."),
            _(
                "Contact details of people willing to be interviewed: name or first name, phone "
                "or e-mail, and wishes and needs. They are erased when the interview is done or "
                "cancelled."
            ),
        ]
    items.append(
        _(
            "About the audit team: names, e-mail addresses, roles, signed confidentiality "
            "pledges and training; whether an auditor has own experience as a service user or "
            "relative, which may itself reveal health."
        )
    )
    return Part("data", _("Categories of personal data"), items=items)


def _recipients(audit: Audit, members) -> Part:
    published = Audit.objects.filter(pk=audit.pk, report__editions__isnull=False).exists()
    items = [
        _(
            "The audit team (%(n)s people, each after signing the confidentiality pledge) reads "
            "the raw answers, interview notes and contact details."
        )
        % {"n": len(members)},
        _(
            "The client (%(client)s) and the units receive only releases, with small groups "
            "suppressed, and the published report."
        )
        % {"client": audit.client.name},
        _("Administrators of the platform do not see raw answers."),
    ]
    if published:
        items.append(_("The public can read the published report."))
    return Part("recipients", _("Recipients"), items=items)


def _retention(audit: Audit, today) -> Part:
    if audit.raw_data_deleted_at is not None:
        date = _("Deleted on %(date)s") % {
            "date": _day(timezone.localdate(audit.raw_data_deleted_at))
        }
    elif audit.retention_until is not None:
        date = _day(audit.retention_until)
    else:
        date = _("Not set yet: %(n)s months after the report is first published") % {
            "n": retention.RETENTION_MONTHS
        }
    return Part(
        "retention",
        _("Retention"),
        facts=[(_("Raw data kept until"), date)],
        items=[
            _(
                "Deleted on the date: responses and their answers, unfinished survey answers, "
                "interview notes, interview contact details, coded passages of answers and "
                "draft renderings of the report."
            ),
            _(
                "Kept: the releases (results with small groups suppressed), the published "
                "report and what the auditors wrote themselves (codebook, findings, report "
                "texts, action proposals and follow-up)."
            ),
            _("The coordinators are warned by e-mail %(n)s days before the date.")
            % {"n": retention.WARN_DAYS},
        ],
    )


def _security(members) -> Part:
    signed = sum(1 for m in members if m.has_signed_pledge)
    second_factor = SecurityPolicy.current().require_totp_for_raw_access
    return Part(
        "security",
        _("Technical and organisational security measures"),
        items=[
            _(
                "Confidentiality pledge: %(signed)s of %(total)s in the team have signed. No one "
                "sees raw answers before signing."
            )
            % {"signed": signed, "total": len(members)},
            (
                _("Two-step sign-in is required for everyone who can see raw answers.")
                if second_factor
                else _(
                    "Two-step sign-in is offered but not required for those who see raw answers."
                )
            ),
            _(
                "Groups with fewer than %(n)s respondents are suppressed in everything that "
                "leaves the team, with complementary suppression so that no total reveals them."
            )
            % {"n": suppression.threshold()},
            _(
                "Logging: sign-ins, refused access and every view or export of raw answers are "
                "logged with who, what, when and from where."
            ),
            _(
                "Each client organisation is a separate tenant, and pages with personal data "
                "are never stored in the browser's cache."
            ),
        ],
    )


# Drawing ------------------------------------------------------------------------------------------


def html(record: Record) -> str:
    """A whole HTML document, for printing to PDF."""
    return render_to_string("audits/processing_record_document.html", {"record": record})


def pdf(record: Record) -> bytes:
    """A tagged PDF (PDF/UA-1) with its language set, drawn as the report's PDF is."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from brukarrevision.reports.rendering import table_structure

    class Nothing(URLFetcher):
        """The record needs nothing from elsewhere, and fetches nothing."""

        def fetch(self, url, headers=None):
            raise ValueError(f"Nothing is fetched for the record: {url}")

    source = HTML(string=html(record), url_fetcher=Nothing())
    return source.write_pdf(pdf_variant="pdf/ua-1", finisher=table_structure)


def filename(audit: Audit) -> str:
    return f"{audit.slug}-registerforteckning.pdf"
