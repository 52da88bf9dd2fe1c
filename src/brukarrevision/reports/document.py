"""The one report model: the report as a list of blocks (headings, paragraphs, tables, charts,
quotes, lists, colour ratings) built from the auditors' texts and the audit's data. DOCX, PDF
and HTML are all drawn from it, so they say the same thing. Every figure in it is suppressed
as for clients, and quotes from small groups are withheld.

The report follows the order auditors write it in: summary; background, with the method and
who answered; results by quality area, each with its colour rating, after an overview of the
ratings, then quotes; good examples; areas to improve; action proposals; the unit's answers to
them once given; and for a re-audit the comparison with the earlier audit. Readers see
questions and answers in words, never item codes or stored values.

The easy-to-read summary is written from the same release in short sentences: how many took
part, a few key results ("7 av 10 …"), what works well and what can be better, each proposal
in the auditors' easy-to-read words, and what happens now."""

import datetime
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from brukarrevision.analysis import presenting
from brukarrevision.analysis.models import Coding, Finding
from brukarrevision.analysis.results import MULTIPLE_NOTE, POSITIVE_DEFINITION, ItemResult
from brukarrevision.audits.models import Audit
from brukarrevision.collection.models import Channel
from brukarrevision.instruments import languages
from brukarrevision.instruments import selectors as instrument_selectors
from brukarrevision.instruments.models import Item, QualityArea
from brukarrevision.lib import charts
from brukarrevision.releases import selectors as release_selectors
from brukarrevision.releases.models import Release

from .models import Assessment, Proposal, Report

# Charts in documents: narrow enough for two side by side on A4, rows as tall as their labels.
CHART_WIDTH = 360
CHART_ROW = 22


@dataclass
class Heading:
    level: int
    text: str
    kind: str = "heading"
    anchor: str = ""  # set by Document.add, for the table of contents


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
    widths: list[int] | None = None  # share of the width per column, in percent


@dataclass
class Figure:
    chart: charts.Chart
    table: Table | None
    kind: str = "figure"
    ident: str = "figure"  # unique in the document: the chart's and its caption's ids


@dataclass
class Figures:
    items: list[Figure]
    kind: str = "figures"


@dataclass
class Quote:
    text: str
    source: str
    kind: str = "quote"


class Mark(str):
    """A colour rating as text ("Green: works well") that also carries its symbol and colours:
    every format shows the colour, the symbol and the words, so the rating reads in greyscale
    and to a screen reader. A str, so tables and searches treat it as its words."""

    rating: str
    symbol: str
    colour: str  # background
    ink: str  # text on that background

    def __new__(cls, text: str, rating: str, symbol: str, colour: str, ink: str):
        made = super().__new__(cls, text)
        made.rating, made.symbol, made.colour, made.ink = rating, symbol, colour, ink
        return made

    @property
    def is_mark(self) -> bool:
        return True


@dataclass
class Rated:
    """A quality area's colour rating with the auditors' reason, under its results."""

    mark: Mark
    reason: str
    kind: str = "rated"


RATING_LOOK = {
    # rating: (colour word, symbol, background, text colour); contrast at least 4.5:1
    Assessment.Rating.WORKS_WELL: (pgettext_lazy("colour rating", "green"), "✔", "#1a7f37", "#fff"),
    Assessment.Rating.PARTLY: (pgettext_lazy("colour rating", "yellow"), "◐", "#f2c12e", "#111"),
    Assessment.Rating.NEEDS_IMPROVEMENT: (
        pgettext_lazy("colour rating", "red"),
        "✖",
        "#b42318",
        "#fff",
    ),
}


def mark(assessment: Assessment) -> Mark:
    colour_word, symbol, colour, ink = RATING_LOOK[assessment.rating]
    text = _("%(colour)s: %(rating)s") % {
        "colour": str(colour_word).capitalize(),
        "rating": assessment.get_rating_display(),
    }
    return Mark(text, assessment.rating, symbol, colour, ink)


@dataclass
class Document:
    title: str
    subtitle: str
    language: str
    blocks: list = field(default_factory=list)
    author: str = ""  # the performing organisation
    keywords: list[str] = field(default_factory=list)
    date: datetime.date | None = None
    cover: list[tuple[str, str]] = field(default_factory=list)  # (label, value) on the cover
    contents: bool = False  # a table of contents after the cover
    easy: bool = False

    def add(self, *blocks) -> None:
        for block in blocks:
            if isinstance(block, Heading) and not block.anchor:
                block.anchor = f"part-{sum(1 for b in self.blocks if b.kind == 'heading') + 1}"
            self.blocks.append(block)

    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Heading)]

    def grouped(self) -> list:
        """The blocks with each run of figures gathered in one `Figures`, so that a layout
        can set them side by side."""
        found: list = []
        for block in self.blocks:
            if block.kind == "figure":
                if not found or found[-1].kind != "figures":
                    found.append(Figures([]))
                found[-1].items.append(block)
            else:
                found.append(block)
        return found

    def table_of_contents(self, deepest: int = 1) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= deepest]

    def text(self) -> str:
        """The prose of the document, one sentence or line per line, for readability (LIX):
        titles, headings, paragraphs, lists, quotes and ratings; not the tables' figures."""
        lines = [self.title, self.subtitle]
        for block in self.blocks:
            if block.kind in ("heading", "paragraph"):
                lines.append(block.text)
            elif block.kind == "bullets":
                lines.extend(block.items)
            elif block.kind == "quote":
                lines.append(block.text)
            elif block.kind == "rated":
                lines.extend([block.mark, block.reason])
        return "\n".join(line for line in lines if line)


SECTIONS = [
    # the auditors' editable texts, in the order the report shows them
    ("summary", gettext_lazy("Summary of the report")),
    ("background", gettext_lazy("Background and audit questions")),
    ("method", gettext_lazy("Method and respondents")),
    ("results", gettext_lazy("Results")),
    ("assessment", gettext_lazy("Assessment per quality area")),
    ("quotes", gettext_lazy("In the respondents' own words")),
    ("good_examples", gettext_lazy("Good examples")),
    ("improvements", gettext_lazy("Areas to improve")),
    ("proposals", gettext_lazy("Action proposals")),
    ("answers", gettext_lazy("The unit's answers")),
    ("comparison", gettext_lazy("Compared with the earlier audit")),
    ("easy_summary", gettext_lazy("Easy-to-read summary")),
]
HEADINGS = dict(SECTIONS)


def _number(value, decimals: int = 1) -> str:
    if value is None:
        return presenting.withheld_text()
    if isinstance(value, float):
        return f"{value:.{decimals}f}".replace(".", ",")
    return str(value)


def _date(value) -> str:
    return formats.date_format(value, "j F Y") if value else ""


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

    def totals(self) -> list[ItemResult]:
        """Every released question's figures for all respondents together."""
        return release_selectors.rebuild(self.entry, "") if self.entry else []


# The full report ----------------------------------------------------------------------------------


def _about(audit: Audit, released: Released) -> dict:
    """What the cover and the file's properties say: who, for whom, when, and whom to ask."""
    dates = list(audit.phase_dates.all())
    starts = [d.starts_on for d in dates if d.starts_on]
    ends = [d.due_on for d in dates if d.due_on]
    cover = [
        (_("Client"), audit.client.name),
        (_("Performed by"), audit.performer.name),
        (_("Units"), ", ".join(u.name for u in audit.units.all())),
    ]
    if starts and ends:
        cover.append((_("Period"), f"{_date(min(starts))} – {_date(max(ends))}"))
    if released.release:
        cover.append(
            (
                _("Results from"),
                _("release %(n)s, %(date)s")
                % {
                    "n": released.release.number,
                    "date": _date(timezone.localdate(released.release.made_at)),
                },
            )
        )
    contact = _contact(audit)
    if contact:
        cover.append((_("Contact"), contact))
    made = released.release.made_at if released.release else timezone.now()
    return {
        "author": audit.performer.name,
        "keywords": [str(_("user-led audit")), audit.client.name]
        + [u.name for u in audit.units.all()],
        "date": timezone.localdate(made),
        "cover": cover,
    }


def _contact(audit: Audit) -> str:
    if audit.performer.contact_email:
        return f"{audit.performer.name}, {audit.performer.contact_email}"
    coordinator = audit.coordinator_member()
    if coordinator is not None:
        return f"{coordinator.user.full_name or coordinator.user.email}, {coordinator.user.email}"
    return ""


def build(audit: Audit, report: Report | None = None, release: Release | None = None) -> Document:
    """The full report; its figures come from `release` (the audit's latest by default)."""
    report = report or getattr(audit, "report", None)
    texts = {s.key: s for s in report.sections.all()} if report else {}
    released = Released.of(audit, release)
    document = Document(
        audit.title,
        _("Report of a user-led audit · %(client)s · %(performer)s")
        % {"client": audit.client.name, "performer": audit.performer.name},
        "sv",
        contents=True,
        **_about(audit, released),
    )

    def section(key: str, level: int, generate=None, shown: bool = True) -> None:
        if not shown:
            return
        stored = texts.get(key)
        document.add(Heading(level, stored.heading if stored else str(HEADINGS[key])))
        for paragraph in _paragraphs(stored.text if stored else ""):
            document.add(Paragraph(paragraph))
        if generate is not None:
            generate(document, audit, released)

    found_quotes = quotes(audit, released.release)
    section("summary", 1)
    section("background", 1, _background)
    section("method", 2, _method)
    section("results", 1)
    section("assessment", 2, _assessment)
    _results(document, audit, released)
    quoted = found_quotes or (texts.get("quotes") and texts["quotes"].text.strip())
    section("quotes", 2, lambda d, a, r: _quotes(d, found_quotes), shown=bool(quoted))
    section("good_examples", 1, _findings(Finding.Kind.GOOD_EXAMPLE))
    section("improvements", 1, _findings(Finding.Kind.IMPROVEMENT))
    section("proposals", 1, _proposals)
    section("answers", 1, _answers, shown=_answered(audit).exists())
    section("comparison", 1, _comparison, shown=audit.previous_audit is not None)
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
                widths=[70, 30],
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
                widths=[50, 50],
            )
        )


def _ratings(audit: Audit) -> dict[str, Assessment]:
    return {a.quality_area: a for a in Assessment.objects.filter(audit=audit)}


def _assessment(document, audit, released):
    ratings = _ratings(audit)
    if not ratings:
        return
    rows = [
        [str(QualityArea(area).label), mark(ratings[area]), ratings[area].reason]
        for area in QualityArea.values
        if area in ratings
    ]
    document.add(
        Table(
            _("Colour rating per quality area"),
            [_("Quality area"), _("Rating"), _("Reason")],
            rows,
            notes=[
                _("Green (✔) works well, yellow (◐) works partly, red (✖) needs improvement."),
            ],
            widths=[26, 27, 47],
        )
    )


def _area_of(result: ItemResult) -> str:
    top = result.item.parent if result.item.parent_id else result.item
    return top.quality_area or ""


def _results(document, audit, released):
    """The results by quality area, in the order of the quality areas: each area's heading,
    its colour rating and reason, then a chart and data table per question."""
    if _no_release(document, released):
        return
    found = released.totals()
    order = {area: index for index, area in enumerate(QualityArea.values)}
    ratings = _ratings(audit)
    blocks = presenting.blocks(found, "quality_area")
    blocks.sort(key=lambda b: order.get(_area_of(b.items[0].result), len(order)))
    number = 0
    for block in blocks:
        area = _area_of(block.items[0].result)
        document.add(Heading(2, block.heading))
        if area in ratings:
            document.add(Rated(mark(ratings[area]), ratings[area].reason))
        for shown in block.items:
            number += 1
            drawn = chart(shown.result, f"figure-{number}")
            if drawn is None:
                continue
            document.add(Figure(drawn, _data_table(shown.result), ident=f"figure-{number}"))


def chart(result: ItemResult, ident: str) -> charts.Chart | None:
    """The question's chart for a document: sized to its rows and labels, titled with the
    question (never its code)."""
    withheld = presenting.withheld_text()
    size = {"width": CHART_WIDTH, "row_height": CHART_ROW}
    total = result.total
    if result.is_scale:
        steps = [label for _value, label in result.values]
        counts = None if total.hidden else [total.count(value) for value, _l in result.values]
        return charts.rating(
            result.text,
            steps,
            [(total.label, counts)],
            withheld,
            ident,
            label_width=charts.label_width_for([total.label]),
            **size,
        )
    if result.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE, Item.Kind.YES_NO):
        rows = [(label, result.figure(total, value).percent) for value, label in result.values]
    elif result.kind == Item.Kind.NUMBER:
        rows = [(v, result.figure(total, v).percent) for v in result.numbers(total)]
    else:
        return None
    if not rows:
        return None
    labels = [label for label, _percent in rows]
    width = charts.label_width_for(labels, most=CHART_WIDTH // 2)
    return charts.bars(result.text, rows, withheld, ident, label_width=width, **size)


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
    caption = result.text
    if not total.hidden:
        caption += " " + _("(answered: %(n)s; base for the percentages: %(base)s)") % {
            "n": total.answered,
            "base": result.base(total),
        }
    return Table(caption, header, rows, notes=notes, widths=[56, 20, 24])


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


def _quotes(document, found):
    for text, source in found:
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
            widths=[7, 45, 20, 14, 14],
        )
    )
    for proposal in proposals:
        document.add(Heading(2, str(proposal)))
        for paragraph in _paragraphs(proposal.text):
            document.add(Paragraph(paragraph))
        if proposal.recipient:
            document.add(Paragraph(_("Passed on to: %(who)s") % {"who": proposal.recipient}))


def _answered(audit: Audit):
    return Proposal.objects.filter(audit=audit, answer__isnull=False)


def _answers(document, audit, released):
    """The unit's answer to each proposal (from the feedback), with its reasons."""
    answered = _answered(audit).select_related("answer")
    document.add(
        Table(
            _("The unit's answers to the proposals"),
            [_("Proposal"), _("Answer"), _("Reasons")],
            [[str(p), p.answer.get_decision_display(), p.answer.reason] for p in answered],
            widths=[38, 17, 45],
        )
    )


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
            widths=[46, 20, 20, 14],
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
            widths=[50, 20, 30],
        ))  # fmt: skip


# The easy-to-read summary -------------------------------------------------------------------------

KEY_RESULTS = 2  # sentences per list: what works well, what can be better
WELL = 60  # share positive (%) from which a result "works well"


def key_results(released: Released) -> tuple[list[str], list[str]]:
    """A few released results in short sentences: ("8 of 10 agree with: …") for the
    questions most agreed with and least agreed with. Only scale questions whose share
    positive the release shows; a hidden figure is never used."""
    shown = []
    for result in released.totals():
        share = result.positive_share(result.total) if result.is_scale else None
        if share is not None:
            shown.append((share, result))
    shown.sort(key=lambda pair: pair[0])
    best = [pair for pair in reversed(shown) if pair[0] >= WELL][:KEY_RESULTS]
    worst = [pair for pair in shown if pair[0] < WELL][:KEY_RESULTS]
    return [_sentence(*pair) for pair in best], [_sentence(*pair) for pair in worst]


def _sentence(share: float, result: ItemResult) -> str:
    statement = languages.text_in(result.item.text, languages.EASY) or result.text
    return _("%(n)s of 10 agree with: “%(statement)s”") % {
        "n": int(share / 10 + 0.5),
        "statement": statement.strip(),
    }


def build_easy(
    audit: Audit, report: Report | None = None, release: Release | None = None
) -> Document:
    """Short sentences, common words, the most important first, one thing at a time."""
    report = report or getattr(audit, "report", None)
    released = Released.of(audit, release)
    about = _about(audit, released)
    document = Document(
        _("What we found out"),
        _("An easy-to-read summary of the user-led audit of %(unit)s")
        % {"unit": ", ".join(u.name for u in audit.units.all())},
        "sv",
        easy=True,
        author=about["author"],
        keywords=[str(_("easy-to-read")), *about["keywords"]],
        date=about["date"],
    )
    intro = report.text("easy_summary") if report else ""
    for paragraph in _paragraphs(intro):
        document.add(Paragraph(paragraph))
    document.add(Heading(1, _("What we did")))
    document.add(Paragraph(_("We are users ourselves. We asked other users what they think.")))
    taking_part = release_selectors.participation(released.release) if released.release else None
    if taking_part and taking_part[1]:
        document.add(Paragraph(_("%(n)s people answered our questions.") % {"n": taking_part[1]}))
    well, better = key_results(released)
    _easy_part(
        document,
        _("This works well"),
        well,
        Finding.objects.filter(audit=audit, kind=Finding.Kind.GOOD_EXAMPLE),
    )
    _easy_part(
        document,
        _("This can be better"),
        better,
        Finding.objects.filter(audit=audit, kind=Finding.Kind.IMPROVEMENT),
    )
    proposals = list(Proposal.objects.filter(audit=audit))
    if proposals:
        document.add(Heading(1, _("What we propose")))
        document.add(Bullets([p.easy_text.strip() or p.title for p in proposals]))
    document.add(Heading(1, _("What happens now")))
    document.add(
        Paragraph(_("The unit answers every proposal. You can follow what happens on our website."))
    )
    document.add(Paragraph(_("Results from %(date)s.") % {"date": _date(about["date"])}))
    return document


def _easy_part(document, heading, sentences, findings) -> None:
    titles = [f.title for f in findings]
    if not sentences and not titles:
        return
    document.add(Heading(1, heading))
    for sentence in sentences:
        document.add(Paragraph(sentence))
    if titles:
        document.add(Bullets(titles))
