"""Measure a few benchmark pages against an already seeded database, without re-seeding.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/logistics_bench_mine \
    python -m benchmarks.quick --ids benchmarks/out/ids-ref.json --port 8801 --seconds 3 "asset" "repair inbox"

Starts gunicorn (2 workers) on the port, measures every page whose name contains one of the given
words (all pages when none given) and the ceiling around them, prints one line per page and
stops gunicorn; ``--jobs`` then times the jobs (``benchmarks/jobs.py``) on the same database.
Meant for before/after checks while working on a page; the figures that count come from
``python -m benchmarks``.
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from benchmarks.__main__ import measure_pages, run_jobs, serve
from benchmarks.pages import all_pages

BASE = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="*")
    parser.add_argument("--ids", default=str(BASE / "benchmarks" / "out" / "ids-ref.json"))
    parser.add_argument("--port", type=int, default=8801)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--sequential", type=int, default=20)
    parser.add_argument("--jobs", action="store_true",
                        help="also time the disclosure PDF, the sweeps and a 20,000-row import (rolled back: the database is unchanged)")
    args = parser.parse_args(argv)
    ids = json.loads(Path(args.ids).read_text())["ids"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "logistics.settings.local", "DEBUG": "0", "BENCHMARK": "1",
           "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    pages = [p for p in all_pages(ids) if not args.words or any(w in p[0] for w in args.words)]
    if pages:
        server = serve(env, args.port)
        try:
            measure_pages(f"http://127.0.0.1:{args.port}", pages, args.seconds, sequential=args.sequential,
                          log=lambda m: print(m, flush=True))
        finally:
            server.terminate()
            server.wait(timeout=30)
    if args.jobs:
        run_jobs(env, Path(args.ids), "full", log=lambda m: print(m, flush=True))


if __name__ == "__main__":
    main()
