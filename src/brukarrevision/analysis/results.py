"""Quantitative results, counted by the database (GROUP BY over one row per answer).

For each answerable item of a questionnaire (and its earlier versions, matched by item code):
counts per answer, how many answered and did not, "don't know" and "not applicable" apart; for
rating scales the distribution, the share of positive answers and the median. Results can be
broken down by unit, target group, channel, who answered (self, assisted, proxy) or any single
choice item. These are live figures for the team's working view and for making releases;
everything outside the team reads a release (the releases app), never these.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brukarrevision.collection.models import Answer, Channel, Response
from brukarrevision.instruments import languages, options
from brukarrevision.instruments.models import Instrument, Item

TOTAL = "__all__"
POSITIVE_DEFINITION = gettext_lazy(
    "Share positive: the two highest steps of the scale, as a share of those who answered on "
    'the scale ("don\'t know" and "not applicable" are not counted).'
)
MULTIPLE_NOTE = gettext_lazy(
    "Several answers could be chosen, so the shares add up to more than 100 %."
)
# What a breakdown groups answers by. Each answer carries its response's unit and target group
# (collection.Answer), so those two need no join of every answer to its response.
GROUP_FIELDS = {
    "unit": "unit_id",
    "target_group": "target_group_id",
    "channel": "response__channel",
    "respondent": "response__respondent",
}
RESPONSE_FIELDS = {
    "unit": "unit_id",
    "target_group": "target_group_id",
    "channel": "channel",
    "respondent": "respondent",
}
# Room for PostgreSQL to count distinct respondents in memory instead of sorting on disk,
# for the results' queries only (SET LOCAL: gone when their transaction ends).
RESULTS_WORK_MEM = "64MB"


@dataclass
class Group:
    key: object
    label: str
    answered: int = 0  # respondents who gave any answer, "don't know" included
    counts: dict = field(default_factory=dict)  # answer value -> respondents
    hidden: bool = False

    def count(self, value) -> int:
        return self.counts.get(value, 0)


@dataclass
class Figure:
    """One answer's figure in one group, ready to show: None means withheld."""

    count: int | None
    percent: float | None


@dataclass
class ItemResult:
    item: Item
    code: str
    text: str
    kind: str
    values: list  # (value, label) of the answers that count, in order
    specials: list  # (value, label) of "don't know" and "not applicable"
    total: Group
    groups: list[Group]
    respondents: int  # respondents to the questionnaire (in the total)

    @property
    def is_scale(self) -> bool:
        return self.kind == Item.Kind.RATING

    @property
    def is_text(self) -> bool:
        return self.kind in Item.TEXT_KINDS

    @property
    def not_answered(self) -> int | None:
        return None if self.total.hidden else self.respondents - self.total.answered

    def columns(self) -> list[Group]:
        return [*self.groups, self.total] if self.groups else [self.total]

    def base(self, group: Group) -> int:
        """What percentages are of: those who answered, less "don't know" and the like."""
        return group.answered - sum(group.count(value) for value, _label in self.specials)

    def figure(self, group: Group, value) -> Figure:
        if group.hidden:
            return Figure(None, None)
        count = group.count(value)
        special = any(value == code for code, _label in self.specials)
        base = group.answered if special else self.base(group)  # "don't know": of all answers
        return Figure(count, round(100 * count / base, 1) if base else None)

    def rows(self) -> list[dict]:
        """The table: one row per answer, one figure per column."""
        return [
            {
                "value": value,
                "label": label,
                "figures": [self.figure(g, value) for g in self.columns()],
            }
            for value, label in [*self.values, *self.specials]
        ]

    def numbers(self, group: Group) -> list[str]:
        """The numbers given to a number question, smallest first."""
        return sorted((value for value in group.counts if _is_int(value)), key=int)

    def median(self, group: Group) -> float | None:
        if group.hidden or self.kind not in (Item.Kind.RATING, Item.Kind.NUMBER):
            return None
        counted = sorted(
            (int(value), n) for value, n in group.counts.items() if _is_int(value) and n
        )
        return _median(counted)

    def mean(self, group: Group) -> float | None:
        """The mean step of a scale (or the mean of a number question), of those who
        answered on it: "don't know" and "not applicable" are not counted."""
        if group.hidden or self.kind not in (Item.Kind.RATING, Item.Kind.NUMBER):
            return None
        counted = [(int(value), n) for value, n in group.counts.items() if _is_int(value) and n]
        answered = sum(n for _value, n in counted)
        if not answered:
            return None
        return round(sum(value * n for value, n in counted) / answered, 2)

    def positive_share(self, group: Group) -> float | None:
        """Share positive (andel positiva), defined once for every output: the two highest
        steps of a 4- or 5-step scale, of the answers on the scale ("don't know" and "not
        applicable" are not counted). See POSITIVE_DEFINITION."""
        if group.hidden or not self.is_scale or not self.base(group):
            return None
        positive = sum(group.count(value) for value, _label in self.values[-2:])
        return round(100 * positive / self.base(group), 1)

    @property
    def is_multiple(self) -> bool:
        return self.kind == Item.Kind.MULTIPLE


def _is_int(value) -> bool:
    return isinstance(value, str) and value.lstrip("-").isdigit()


def _median(counted: list[tuple[int, int]]) -> float | None:
    total = sum(n for _v, n in counted)
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value, n in counted:
        for position in middle:
            if seen <= position < seen + n:
                found.append(value)
        seen += n
    return sum(found) / len(found)


# Which instrument versions and items -----------------------------------------------------------


def versions(instrument: Instrument) -> list[Instrument]:
    """The instrument and every earlier version: answers keep the version they were given on."""
    found, current = [], instrument
    while current is not None:
        found.append(current)
        current = current.previous
    return found


def result_items(instrument: Instrument) -> list[Item]:
    """The items that have results: every question and matrix row, no notes."""
    from brukarrevision.instruments import respondent

    return [
        item
        for item in respondent.answerable_items(instrument)
        if item.kind not in (Item.Kind.NOTE, Item.Kind.MATRIX)
    ]


def _item_index(instruments: list[Instrument]) -> tuple[dict[int, str], set[int]]:
    """The item ids of every version: each one's code, and which are multiple choice."""
    rows = list(
        Item.objects.filter(section__instrument__in=instruments).values_list("pk", "code", "kind")
    )
    codes = {pk: code for pk, code, _kind in rows}
    return codes, {pk for pk, _code, kind in rows if kind == Item.Kind.MULTIPLE}


def _codes_by_id(instruments: list[Instrument]) -> dict[int, str]:
    return _item_index(instruments)[0]


# Grouping ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    key: str  # "", "unit", "target_group", "channel", "respondent" or "item:<code>"
    label: str


def breakdowns(instrument: Instrument) -> list[Breakdown]:
    found = [
        Breakdown("", _("No breakdown")),
        Breakdown("unit", _("Unit")),
        Breakdown("target_group", _("Target group")),
        Breakdown("channel", _("Channel")),
        Breakdown("respondent", _("Who answered")),
    ]
    for item in result_items(instrument):
        if item.kind in (Item.Kind.SINGLE, Item.Kind.YES_NO):
            text = languages.text_in(item.text, languages.PLAIN)
            found.append(Breakdown(f"item:{item.code}", f"{item.code}: {text}"))
    return found


def _group_labels(instrument: Instrument, by: str) -> dict:
    audit = instrument.audit
    if by == "unit":
        return {u.pk: u.name for u in audit.units.all()}
    if by == "target_group":
        return {g.pk: g.name for g in audit.target_groups.all()}
    if by == "channel":
        return {value: str(label) for value, label in Channel.choices}
    if by == "respondent":
        return {value: str(label) for value, label in Response.Respondent.choices}
    item = next(i for i in result_items(instrument) if i.code == by.removeprefix("item:"))
    return {o.value: o.label for o in options.options(item, languages.PLAIN) if o.counts}


def _chosen(by: str, instruments, response: OuterRef) -> Subquery:
    """What the `response` answered to the single-choice item that `by` ("item:<code>") names."""
    chosen = Answer.objects.filter(
        response_id=response,
        item__code=by.removeprefix("item:"),
        item__section__instrument__in=instruments,
    ).values("choice")[:1]
    return Subquery(chosen)


def _group_expression(by: str, instruments):
    if by in GROUP_FIELDS:
        return F(GROUP_FIELDS[by])
    return _chosen(by, instruments, OuterRef("response_id"))


# The counting -------------------------------------------------------------------------------------


def _value(choice, number, special) -> str:
    if special:
        return special
    if number is not None:
        return str(number)
    return choice


def _count(instruments, index, item_ids, by: str) -> tuple[dict, dict, dict]:
    """(counts, answered, respondents): counts[(code, group)][value], answered[(code, group)],
    respondents[group]. Group is TOTAL when there is no breakdown."""
    codes, multiple = index
    answers = Answer.objects.filter(item_id__in=item_ids)
    group = "group"
    if by:
        answers = answers.annotate(group=_group_expression(by, instruments))
    counts: dict = {}
    rows = answers.values("item_id", *([group] if by else []), "choice", "number", "special")
    for row in rows.annotate(n=Count("id")).order_by():
        key = (codes[row["item_id"]], row.get(group, TOTAL))
        value = _value(row["choice"], row["number"], row["special"])
        bucket = counts.setdefault(key, {})
        bucket[value] = bucket.get(value, 0) + row["n"]
    wanted = set(item_ids)
    answered = _answered(answers, codes, [pk for pk in multiple if pk in wanted], by, counts)
    respondents = _respondents(instruments, by)
    return counts, answered, respondents


def _answered(answers, codes, multiple, by, counts) -> dict:
    """Respondents per item and group. One row per answer except for multiple choice, which
    alone needs a distinct count."""
    multiple_codes = {codes[pk] for pk in multiple}
    answered = {
        key: sum(values.values()) for key, values in counts.items() if key[0] not in multiple_codes
    }
    if multiple and by in RESPONSE_FIELDS:
        # Count the responses that chose anything, per group of the response: a semi-join on
        # the (item, response) index, instead of sorting every ticked box by respondent.
        field_name = RESPONSE_FIELDS[by]
        for pk in multiple:
            chose = Answer.objects.filter(response_id=OuterRef("pk"), item_id=pk)
            rows = Response.objects.filter(Exists(chose)).values(field_name)
            for row in rows.annotate(n=Count("id")).order_by():
                key = (codes[pk], row[field_name])
                answered[key] = answered.get(key, 0) + row["n"]
    elif multiple:
        rows = answers.filter(item_id__in=multiple).values("item_id", *(["group"] if by else []))
        for row in rows.annotate(n=Count("response_id", distinct=True)).order_by():
            key = (codes[row["item_id"]], row.get("group", TOTAL))
            answered[key] = answered.get(key, 0) + row["n"]
    return answered


def _respondents(instruments, by: str) -> dict:
    responses = Response.objects.filter(instrument__in=instruments)
    if not by:
        return {TOTAL: responses.count()}
    if by in RESPONSE_FIELDS:
        field_name = RESPONSE_FIELDS[by]
        rows = responses.values(field_name).annotate(n=Count("id")).order_by()
        return {row[field_name]: row["n"] for row in rows}
    chosen = _chosen(by, instruments, OuterRef("pk"))
    rows = responses.annotate(group=chosen).values("group").annotate(n=Count("id"))
    return {row["group"]: row["n"] for row in rows.order_by()}


# Putting it together ------------------------------------------------------------------------------


def item_results(instrument: Instrument, *, by: str = "") -> list[ItemResult]:
    """Every answerable item's live result, in questionnaire order."""
    instruments = versions(instrument)
    items = result_items(instrument)
    codes = {item.code for item in items}
    index = _item_index(instruments)
    item_ids = [pk for pk, code in index[0].items() if code in codes]
    with transaction.atomic():
        _more_work_mem()
        counts, answered, respondents = _count(instruments, index, item_ids, by)
    labels = _group_labels(instrument, by) if by else {}
    total_respondents = sum(respondents.values())
    return [_result(item, by, counts, answered, labels, total_respondents) for item in items]


def _more_work_mem() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{RESULTS_WORK_MEM}'")


def _result(item, by, counts, answered, labels, respondents) -> ItemResult:
    offered = options.options(item, languages.PLAIN) if item.kind not in Item.TEXT_KINDS else []
    kind = Item.Kind.RATING if item.is_row else item.kind
    groups = []
    if by:
        present = {key[1] for key in answered if key[0] == item.code}
        keys = [k for k in labels if k in present] + sorted(present - set(labels), key=str)
        groups = [_group(item.code, key, labels, counts, answered) for key in keys]
    total = Group(TOTAL, _("All"))
    for group in groups or [_group(item.code, TOTAL, {}, counts, answered)]:
        total.answered += group.answered
        for value, n in group.counts.items():
            total.counts[value] = total.counts.get(value, 0) + n
    result = ItemResult(
        item=item,
        code=item.code,
        text=item_text(item),
        kind=kind,
        values=[(o.value, o.label) for o in offered if o.counts],
        specials=[(o.value, o.label) for o in offered if not o.counts],
        total=total,
        groups=groups,
        respondents=respondents,
    )
    return result


def item_text(item: Item) -> str:
    """The question as respondents read it: a matrix row with its matrix's question."""
    text = languages.text_in(item.text, languages.PLAIN)
    if item.is_row:
        return f"{languages.text_in(item.parent.text, languages.PLAIN)} – {text}"
    return text


def _group(code, key, labels, counts, answered) -> Group:
    label = labels.get(key) or (_("No answer") if key is None else str(key))
    return Group(key, label, answered.get((code, key), 0), dict(counts.get((code, key), {})))


def respondents_table(instrument: Instrument, by: str) -> tuple[list, int]:
    """Live respondents per group for the working view: (rows of (label, count), total)."""
    counts = _respondents(versions(instrument), by)
    labels = _group_labels(instrument, by)
    rows = [(labels.get(key, str(key)), n) for key, n in counts.items()]
    return rows, sum(counts.values())


def respondent_counts(instrument: Instrument, by: str) -> dict:
    """Respondents to the questionnaire (every version) per group of a breakdown; the whole
    questionnaire under TOTAL when `by` is empty."""
    return _respondents(versions(instrument), by)


def group_labels(instrument: Instrument, by: str) -> dict:
    return _group_labels(instrument, by) if by else {}
