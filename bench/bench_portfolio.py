"""The portfolio over 200 audits and 1,000,000 responses, read from releases only.

The portfolio never reads answers, only each audit's release (its content JSON), so the
benchmark needs 200 realistic releases rather than a million answer rows. It loads the demo
into a fresh PostgreSQL database of its own; the demo's releases of small real audits (made
by `releases.snapshot` from their answers) are the templates. Each of 200 new audits (units
spread over the 21 counties and the service types, phases and years varied) gets a copy of
one template with every count (respondents, answered, counts per answer) scaled so that the
release stands for about 5,000 responses (varied by ±20 % and per figure), inserted as a
Release row with its checksum. Then it times `portfolio.selectors.overview` for the
administrator (the national overview across all 200): cold, with no release summarised yet
(the cache cleared), and warm, with the per-release summaries cached; and the whole page
(view, tables, charts, template) cold. Prints each figure with the target of 2 s and whether
it is met.

Environment: BENCH_PORTFOLIO_DATABASE_URL (default: BENCH_DATABASE_URL's server with the
database brukarrevision_bench_portfolio; dropped and created), BENCH_PORTFOLIO_AUDITS
(default 200), BENCH_PORTFOLIO_RESPONSES (per audit, default 5000).
"""

import os
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_survey as common  # noqa: E402  the database and server settings

AUDITS = int(os.environ.get("BENCH_PORTFOLIO_AUDITS", "200"))
PER_AUDIT = int(os.environ.get("BENCH_PORTFOLIO_RESPONSES", "5000"))
TARGET = 2.0
REPEAT = 3
SCALED = {"respondents", "answered", "total"}


def _database_url() -> str:
    given = os.environ.get("BENCH_PORTFOLIO_DATABASE_URL")
    if given:
        return given
    parts = urllib.parse.urlparse(common.DB_URL)
    return parts._replace(path="/brukarrevision_bench_portfolio").geturl()


common.DB_URL = _database_url()


def _django() -> None:
    os.environ.update({k: v for k, v in common.server_environment().items() if k != "PYTHONPATH"})
    # The demo sends a few e-mails (the pool's requests); no mail server here.
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    sys.path.insert(0, str(common.ROOT / "src"))
    import django

    django.setup()


def scaled(value, factor: float, rng: random.Random, key: str = ""):
    """The same content with every count multiplied by about `factor`."""
    if isinstance(value, dict):
        if key == "counts":
            return {k: _scale(v, factor, rng) for k, v in value.items()}
        return {k: scaled(v, factor, rng, k) for k, v in value.items()}
    if isinstance(value, list):
        return [scaled(v, factor, rng, key) for v in value]
    if key in SCALED and isinstance(value, int) and not isinstance(value, bool):
        return _scale(value, factor, rng)
    return value


def _scale(n, factor: float, rng: random.Random):
    if not isinstance(n, int) or isinstance(n, bool):
        return n
    return max(0, round(n * factor * rng.uniform(0.9, 1.1)))


def _units(client, count: int) -> list:
    from brukarrevision.organisations.models import County, Unit

    counties, services = County.values, Unit.ServiceType.values
    return Unit.objects.bulk_create(
        Unit(
            client=client,
            name=f"Bänkenhet {number + 1}",
            service_type=services[number % len(services)],
            municipality=f"Kommun {number % 60 + 1}",
            county=counties[number % len(counties)],
        )
        for number in range(count)
    )


def build() -> tuple[int, int]:
    """200 audits, each with one release copied from a demo release and scaled up."""
    from django.utils import timezone

    from brukarrevision.audits.models import Audit
    from brukarrevision.organisations.models import Organisation
    from brukarrevision.releases.models import Release

    rng = random.Random(2026)
    templates = [r for r in Release.objects.all() if r.content["instruments"] and r.respondents]
    templates = [r for r in templates if any(
        e["breakdowns"][""]["published"] for e in r.content["instruments"].values()
    )]  # fmt: skip
    performer = Organisation.objects.get(name="Brukarkraft Väst")
    client = Organisation.objects.get(name="Åsby kommun")
    units = _units(client, 84)
    audits = Audit.objects.bulk_create(
        Audit(
            slug=f"bank-{number}",
            title=f"Bänkrevision {number + 1}",
            performer=performer,
            client=client,
            phase=rng.choice([4, 5, 6, 7, 8, 9]),
        )
        for number in range(AUDITS)
    )
    through = Audit.units.through
    through.objects.bulk_create(
        through(audit_id=audit.pk, unit_id=units[(index * 7 + k) % len(units)].pk)
        for index, audit in enumerate(audits)
        for k in range(1 + index % 2)
    )
    now = timezone.now().replace(microsecond=0)
    releases, total = [], 0
    weights = [rng.uniform(0.8, 1.2) for _ in audits]  # about PER_AUDIT each, in all exactly
    for index, audit in enumerate(audits):
        template = templates[index % len(templates)]
        wanted = PER_AUDIT * len(audits) * weights[index] / sum(weights)
        factor = wanted / template.respondents
        release = Release(
            audit=audit,
            number=1,
            made_at=now,
            made_by=None,
            note="bench",
            threshold=template.threshold,
            respondents=round(template.respondents * factor),
            channels={k: round(v * factor) for k, v in template.channels.items()},
            content={**scaled(template.content, factor, rng), "audit": audit.slug},
            decisions=scaled(template.decisions, factor, rng),
        )
        release.checksum = release.stamped_checksum()
        releases.append(release)
        total += release.respondents
    Release.objects.bulk_create(releases)
    return len(audits), total


def timed(work) -> tuple[float, float, object]:
    times, value = [], None
    for _ in range(REPEAT):
        began = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - began)
    return statistics.median(times), max(times), value


def main() -> None:
    print(f"Preparing a fresh benchmark database at {common.DB_URL} …", flush=True)
    common.fresh_database()
    common.manage("migrate", "--noinput")
    common.manage("collectstatic", "--noinput")  # the page is served with production settings
    _django()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from brukarrevision.accounts.models import User
    from brukarrevision.core import demo
    from brukarrevision.portfolio import selectors
    from brukarrevision.releases.models import Release

    demo.load()
    audits, responses = build()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT sum(pg_column_size(content)) FROM releases_release")
        stored = cursor.fetchone()[0]
    admin = User.objects.get(email="admin@demo.example")
    count = Release.objects.count()

    def cold():
        cache.clear()
        return selectors.overview(admin, {})

    cold_median, cold_worst, data = timed(cold)
    warm_median, warm_worst, _ = timed(lambda: selectors.overview(admin, {}))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)

    def page():
        cache.clear()
        response = client.get("/portfolio/")
        assert response.status_code == 200, response.status_code
        return response

    page_median, page_worst, _ = timed(page)
    released = sum(1 for audit in data["audits"] if audit["released"])
    print(f"cores: {os.cpu_count()}; audits in the portfolio: {len(data['audits'])}, "
          f"{released} with a release ({count} releases stored, {stored / 1e6:.1f} MB of "
          f"content); bench audits: {audits} standing for {responses:,} responses")  # fmt: skip
    verdict = {True: "met", False: "NOT met"}
    for name, median, worst in [
        ("portfolio overview, cold (no release summarised yet)", cold_median, cold_worst),
        ("portfolio overview, warm (summaries cached per release checksum)", warm_median,
         warm_worst),
        ("portfolio page with tables and charts, cold", page_median, page_worst),
    ]:  # fmt: skip
        print(
            f"{name}: median {median:.2f} s, slowest {worst:.2f} s "
            f"(target under {TARGET:.0f} s: {verdict[worst < TARGET]})"
        )


if __name__ == "__main__":
    main()
