"""The portfolio across audits (/portfolio/): counts by county, municipality, service type,
phase and year; results per quality area with suppression applied again after aggregation;
proposals by level with their follow-up; trends for re-audited units; the XLSX export; and
who sees what, signed in or not. Uses the demo (seven audits in three counties)."""

import io
import itertools
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brukarrevision.accounts.models import User
from brukarrevision.audits.models import Audit
from brukarrevision.organisations.models import Organisation
from brukarrevision.portfolio import selectors
from brukarrevision.releases.models import Release
from brukarrevision.reports.models import Proposal
from tests.test_release_rule import smallest_revealed

DEMO = "@demo.example"
ALL = {
    "demo",
    "demo-2027",
    "asby-lss",
    "norrtorp-bup",
    "norrtorp-psykiatri-2025",
    "sjobacka-socialpsykiatri",
    "sjobacka-beroende",
}
PUBLISHED = {"demo", "sjobacka-socialpsykiatri"}


def person(name: str) -> User:
    return User.objects.get(email=f"{name}{DEMO}")


def slugs(data: dict) -> set[str]:
    return {audit["slug"] for audit in data["audits"]}


@pytest.fixture(autouse=True)
def _swedish():
    """Labels are compared as a Swedish reader sees them, whatever ran before."""
    with translation.override("sv"):
        yield


def row(rows: list[dict], label: str) -> dict:
    return next(r for r in rows if r["label"] == label)


# The national overview of the demo (acceptance 1) -------------------------------------------


def test_the_demo_overview_spans_seven_audits_in_three_counties(demo_data):
    data = selectors.overview(person("admin"), {})
    assert slugs(data) == ALL
    counties = {r["label"]: r["audits"] for r in data["counts"]["county"]}
    assert counties == {"Västra Götalands län": 3, "Örebro län": 2, "Dalarnas län": 2}
    national = row(data["proposals"]["by_level"], "nationell")
    statuses = dict(zip(selectors.STATUSES, national["counts"], strict=True))
    assert national["total"] == 2
    assert statuses["in_progress"] == 1 and statuses["done"] == 1


def test_counts_follow_the_audits_units_phases_and_years(demo_data):
    data = selectors.overview(person("admin"), {})
    services = {r["key"]: r["audits"] for r in data["counts"]["service_type"]}
    assert services["addiction"] == 1  # sjobacka-beroende
    assert services["social_services"] == 3  # demo, demo-2027, sjobacka-socialpsykiatri
    phases = {int(r["key"]): r["audits"] for r in data["counts"]["phase"]}
    expected: dict[int, int] = {}
    for audit in Audit.objects.all():
        expected[audit.phase] = expected.get(audit.phase, 0) + 1
    assert phases == expected
    years = {r["key"]: r["audits"] for r in data["counts"]["year"]}
    assert sum(years.values()) == 7
    municipalities = {r["label"]: r["audits"] for r in data["counts"]["municipality"]}
    assert municipalities == {"Norrtorp": 2, "Sjöbacka": 2, "Åsby": 3}
    dalarna = row(data["counts"]["county"], "Dalarnas län")
    released = Release.objects.filter(audit__slug__startswith="sjobacka")
    assert dalarna["published"] == 1
    assert dalarna["respondents"] == sum(r.respondents for r in released)


def test_filters_choose_the_audits(demo_data, client):
    admin = person("admin")
    sjobacka = Organisation.objects.get(name="Sjöbacka kommun")
    assert slugs(selectors.overview(admin, {"county": "W"})) == {
        "sjobacka-socialpsykiatri",
        "sjobacka-beroende",
    }
    assert slugs(selectors.overview(admin, {"service_type": "addiction"})) == {"sjobacka-beroende"}
    assert slugs(selectors.overview(admin, {"organisation": sjobacka.pk, "county": "O"})) == set()
    by_year = selectors.overview(admin, {"year": 2027})
    assert by_year["audits"] and all(a["year"] == 2027 for a in by_year["audits"])
    client.force_login(admin)
    page = client.get("/portfolio/", {"county": "W", "service_type": "addiction"}).content.decode()
    assert "Brukarrevision av beroendemottagningen i Sjöbacka" in page
    assert "Brukarrevision av socialpsykiatriskt stöd i Sjöbacka" not in page
    wrong = client.get("/portfolio/", {"year": "abc", "county": "W"})
    assert wrong.status_code == 200 and 'class="error-summary' in wrong.content.decode()
    assert slugs(wrong.context["data"]) == {"sjobacka-socialpsykiatri", "sjobacka-beroende"}


# Results per quality area ---------------------------------------------------------------------


def _area_share(release: Release, area_items: set[int]) -> tuple[int, int, int]:
    """Straight from a release's content: (most answered, positive, base) of the items."""
    n = positive = base = 0
    for entry in release.content["instruments"].values():
        table = entry["breakdowns"][""]
        for meta in entry["items"]:
            if meta["id"] not in area_items or meta["code"] not in table["items"]:
                continue
            figures = table["items"][meta["code"]]["total"]
            special = sum(figures["counts"].get(v, 0) for v, _l in meta["specials"])
            n = max(n, figures["answered"])
            positive += sum(figures["counts"].get(v, 0) for v, _l in meta["values"][-2:])
            base += figures["answered"] - special
    return n, positive, base


def _treatment_items() -> set[int]:
    from brukarrevision.instruments.models import Item

    return set(
        Item.objects.filter(kind="rating", quality_area="treatment").values_list("pk", flat=True)
    ) | set(
        Item.objects.filter(
            kind="rating", quality_area="", parent__quality_area="treatment"
        ).values_list("pk", flat=True)
    )


def test_quality_areas_add_up_released_figures_per_county(demo_data):
    data = selectors.overview(person("admin"), {"by": "county"})
    items = _treatment_items()
    dalarna = [
        _area_share(r, items) for r in Release.objects.filter(audit__slug__startswith="sjobacka")
    ]
    treatment = row(data["quality_areas"]["rows"], "Bemötande")
    columns = [c["label"] for c in data["quality_areas"]["columns"]]
    cell = treatment["cells"][columns.index("Dalarnas län")]
    assert cell["n"] == sum(n for n, _p, _b in dalarna)
    positive, base = sum(p for _n, p, _b in dalarna), sum(b for _n, _p, b in dalarna)
    assert cell["share"] == round(100 * positive / base, 1)


def test_an_audit_with_fewer_respondents_than_the_threshold_is_left_out(demo_data, settings):
    """demo-2027 has 12 respondents: with a threshold of 13 its figures may not enter a sum,
    or the total less the other audits would reveal them."""
    settings.SUPPRESSION_THRESHOLD = 13
    data = selectors.overview(person("admin"), {"county": "O"})
    treatment = row(data["quality_areas"]["rows"], "Bemötande")
    demo_only = _area_share(Release.objects.get(audit__slug="demo"), _treatment_items())
    assert treatment["total"]["n"] == demo_only[0]
    assert data["quality_areas"]["left_out"] > 0


# The attacker: every filter, every column choice, every published cell ------------------------

COUNTIES = ["O", "T", "W"]
SERVICES = ["psychiatry", "addiction"]
LIMIT = 5


def _synthetic(spec: list[tuple]) -> tuple[list[dict], dict[int, dict]]:
    audits, found = [], {}
    for index, (counties, service, year, sizes) in enumerate(spec, start=1):
        audits.append(
            {
                "id": index,
                "counties": sorted(set(counties)),
                "service_types": [service],
                "year": year,
                "client": {"id": 100 + index % 2},
                "performer": {"id": 200},
            }
        )
        found[index] = {"areas": {area: [n, n // 2, n] for area, n in sizes.items() if n}}
    return audits, found


def published_sets(audits: list[dict], found: dict[int, dict]) -> dict[str, list[frozenset]]:
    """For each quality area, every figure the portfolio shows under any filter and column
    choice, as the set of respondents it counts (respondent j of audit a is (a, j))."""
    shown: dict[str, list[frozenset]] = {}
    options = {
        "county": [None, *COUNTIES],
        "service_type": [None, *SERVICES],
        "year": [None, 2025, 2026],
        "organisation": [None, 101, 100],
    }
    for values in itertools.product(*options.values()):
        filters = {k: v for k, v in zip(options, values, strict=True) if v is not None}
        chosen = [a for a in audits if selectors._matches(a, filters)]
        kept, _left = selectors.blocks(chosen, found, LIMIT)
        for by in selectors.BY_CHOICES:
            table = selectors.quality_table(chosen, kept, by, LIMIT)
            for line in table["rows"]:
                mine = [b for b in kept if b["area"] == line["key"]]
                people = {
                    b["audit"]: frozenset((b["audit"], j) for j in range(b["n"])) for b in mine
                }
                if not line["total"]["hidden"]:
                    shown.setdefault(line["key"], []).append(frozenset().union(*people.values()))
                for column, cell in zip(table["columns"], line["cells"], strict=True):
                    if cell["hidden"] or cell["empty"]:
                        continue
                    members = [
                        people[b["audit"]]
                        for b in mine
                        if selectors._column_of(
                            next(a for a in chosen if a["id"] == b["audit"]), by
                        )
                        == column["key"]
                    ]
                    shown.setdefault(line["key"], []).append(frozenset().union(*members))
    return shown


audit_spec = st.tuples(
    st.lists(st.sampled_from(COUNTIES), min_size=1, max_size=2),
    st.sampled_from(SERVICES),
    st.sampled_from([2025, 2026]),
    st.fixed_dictionaries({"treatment": st.integers(0, 12), "information": st.integers(0, 12)}),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(audit_spec, min_size=1, max_size=5))
def test_no_combination_of_portfolio_figures_reveals_a_small_group(spec):
    audits, found = _synthetic(spec)
    for area, published in published_sets(audits, found).items():
        assert smallest_revealed(published, LIMIT) is None, (area, spec)


def test_the_attacker_would_find_a_small_audit_if_it_were_added_in():
    """The check has teeth: were a block of 3 let in (a block limit of 1), the total less
    the other county's cell would reveal it; the portfolio leaves it out instead."""
    audits, found = _synthetic(
        [
            (["O"], "psychiatry", 2026, {"treatment": 9}),
            (["T"], "psychiatry", 2026, {"treatment": 3}),
        ]
    )
    kept, _left = selectors.blocks(audits, found, 1)
    sets = {b["audit"]: frozenset((b["audit"], j) for j in range(b["n"])) for b in kept}
    assert smallest_revealed([sets[1] | sets[2], sets[1]], LIMIT) == sets[2]
    kept, left = selectors.blocks(audits, found, LIMIT)
    assert [b["audit"] for b in kept] == [1] and left == 1


# Proposals and trends -------------------------------------------------------------------------


def test_proposals_by_level_come_from_published_reports_with_their_follow_up(demo_data):
    later = Audit.objects.get(slug="demo-2027")
    Proposal.objects.create(
        audit=later, number=1, title="Utkast till nationellt förslag", quality_area="goals",
        level="national", recipient="Utkastmyndigheten",
    )  # fmt: skip
    data = selectors.overview(person("admin"), {})
    listed = {p["recipient"]: p for p in data["proposals"]["listed"]}
    assert "Utkastmyndigheten" not in listed  # its report is not published
    assert listed["Socialstyrelsen"]["answer"] == "delvis godkänt"
    assert listed["Socialstyrelsen"]["status"] == "in_progress"
    assert "referensgrupp" in listed["Socialstyrelsen"]["latest_update"]["note"]
    assert listed["Myndigheten för delaktighet"]["status"] == "done"
    assert listed["Region Dalsjö, samverkansrådet"]["status"] == "not_accepted"
    local = row(data["proposals"]["by_level"], "lokal")
    assert local["total"] == 3
    assert dict(zip(selectors.STATUSES, local["counts"], strict=True))["not_answered"] == 1


def test_the_re_audit_is_compared_with_the_first_audit_per_quality_area(demo_data):
    data = selectors.overview(person("admin"), {})
    (trend,) = data["trends"]
    assert trend["earlier"]["slug"] == "demo" and trend["later"]["slug"] == "demo-2027"
    items = _treatment_items()
    n, positive, base = _area_share(Release.objects.get(audit__slug="demo"), items)
    treatment = row(trend["areas"], "Bemötande")
    # Boendestöd is hidden in the first audit's unit breakdown, so its whole total is used.
    assert treatment["before"] == round(100 * positive / base, 1)
    _n, positive, base = _area_share(Release.objects.get(audit__slug="demo-2027"), items)
    assert treatment["after"] == round(100 * positive / base, 1)
    assert treatment["change"] == round(treatment["after"] - treatment["before"], 1)


# The page and its export ----------------------------------------------------------------------


class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(self.cell.strip())
            self.cell = None


def _text(value):
    """A cell as a number where it is one (the page writes 61,1, the workbook 61.1)."""
    text = str(value).replace("\xa0", "")
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def test_the_xlsx_export_holds_the_tables_of_the_page(demo_data, client):
    from openpyxl import load_workbook

    client.force_login(person("admin"))
    parser = Tables()
    parser.feed(client.get("/portfolio/").content.decode())
    page = [[[_text(c) for c in r] for r in t] for t in parser.tables if t and t[0]]
    response = client.get("/portfolio/?export=xlsx")
    assert response["Content-Disposition"].endswith('portfolio.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    sheets = [
        [[_text(c) for c in r] for r in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets[1:]
    ]
    assert len(sheets) == len(page) >= 11
    for table in page:
        match = next(s for s in sheets if s[0] == table[0])
        body = [r for r in table[1:] if len(r) > 1]  # an empty table says so in one cell
        assert match[1:] == body


def test_the_page_draws_charts_with_captioned_tables(demo_data, client):
    client.force_login(person("admin"))
    response = client.get("/portfolio/")
    page = response.content.decode()
    assert page.count('role="img"') == 2
    assert page.count("<caption") == page.count("<table")
    assert 'scope="row"' in page and 'scope="col"' in page
    assert "no-store" in response["Cache-Control"]


# Who sees what --------------------------------------------------------------------------------

MATRIX = {
    "admin": ALL,
    "samordnare": ALL,  # the coordinator of Brukarkraft Väst, which performs every audit
    "bestallare": {"demo", "demo-2027", "asby-lss"} | PUBLISHED,
    "region": {"norrtorp-bup", "norrtorp-psykiatri-2025"} | PUBLISHED,
    "sjobacka": {"sjobacka-socialpsykiatri", "sjobacka-beroende"} | PUBLISHED,
    "verksamhet": {"demo", "demo-2027"} | PUBLISHED,
    "revisor3": {"demo", "norrtorp-bup"} | PUBLISHED,
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_sees_its_own_audits_and_the_published_ones(demo_data, name):
    assert slugs(selectors.overview(person(name), {})) == MATRIX[name]


def test_the_public_sees_published_audits_only_at_the_same_address(demo_data, client):
    assert slugs(selectors.overview(AnonymousUser(), {})) == PUBLISHED
    response = client.get("/portfolio/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Brukarrevision av beroendemottagningen i Sjöbacka" not in page
    assert "Återrevision av boendestöd i Åsby" not in page  # not published: no trend either
    assert "Socialstyrelsen" in page
    export = client.get("/portfolio/?export=xlsx").content
    assert b"beroendemottagningen" not in export


def test_someone_with_no_role_sees_what_the_public_sees(demo_data):
    outsider = User.objects.create_user("utomstaende@test.example", "ett-bra-losenord-42")
    assert slugs(selectors.overview(outsider, {})) == PUBLISHED


def test_the_overview_is_plain_json(demo_data):
    import json

    data = selectors.overview(person("bestallare"), {"county": "O", "by": "year"})
    assert json.loads(json.dumps(data))["filters"] == {"county": "O", "by": "year"}
    assert re.fullmatch(r"\d{4}", data["quality_areas"]["columns"][0]["label"])
