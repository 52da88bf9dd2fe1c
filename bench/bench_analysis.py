"""Results for 100,000 responses of 30 items, computed by PostgreSQL and by pandas.

Loads a 30-item questionnaire from the question bank and 100,000 responses (about three
million answer rows, across ten units) into a fresh benchmark database with COPY, then times
the full results page's figures (`results.item_results`) and the cross-tabulation by unit,
against pandas computing the same numbers from the same rows already in memory. Both sides'
figures are compared before any time is printed.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/brukarrevision_bench;
the database is dropped and created), BENCH_ANALYSIS_RESPONSES (default 100000).
"""

import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from bench_survey import (  # noqa: E402
    DB_URL,
    build_questionnaire,
    fresh_database,
    manage,
    verdict,
)

RESPONSES = int(os.environ.get("BENCH_ANALYSIS_RESPONSES", "100000"))
UNITS = 10
REPEAT = 3
TARGET_RATIO = 2  # full results and the cross-tabulation, each at most this many times pandas


def setup():
    print(f"Preparing {RESPONSES} responses in a fresh database at {DB_URL} …", flush=True)
    fresh_database()
    manage("migrate", "--noinput")
    build_questionnaire()  # sets up Django, the demo and a 30-item questionnaire
    from brukarrevision.collection.models import Distribution
    from brukarrevision.organisations.models import Unit

    distribution = Distribution.objects.select_related("audit", "instrument").get(token="bench")
    audit = distribution.audit
    for number in range(UNITS - audit.units.count()):
        unit = Unit.objects.create(
            client=audit.client,
            name=f"Enhet {number + 1}",
            service_type="social_services",
            municipality="Åsby",
        )
        audit.units.add(unit)
    return distribution


def generate(distribution):
    """Random but plausible answers, streamed into PostgreSQL with COPY."""
    from brukarrevision.instruments import options, respondent
    from brukarrevision.instruments.models import Item

    rng = random.Random(2026)
    items = [i for i in respondent.answerable_items(distribution.instrument) if i.kind != "note"]
    offered = {i.pk: [o.value for o in options.options(i, "sv")] for i in items}
    units = list(distribution.audit.units.values_list("pk", flat=True))
    response_rows, answer_rows = io.StringIO(), io.StringIO()
    fixed = (
        distribution.audit_id,
        distribution.instrument_id,
        distribution.pk,
        distribution.target_group_id,
    )
    for number in range(RESPONSES):
        response_id = 1_000_000 + number
        unit = units[number % len(units)] if number % 7 else rng.choice(units)
        audit_id, instrument_id, distribution_id, group_id = fixed
        response_rows.write(
            f"{response_id}\t{audit_id}\t{instrument_id}\t{distribution_id}\t{unit}\t{group_id}\t"
            f"web\tsv\tself\tbench-{number}\t-\t2026-11-01\t\\N\t\n"
        )
        for item in items:
            for choice, value, special, text in _answer(item, offered[item.pk], rng, Item):
                answer_rows.write(
                    f"{response_id}\t{unit}\t{group_id}\t{item.pk}\t{choice}\t{value}\t{text}\t"
                    f"{special}\tf\n"
                )
    _copy(response_rows, answer_rows)


def _answer(item, offered, rng, Item):
    if rng.random() < 0.05:
        return []
    if item.kind == Item.Kind.RATING:
        choice = rng.choices(offered, weights=[1, 2, 3, 5, 4, 1][: len(offered)])[0]
        if not choice.isdigit():
            return [("", "\\N", choice, "")]
        return [("", choice, "", "")]
    if item.kind == Item.Kind.MULTIPLE:
        return [(c, "\\N", "", "") for c in rng.sample(offered, rng.randint(1, 2))]
    if item.kind == Item.Kind.NUMBER:
        return [("", str(rng.randint(0, 20)), "", "")]
    if item.kind in Item.TEXT_KINDS:
        return [("", "\\N", "", "Bra bemötande men svårt att nå personalen.")]
    return [(rng.choice(offered), "\\N", "", "")]


def _copy(response_rows, answer_rows):
    import psycopg

    response_columns = (
        "id, audit_id, instrument_id, distribution_id, unit_id, target_group_id, channel, "
        "language, respondent, submission_key, content_hash, submitted_on, entered_by_id, "
        "paper_number"
    )
    answer_columns = (
        "response_id, unit_id, target_group_id, item_id, choice, number, text, special, "
        "needs_review"
    )
    with psycopg.connect(DB_URL) as connection, connection.cursor() as cursor:
        for table, columns, rows in [
            ("collection_response", response_columns, response_rows),
            ("collection_answer", answer_columns, answer_rows),
        ]:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(rows.getvalue())
    # After a bulk load, as autovacuum would soon: statistics and the visibility map.
    with psycopg.connect(DB_URL, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE collection_response")
        connection.execute("VACUUM ANALYZE collection_answer")


def timed(work) -> tuple[float, object]:
    times, value = [], None
    for _ in range(REPEAT):
        began = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - began)
    return statistics.median(times), value


# pandas ----------------------------------------------------------------------------------------


def load_frames(instrument):
    import psycopg

    from brukarrevision.analysis import results

    item_ids = list(
        results._codes_by_id(results.versions(instrument)).keys()  # same items as the page
    )
    with psycopg.connect(DB_URL) as connection:
        answers = _frame(
            connection,
            "SELECT response_id, item_id, choice, number, special FROM collection_answer "
            "WHERE item_id = ANY(%s)",
            (item_ids,),
        )
        responses = _frame(
            connection,
            "SELECT id AS response_id, unit_id FROM collection_response WHERE instrument_id = %s",
            (instrument.pk,),
        )
    answers["value"] = answers["special"].where(
        answers["special"] != "",
        answers["number"].astype("Int64").astype("string").fillna(answers["choice"]),
    )
    return answers, responses


def _frame(connection, sql, params):
    import pandas as pd

    cursor = connection.execute(sql, params)
    return pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])


def pandas_results(answers, responses, multiple):
    """The same work as the database: one count per answer, a distinct count of
    respondents only for multiple choice (elsewhere one row is one respondent)."""
    counts = answers.groupby(["item_id", "value"]).size()
    answered = counts.groupby(level="item_id").sum()
    chosen = answers[answers["item_id"].isin(multiple)]
    answered.update(chosen.groupby("item_id")["response_id"].nunique())
    return counts, answered, len(responses)


def pandas_crosstab(answers, responses, multiple):
    joined = answers.merge(responses, on="response_id")
    counts = joined.groupby(["item_id", "unit_id", "value"]).size()
    answered = counts.groupby(level=["item_id", "unit_id"]).sum()
    chosen = joined[joined["item_id"].isin(multiple)]
    answered.update(chosen.groupby(["item_id", "unit_id"])["response_id"].nunique())
    per_unit = responses.groupby("unit_id").size()
    return counts, answered, per_unit


def agree(found, counts, answered) -> None:
    """The database's figures and pandas' are the same numbers."""
    from brukarrevision.analysis import results

    codes = results._codes_by_id([found[0].item.section.instrument])
    by_code = {codes[item_id]: item_id for item_id in codes}
    for result in found:
        item_id = by_code[result.code]
        assert result.total.answered == answered[item_id], result.code
        for value, n in result.total.counts.items():
            assert counts[(item_id, value)] == n, (result.code, value)


def main() -> None:
    distribution = setup()
    began = time.perf_counter()
    generate(distribution)
    print(f"Loaded in {time.perf_counter() - began:.0f} s.", flush=True)
    from brukarrevision.analysis import results
    from brukarrevision.collection.models import Answer

    instrument = distribution.instrument
    rows = Answer.objects.filter(response__instrument=instrument).count()
    db_full, found = timed(lambda: results.item_results(instrument))
    db_cross, _crossed = timed(lambda: results.item_results(instrument, by="unit"))
    answers, responses = load_frames(instrument)
    multiple = [r.item.pk for r in found if r.kind == "multiple"]
    pd_full, (counts, answered, _n) = timed(lambda: pandas_results(answers, responses, multiple))
    pd_cross, _ = timed(lambda: pandas_crosstab(answers, responses, multiple))
    agree(found, counts, answered)
    print(f"responses: {responses.shape[0]}, answer rows: {rows}, items: {len(found)}")
    print(f"full results, PostgreSQL: {db_full:.2f} s; pandas in memory: {pd_full:.2f} s; "
          f"ratio {db_full / pd_full:.1f}")  # fmt: skip
    print(f"cross-tabulation by unit, PostgreSQL: {db_cross:.2f} s; pandas: {pd_cross:.2f} s; "
          f"ratio {db_cross / pd_cross:.1f}")  # fmt: skip
    print(f"load average: {os.getloadavg()[0]:.2f} (other work on the machine skews the times)")
    full, cross = db_full / pd_full, db_cross / pd_cross
    print(
        f"full results: {full:.1f} times pandas (target ≤ {TARGET_RATIO}): "
        f"{verdict(full <= TARGET_RATIO)}"
    )
    print(
        f"cross-tabulation by unit: {cross:.1f} times pandas (target ≤ {TARGET_RATIO}): "
        f"{verdict(cross <= TARGET_RATIO)}"
    )


if __name__ == "__main__":
    main()
