"""The published report's PDF: served from storage against drawn per request.

Loads the demo (whose report is published, so its files are stored) into a fresh PostgreSQL
benchmark database, then:
1. draws the demo report's PDF in this process the way the public download did before
   publication froze it (build the report from the release, then WeasyPrint), a few times,
   and prints the median seconds per request that costs;
2. serves the site with the production settings under gunicorn and lets a second process
   download /public/demo/report.pdf over HTTP with several threads; prints downloads per
   second, p50 and p99 latency, and checks every download is byte-identical to the stored file.

Environment: BENCH_DATABASE_URL (as bench_survey.py; dropped and created), BENCH_DOWNLOADS
(default 2000), BENCH_CLIENTS (default 8), BENCH_WORKERS (gunicorn workers, default 3).
"""

import hashlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_survey as common  # noqa: E402  the database, server settings and thread pool

DOWNLOADS = int(os.environ.get("BENCH_DOWNLOADS", "2000"))
PATH = "/public/demo/report.pdf"


def download(_job) -> tuple[float, str]:
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", common.PORT, timeout=30)
    connection.request("GET", PATH)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 200, response.status
    return time.perf_counter() - began, hashlib.sha256(body).hexdigest()


def client_main() -> None:
    download(None)  # every code path once before the clock starts
    seconds, results = common.in_parallel(download, list(range(DOWNLOADS)), common.CLIENTS)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "latencies": [latency for latency, _digest in results],
                "digests": sorted({digest for _latency, digest in results}),
            }
        )
    )


def load_demo() -> tuple[str, list[float]]:
    """The demo in the benchmark database; returns the stored PDF's SHA-256 and the seconds
    each of five renders per request took."""
    os.environ.update({k: v for k, v in common.server_environment().items() if k != "PYTHONPATH"})
    sys.path.insert(0, str(common.ROOT / "src"))
    import django

    django.setup()
    from brukarrevision.audits.models import Audit
    from brukarrevision.core import demo
    from brukarrevision.reports import rendering, services
    from brukarrevision.reports.models import Edition

    demo.load()
    stored = Edition.objects.get(report__audit__slug="demo", replaced_at=None).file("pdf", False)
    audit = Audit.objects.get(slug="demo")
    timings = []
    for _ in range(5):
        rendering._DRAWN.clear()  # as a request before publication froze the files
        began = time.perf_counter()
        services.render(audit, "pdf")
        timings.append(time.perf_counter() - began)
    return stored.sha256, timings


def main() -> None:
    print(f"Preparing a fresh benchmark database at {common.DB_URL} …", flush=True)
    common.fresh_database()
    common.manage("migrate", "--noinput")
    stored, timings = load_demo()
    common.TOKEN = "demo"  # the server is ready once the demo survey answers
    server = common.start_server()
    try:
        client = subprocess.run(
            [sys.executable, __file__, "--client"],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        server.terminate()
        server.wait()
    report(json.loads(client.stdout), stored, timings)


def report(result: dict, stored: str, timings: list[float]) -> None:
    latencies = result["latencies"]
    rate = len(latencies) / result["seconds"]
    drawn = statistics.median(timings)
    p50, p99 = statistics.median(latencies), common.percentile(latencies, 0.99)
    print(f"gunicorn workers: {common.WORKERS}; client threads: {common.CLIENTS}")
    print(f"cores: {os.cpu_count()}")
    print(f"drawn per request (as before): {drawn:.2f} s each, {1 / drawn:.1f} per second per core")
    print(f"served from storage: {rate:.0f} downloads per second over HTTP")
    print(f"download latency: p50 {1000 * p50:.1f} ms, p99 {1000 * p99:.1f} ms")
    same = result["digests"] == [stored]
    print(f"every download byte-identical to the stored file: {'yes' if same else 'NO'}")
    verdict = {True: "met", False: "NOT met"}
    print(f"target: 100 downloads/s {verdict[rate >= 100]}")


if __name__ == "__main__":
    if "--client" in sys.argv:
        client_main()
    else:
        main()
