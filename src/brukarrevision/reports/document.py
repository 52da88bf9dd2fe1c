"""The one report model: the report as a list of blocks (headings, paragraphs, tables, charts,
quotes, lists) built from the auditors' texts and the audit's data. DOCX, PDF and HTML are
all drawn from it, so they say the same thing. Every figure in it is suppressed as for clients,
and quotes from small groups are withheld."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brukarrevision.analysis import presenting
from brukarrevision.analysis.models import Coding, Finding
from brukarrevision.analysis.results import MULTIPLE_NOTE, POSITIVE_DEFINITION
from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Channel
from brukarrevision.instruments import selectors as instrument_selectors
from brukarrevision.instruments.models import QualityArea
from brukarrevision.lib import charts
from brukarrevision.releases import selectors as release_selectors
from brukarrevision.releases.models import Release

from .models import Assessment, Proposal, Report


@dataclass
class Heading:
    level: int
    text: str
    kind: str = "heading"


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Bullets:
    items: list[str]
    kind: str = "bullets"


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    kind: str = "table"
    notes: list[str] = field(default_factory=list)  # printed under the table


@dataclass
class Figure:
    chart: charts.Chart
    table: Table | None
    kind: str = "figure"


@dataclass
class Quote:
    text: str
    source: str
    kind: str = "quote"


@dataclass
class Document:
    title: str
    subtitle: str
    language: str
    blocks: list = field(default_factory=list)

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)

    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading)]


SECTIONS = [
    # key, heading, whether the text is followed by generated content
    ("summary", gettext_lazy("Summary of the report")),
    ("background", gettext_lazy("Background and audit questions")),
    ("method", gettext_lazy("Method and respondents")),
    ("assessment", gettext_lazy("Assessment per quality area")),
    ("results", gettext_lazy("Results")),
    ("quotes", gettext_lazy("In the respondents' own words")),
    ("good_examples", gettext_lazy("Good examples")),
    ("improvements", gettext_lazy("Areas to improve")),
    ("proposals", gettext_lazy("Action proposals")),
    ("comparison", gettext_lazy("Compared with the earlier audit")),
    ("easy_summary", gettext_lazy("Easy-to-read summary")),
]


def _number(value, decimals: int = 1) -> str:
    if value is None:
        return presenting.withheld_text()
    if isinstance(value, float):
        return f"{value:.{decimals}f}".replace(".", ",")
    return str(value)


def questionnaire(audit: Audit):
    return instrument_selectors.questionnaires(audit).first()


@dataclass
class Released:
    """The release a document rests on, and its first questionnaire's entry (None when
    nothing is released yet: then the document has no figures)."""

    release: Release | None
    entry: dict | None

    @classmethod
    def of(cls, audit: Audit, release: Release | None = None) -> "Released":
        release = release or release_selectors.latest(audit)
        found = release_selectors.entry_for(release) if release else None
        return cls(release, found[1] if found else None)


# The full report ----------------------------------------------------------------------------------


def build(audit: Audit, report: Report | None = None, release: Release | None = None) -> Document:
    """The full report; its figures come from `release` (the audit's latest by default)."""
    report = report or getattr(audit, "report", None)
    texts = {s.key: s for s in report.sections.all()} if report else {}
    document = Document(
        audit.title,
        _("Report of a user-led audit · %(client)s · %(performer)s")
        % {"client": audit.client.name, "performer": audit.performer.name},
        "sv",
    )
    released = Released.of(audit, release)
    for key, default_heading in SECTIONS:
        if key == "easy_summary":
            continue
        if key == "comparison" and audit.previous_audit is None:
            continue
        section = texts.get(key)
        document.add(Heading(1, section.heading if section else str(default_heading)))
        for paragraph in _paragraphs(section.text if section else ""):
            document.add(Paragraph(paragraph))
        _GENERATED[key](document, audit, released)
    return document


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _background(document, audit, released):
    questions = list(audit.audit_questions.order_by("number"))
    if questions:
        document.add(Bullets([f"{q.number}. {q.text}" for q in questions]))


def taking_part_sentence(release: Release | None) -> str:
    """ "26 people took part: web 19, paper 5, interview fewer than 5." for the summary."""
    found = release_selectors.participation(release) if release else None
    if not found or not found[1]:
        return ""
    rows, total = found
    fewer = _("fewer than %(n)s") % {"n": release.threshold}
    channels = dict(Channel.choices)
    parts = [
        f"{label} {fewer if n is None else n}"
        for label, n in rows
        if label in map(str, channels.values())
    ]
    return _("%(n)s people took part: %(channels)s.") % {"n": total, "channels": ", ".join(parts)}


def _no_release(document, released) -> bool:
    if released.entry is None:
        document.add(Paragraph(_("No results are released yet.")))
        return True
    return False


def _method(document, audit, released):
    if _no_release(document, released):
        return
    taking_part = release_selectors.participation(released.release)
    if taking_part is not None:
        rows, total = taking_part
        fewer = _("fewer than %(n)s") % {"n": released.release.threshold}
        document.add(
            Table(
                _("Everyone who took part, by channel and way of answering"),
                [_("Channel or way of answering"), _("People")],
                [[label, fewer if n is None else str(n)] for label, n in rows]
                + [[_("All who took part"), str(total)]],
                notes=[_("Assisted and proxy answers are also counted under their channel.")],
            )
        )
    for by, label in [
        ("unit", _("Respondents per unit")),
        ("target_group", _("Respondents per target group")),
        ("channel", _("Respondents per channel")),
    ]:
        rows, total = release_selectors.respondents_table(released.entry, by)
        document.add(
            Table(
                label,
                [_("Group"), _("Respondents")],
                [[name, _number(n)] for name, n in rows] + [[_("All"), _number(total)]],
            )
        )


def _assessment(document, audit, released):
    ratings = {a.quality_area: a for a in Assessment.objects.filter(audit=audit)}
    if not ratings:
        return
    rows = [
        [str(QualityArea(area).label), ratings[area].get_rating_display(), ratings[area].reason]
        for area in QualityArea.values
        if area in ratings
    ]
    document.add(
        Table(
            _("Colour rating per quality area"), [_("Quality area"), _("Rating"), _("Reason")], rows
        )
    )


def _results(document, audit, released):
    if _no_release(document, released):
        return
    found = release_selectors.rebuild(released.entry, "")
    for block in presenting.blocks(found, "quality_area"):
        document.add(Heading(2, block.heading))
        for shown in block.items:
            if shown.chart is None:
                continue
            document.add(Figure(shown.chart, _data_table(shown.result)))


def _data_table(result) -> Table:
    header = [_("Answer"), _("Count"), _("Percent")]
    rows = []
    for row in result.rows():
        figure = row["figures"][-1]
        count = _number(figure.count)
        percent = (
            "" if figure.percent is None and figure.count is not None else _number(figure.percent)
        )
        rows.append([row["label"], count, percent])
    if not rows:  # a number question: its distribution
        total = result.total
        for value in result.numbers(total):
            figure = result.figure(total, value)
            rows.append([value, _number(figure.count), _number(figure.percent)])
    total, notes = result.total, []
    if result.is_scale and not total.hidden:
        rows.append([_("Share positive"), "", _number(result.positive_share(total))])
        rows.append([_("Mean"), _number(result.mean(total), 2), ""])
        notes.append(str(POSITIVE_DEFINITION))
    if result.is_multiple:
        notes.append(str(MULTIPLE_NOTE))
    caption = f"{result.code}: {result.text}"
    if not total.hidden:
        caption += " " + _("(answered: %(n)s; base for the percentages: %(base)s)") % {
            "n": total.answered,
            "base": result.base(total),
        }
    return Table(caption, header, rows, notes=notes)


def quotes(audit: Audit, release: Release | None = None) -> list[tuple[str, str]]:
    """Quotes marked for the report, only from responses the release rests on, and none from
    a unit with fewer respondents than the release's threshold: there a quote could point
    to a person."""
    release = release or release_selectors.latest(audit)
    if release is None:
        return []
    allowed = release_selectors.units_large_enough(release)
    found, seen = [], set()
    marked = Coding.objects.filter(
        code__audit=audit, is_quote=True, answer__response__releases=release
    ).select_related("answer__response__target_group")
    for coding in marked.order_by("pk"):
        response = coding.answer.response
        if coding.passage in seen or response.unit_id not in allowed:
            continue
        seen.add(coding.passage)
        found.append((coding.passage, response.target_group.name))
    return found


def _quotes(document, audit, released):
    for text, source in quotes(audit, released.release):
        document.add(Quote(text, source))


def _findings(kind):
    def add(document, audit, released):
        for finding in Finding.objects.filter(audit=audit, kind=kind):
            document.add(Heading(2, finding.title))
            document.add(Paragraph(finding.text))
            document.add(
                Paragraph(
                    _("Quality areas: %(areas)s")
                    % {"areas": ", ".join(finding.quality_area_labels)}
                )
            )

    return add


def _proposals(document, audit, released):
    proposals = list(Proposal.objects.filter(audit=audit))
    if not proposals:
        return
    document.add(
        Table(
            _("Action proposals"),
            [_("No."), _("Proposal"), _("Quality area"), _("Level"), _("Priority")],
            [
                [
                    str(p.number),
                    p.title,
                    p.get_quality_area_display(),
                    p.get_level_display(),
                    p.get_priority_display(),
                ]
                for p in proposals
            ],
        )
    )
    for proposal in proposals:
        document.add(Heading(2, str(proposal)))
        for paragraph in _paragraphs(proposal.text):
            document.add(Paragraph(paragraph))
        if proposal.recipient:
            document.add(Paragraph(_("Passed on to: %(who)s") % {"who": proposal.recipient}))


def _comparison(document, audit, released):
    from . import comparison

    earlier = audit.previous_audit
    compared = comparison.items_table(earlier, audit, released.release)
    if compared.rows:
        document.add(Table(
            _("Share of positive answers, earlier audit and now"),
            [_("Question"), compared.earlier_heading, compared.later_heading, _("Difference")],
            compared.rows,
            notes=[str(POSITIVE_DEFINITION)],
        ))  # fmt: skip
        for note in compared.notes:
            document.add(Paragraph(note))
    carried = comparison.proposals_table(earlier)
    if carried:
        document.add(Heading(2, _("What happened to the earlier proposals")))
        document.add(Table(
            _("Earlier proposals and their status"),
            [_("Proposal"), _("Answer"), _("Status")],
            carried,
        ))  # fmt: skip


def _nothing(document, audit, released):
    return None


_GENERATED = {
    "summary": _nothing,
    "background": _background,
    "method": _method,
    "assessment": _assessment,
    "results": _results,
    "quotes": _quotes,
    "good_examples": _findings(Finding.Kind.GOOD_EXAMPLE),
    "improvements": _findings(Finding.Kind.IMPROVEMENT),
    "proposals": _proposals,
    "comparison": _comparison,
}


# The easy-to-read summary -------------------------------------------------------------------------


def build_easy(
    audit: Audit, report: Report | None = None, release: Release | None = None
) -> Document:
    """Short sentences, common words, the most important first, one thing at a time."""
    report = report or getattr(audit, "report", None)
    document = Document(
        _("What we found out"),
        _("An easy-to-read summary of the user-led audit of %(unit)s")
        % {"unit": ", ".join(u.name for u in audit.units.all())},
        "sv",
    )
    intro = report.text("easy_summary") if report else ""
    for paragraph in _paragraphs(intro):
        document.add(Paragraph(paragraph))
    released = Released.of(audit, release)
    document.add(Heading(1, _("What we did")))
    taking_part = release_selectors.participation(released.release) if released.release else None
    if taking_part and taking_part[1]:
        document.add(Paragraph(_("%(n)s people answered our questions.") % {"n": taking_part[1]}))
    document.add(Paragraph(_("We are users ourselves. We asked other users what they think.")))
    _easy_list(
        document, _("This works well"), Finding.objects.filter(audit=audit, kind="good_example")
    )
    _easy_list(
        document, _("This can be better"), Finding.objects.filter(audit=audit, kind="improvement")
    )
    proposals = Proposal.objects.filter(audit=audit)
    if proposals:
        document.add(Heading(1, _("What we propose")))
        document.add(Bullets([p.title for p in proposals]))
    document.add(Heading(1, _("What happens now")))
    document.add(
        Paragraph(_("The unit answers every proposal. You can follow what happens on our website."))
    )
    made = released.release.made_at if released.release else timezone.now()
    document.add(
        Paragraph(_("Results from %(date)s.") % {"date": timezone.localdate(made).isoformat()})
    )
    return document


def _easy_list(document, heading, findings) -> None:
    titles = [f.title for f in findings]
    if titles:
        document.add(Heading(1, heading))
        document.add(Bullets(titles))
