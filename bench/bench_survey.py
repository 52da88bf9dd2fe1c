"""Web survey throughput against PostgreSQL.

Builds a one-page questionnaire of 30 items from the question bank in a fresh benchmark
database, serves it with the production settings under gunicorn, and lets a second process act
as respondents over HTTP. First every respondent opens the survey, consents and gets the page;
then they all submit a complete 30-item response in one POST. The submissions are what is timed
(responses per second, p50 and p99 latency); whole visits (four requests each) are reported
beside them. Then the same rows (one response row and its answer rows) are inserted straight
into PostgreSQL with psycopg, one transaction per response as the web does, and the two rates
are compared.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/brukarrevision_bench;
the database is dropped and created), BENCH_RESPONSES (default 1500), BENCH_CLIENTS (default 8),
BENCH_WORKERS (gunicorn workers, default 3), BENCH_PORT (default 8765).
"""

import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/brukarrevision_bench"
)
RESPONSES = int(os.environ.get("BENCH_RESPONSES", "1500"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
TOKEN = "bench"
BANK_MIX = {"rating": 18, "yes_no": 4, "single": 3, "multiple": 2, "number": 1, "long_text": 2}
FREE_TEXT = "Bra bemötande. Ring mig på 070-123 45 67 eller skriv till kim@example.org."


# The respondents: the second process ------------------------------------------------------


class Visitor:
    """One respondent's browser: keeps its cookies, nothing else."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: list | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content


def csrf(content: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)


def prepare(visitor: Visitor, answers: list) -> list:
    """Open the survey, consent and get the page: what a respondent does before answering.
    Returns the form to submit."""
    status, content = visitor.request("GET", f"/s/{TOKEN}/")
    form = [("csrfmiddlewaretoken", csrf(content)), ("respondent", "self"), ("consent", "on")]
    status, _ = visitor.request("POST", f"/s/{TOKEN}/", form)
    assert status == 302, f"consent refused: {status}"
    status, content = visitor.request("GET", f"/s/{TOKEN}/1/")
    assert status == 200, f"page refused: {status}"
    return [("csrfmiddlewaretoken", csrf(content)), *answers, ("go", "next")]


def submit(visitor: Visitor, form: list) -> float:
    began = time.perf_counter()
    status, content = visitor.request("POST", f"/s/{TOKEN}/1/", form)
    assert status == 302, f"submission refused: {status} {content[:300]}"
    return time.perf_counter() - began


def in_parallel(work, jobs: list, clients: int) -> tuple[float, list]:
    """Run work(job) for every job on `clients` threads; returns (seconds, results)."""
    results, lock, queue = [None] * len(jobs), threading.Lock(), iter(range(len(jobs)))

    def worker():
        while True:
            with lock:
                index = next(queue, None)
            if index is None:
                return
            results[index] = work(jobs[index])

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, results


def run_clients(answers: list, count: int, clients: int) -> dict:
    """First every respondent opens, consents and reads the page; then they all submit.
    The second part is the submission rate; both together are whole visits."""
    warm = Visitor()
    submit(warm, prepare(warm, answers))  # every code path once before the clock starts
    visitors = [Visitor() for _ in range(count)]
    opening, forms = in_parallel(lambda v: prepare(v, answers), visitors, clients)
    cpu_before = sum(os.times()[:2])
    sending, latencies = in_parallel(
        lambda pair: submit(*pair), list(zip(visitors, forms, strict=True)), clients
    )
    client_cpu = sum(os.times()[:2]) - cpu_before
    return {
        "opening": opening,
        "sending": sending,
        "submissions": latencies,
        "client_cpu": client_cpu,
    }


def client_main() -> None:
    answers = json.loads(sys.stdin.read())
    print(json.dumps(run_clients([tuple(a) for a in answers], RESPONSES, CLIENTS)))


# The server side: database, questionnaire, gunicorn -----------------------------------------


def server_environment() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "DJANGO_SETTINGS_MODULE": "brukarrevision.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "brukarrevision-bench-static"),
        "LOG_LEVEL": "WARNING",
        # The demo's invitations and notices must not look for a mail server.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Every respondent here comes from 127.0.0.1: the limit per address is still checked
        # and counted on every submission, but set high enough not to turn them away.
        "SURVEY_SUBMISSIONS_PER_HOUR": "1000000",
        "PYTHONPATH": str(ROOT / "src"),
    }


def fresh_database() -> None:
    import psycopg

    parts = urllib.parse.urlparse(DB_URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
        connection.execute("CHECKPOINT")  # start quiet: no earlier run's writes still flushing


def manage(*args: str) -> None:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    subprocess.run(command, env=server_environment(), check=True, stdout=subprocess.DEVNULL)


def build_questionnaire() -> list:
    """The demo, a 30-item questionnaire from the bank and its open distribution. Returns
    the answers a respondent posts: one valid answer to every item."""
    os.environ.update({k: v for k, v in server_environment().items() if k != "PYTHONPATH"})
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from brukarrevision.audits.models import Audit
    from brukarrevision.collection import services as collection
    from brukarrevision.core import demo
    from brukarrevision.instruments import bank, respondent
    from brukarrevision.instruments import services as instruments

    demo.load()
    audit = Audit.objects.get(slug="demo")
    user = audit.members.get(role="coordinator").user
    instrument = instruments.create_instrument(
        user=user,
        audit=audit,
        title="Benchmark",
        kind="questionnaire",
        respondent="users",
        language_codes=["sv"],
    )
    section = instrument.sections.get()
    instruments.copy_from_bank(user=user, section=section, keys=_bank_keys(bank.items()))
    distribution = collection.create_distribution(
        user=user,
        audit=audit,
        instrument=instrument,
        unit=audit.units.first(),
        target_group=audit.target_groups.first(),
        token=TOKEN,
    )
    form = respondent.ResponseForm(instrument=distribution.instrument, lang="sv", items=None)
    return _answers(form)


def _bank_keys(entries) -> list[str]:
    wanted, keys = dict(BANK_MIX), []
    for entry in entries:
        if wanted.get(entry["kind"], 0) > 0:
            wanted[entry["kind"]] -= 1
            keys.append(entry["key"])
    assert len(keys) == 30, "the bank lacks items for the benchmark mix"
    return keys


def _answers(form) -> list:
    answers = []
    for name, field in form.fields.items():
        choices = [str(value) for value, _ in getattr(field, "choices", []) if value != ""]
        if field.widget.__class__.__name__.startswith("CheckboxSelectMultiple"):
            answers += [(name, value) for value in choices[:2]]
        elif choices:
            answers.append((name, choices[min(3, len(choices) - 1)]))
        elif field.__class__.__name__ == "IntegerField":
            answers.append((name, "3"))
        else:
            answers.append((name, FREE_TEXT))
    return answers


def start_server() -> subprocess.Popen:
    manage("collectstatic", "--noinput")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "brukarrevision.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env={**server_environment(), "DATABASE_CONN_MAX_AGE": "600"},
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", f"/s/{TOKEN}/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


# Straight into PostgreSQL --------------------------------------------------------------------


def direct_inserts(count: int) -> float:
    """Insert `count` copies of a stored web response and its answers with psycopg, one
    transaction each. Returns responses per second."""
    import psycopg

    with psycopg.connect(DB_URL) as connection:
        response = _row(
            connection,
            "SELECT * FROM collection_response WHERE channel = 'web' "
            "AND distribution_id IS NOT NULL ORDER BY id DESC LIMIT 1",
        )
        answers = _rows(
            connection, "SELECT * FROM collection_answer WHERE response_id = %s", response["id"]
        )
        response_columns = [c for c in response if c != "id"]
        answer_columns = [c for c in answers[0] if c != "id"]
        insert_response = _insert("collection_response", response_columns) + " RETURNING id"
        insert_answer = _insert("collection_answer", answer_columns)
        began = time.perf_counter()
        for _ in range(count):
            with connection.transaction(), connection.cursor() as cursor:
                values = {**response, "submission_key": secrets.token_urlsafe(32)}
                cursor.execute(insert_response, [values[c] for c in response_columns])
                new_id = cursor.fetchone()[0]
                cursor.executemany(
                    insert_answer,
                    [
                        [new_id if c == "response_id" else a[c] for c in answer_columns]
                        for a in answers
                    ],
                )
        return count / (time.perf_counter() - began)


def _rows(connection, sql, *params) -> list[dict]:
    cursor = connection.execute(sql, params)
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _row(connection, sql, *params) -> dict:
    return _rows(connection, sql, *params)[0]


def _insert(table: str, columns: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"


def stored_check(expected: int) -> tuple[int, int]:
    from brukarrevision.collection.models import Answer, Response

    responses = Response.objects.filter(distribution__token=TOKEN)
    answers = Answer.objects.filter(response__distribution__token=TOKEN).count()
    count = responses.count()
    assert count == expected, f"{count} responses stored, expected {expected}"
    return count, answers


# The report ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def cpu_seconds(match) -> float:
    """CPU time (user and system) used so far by the processes whose command line `match`es:
    where the time goes, read from /proc (Linux) as the processes run."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if match(command):
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def server_cpu() -> dict:
    return {
        "web": cpu_seconds(lambda c: "gunicorn" in c and "brukarrevision.wsgi" in c),
        "database": cpu_seconds(lambda c: c.startswith("postgres: ")),
    }


def main() -> None:
    print(f"Preparing a fresh benchmark database at {DB_URL} …", flush=True)
    fresh_database()
    manage("migrate", "--noinput")
    answers = build_questionnaire()
    server = start_server()
    load_before = f"{os.getloadavg()[0]:.2f}"  # other work on the machine skews every figure
    try:
        before, children = server_cpu(), os.times().children_user + os.times().children_system
        client = subprocess.run(
            [sys.executable, __file__, "--client"],
            input=json.dumps(answers),
            capture_output=True,
            text=True,
            check=True,
        )
        after = server_cpu()
        respondents = os.times().children_user + os.times().children_system - children
    finally:
        server.terminate()
        server.wait()
    result = json.loads(client.stdout)
    result["load_before"] = load_before
    result["cpu"] = {key: after[key] - before[key] for key in after}
    result["cpu"]["respondents"] = respondents
    stored, answer_rows = stored_check(RESPONSES + 1)
    direct = direct_inserts(RESPONSES)
    report(result, stored, answer_rows, direct)


# Targets (issue 18): every figure is printed with its target and whether it is met.
TARGET_RATE = 300  # complete 30-item submissions per second over HTTP, at least
TARGET_SHARE = 0.5  # of the direct insert rate, at least
TARGET_VISITS = 120  # whole visits per second, at least
TARGET_P99 = 0.100  # seconds, under


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def report(result: dict, stored: int, answer_rows: int, direct: float) -> None:
    latencies = result["submissions"]
    rate = len(latencies) / result["sending"]
    visits = len(latencies) / (result["opening"] + result["sending"])
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    print(f"gunicorn workers: {WORKERS}; client threads: {CLIENTS}; cores: {os.cpu_count()}")
    print(f"load average before: {result.get('load_before', '?')}; after: {os.getloadavg()[0]:.2f}")
    print(
        f"responses stored: {stored} with {answer_rows} answer rows "
        f"({answer_rows / stored:.1f} per response)"
    )
    busy = result["client_cpu"] / result["sending"]
    print(f"the respondents' process kept {busy:.2f} of a core busy while submitting")
    visits_done = len(latencies) + 1  # and the warm-up visit
    split = ", ".join(
        f"{who} {1000 * seconds / visits_done:.1f} ms" for who, seconds in result["cpu"].items()
    )
    print(f"CPU per whole visit (all four requests): {split}")
    print(f"submission latency: p50 {1000 * p50:.0f} ms")
    print(f"same rows straight into PostgreSQL: {direct:.0f} responses per second")
    print(f"submissions/s {rate:.0f} (target ≥ {TARGET_RATE}): {verdict(rate >= TARGET_RATE)}")
    print(
        f"share of the direct insert rate {rate / direct:.2f} (target ≥ {TARGET_SHARE}): "
        f"{verdict(rate / direct >= TARGET_SHARE)}"
    )
    print(
        f"whole visits/s (open, consent, page, submit) {visits:.0f} "
        f"(target ≥ {TARGET_VISITS}): {verdict(visits >= TARGET_VISITS)}"
    )
    print(
        f"submission p99 {1000 * p99:.0f} ms (target < {1000 * TARGET_P99:.0f} ms): "
        f"{verdict(p99 < TARGET_P99)}"
    )


if __name__ == "__main__":
    if "--client" in sys.argv:
        client_main()
    else:
        main()
