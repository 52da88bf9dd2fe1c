"""Rendering the demo report: seconds per DOCX and PDF (and the easy-to-read summary, and HTML).

Loads the demo into a fresh PostgreSQL benchmark database of its own, then for each format
starts a new process that renders the audit `demo`'s report the way the background task does
(`reports.services.render`: build the document from the latest release, then draw it):
1. once cold, as the first render in a fresh worker (libraries and fonts not yet loaded);
2. five more times with the per-process cache of drawn files cleared, as every later render
   in that worker; prints the median and the slowest.
Prints pages and size of each file, and whether every render stayed under the target of 3 s.

Environment: BENCH_REPORTS_DATABASE_URL (default: BENCH_DATABASE_URL's server with the
database brukarrevision_bench_reports; dropped and created), BENCH_RENDERS (default 5).
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_survey as common  # noqa: E402  the database and server settings

RENDERS = int(os.environ.get("BENCH_RENDERS", "5"))
TARGET = 3.0
CASES = [("docx", False), ("pdf", False), ("docx", True), ("pdf", True), ("html", False)]


def _database_url() -> str:
    given = os.environ.get("BENCH_REPORTS_DATABASE_URL")
    if given:
        return given
    parts = urllib.parse.urlparse(common.DB_URL)
    return parts._replace(path="/brukarrevision_bench_reports").geturl()


common.DB_URL = _database_url()


def _django() -> None:
    os.environ.update({k: v for k, v in common.server_environment().items() if k != "PYTHONPATH"})
    sys.path.insert(0, str(common.ROOT / "src"))
    import django

    django.setup()


def load_demo() -> None:
    _django()
    from brukarrevision.core import demo

    demo.load()


def render_main(fmt: str, easy: bool) -> None:
    """In a new process: one cold render, then RENDERS with the cache cleared; JSON out."""
    _django()
    from brukarrevision.audits.models import Audit
    from brukarrevision.reports import rendering, services

    audit = Audit.objects.get(slug="demo")
    timings = []
    for _ in range(1 + RENDERS):
        rendering._DRAWN.clear()  # as a request that finds nothing drawn yet
        began = time.perf_counter()
        data = services.render(audit, fmt, easy)
        timings.append(time.perf_counter() - began)
    out = Path(tempfile.gettempdir()) / f"bench-report{'-easy' if easy else ''}.{fmt}"
    out.write_bytes(data)
    print(json.dumps({"timings": timings, "size": len(data), "file": str(out)}))


def pages(path: str) -> str:
    if not path.endswith(".pdf") or not shutil.which("pdfinfo"):
        return "–"
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    found = re.search(r"Pages:\s+(\d+)", info)
    return found.group(1) if found else "?"


def main() -> None:
    print(f"Preparing a fresh benchmark database at {common.DB_URL} …", flush=True)
    common.fresh_database()
    common.manage("migrate", "--noinput")
    subprocess.run([sys.executable, __file__, "--load"], check=True, stdout=subprocess.DEVNULL)
    print(f"cores: {os.cpu_count()}; renders after the first: {RENDERS}")
    print(f"{'file':<22}{'first (cold)':>14}{'median':>10}{'slowest':>10}{'pages':>7}{'size':>10}")
    slowest = 0.0
    for fmt, easy in CASES:
        command = [sys.executable, __file__, "--render", fmt, *(["--easy"] if easy else [])]
        found = json.loads(
            subprocess.run(command, capture_output=True, text=True, check=True).stdout
        )
        first, rest = found["timings"][0], found["timings"][1:]
        name = f"{fmt.upper()}{' easy-to-read' if easy else ' report'}"
        print(
            f"{name:<22}{first:>12.2f} s{statistics.median(rest):>8.2f} s{max(rest):>8.2f} s"
            f"{pages(found['file']):>7}{found['size'] / 1024:>8.0f} kB"
        )
        if fmt in ("docx", "pdf"):
            slowest = max(slowest, first, *rest)
    verdict = "met" if slowest < TARGET else "NOT met"
    print(f"target: every DOCX and PDF render under {TARGET:.0f} s: {verdict}")
    print(f"slowest DOCX or PDF render: {slowest:.2f} s")


if __name__ == "__main__":
    if "--load" in sys.argv:
        load_demo()
    elif "--render" in sys.argv:
        render_main(sys.argv[sys.argv.index("--render") + 1], "--easy" in sys.argv)
    else:
        main()
