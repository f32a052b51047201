"""Measure a few benchmark pages against an already seeded database, without re-seeding.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/logistics_bench_mine \
    python -m benchmarks.quick --ids benchmarks/out/ids-ref.json --port 8801 --seconds 3 "asset" "repair inbox"

Starts gunicorn (2 workers) on the port, measures the ceiling and every page whose name contains
one of the given words (all pages when none given), prints one line per page and stops gunicorn.
Meant for before/after checks while working on a page; the figures that count come from
``python -m benchmarks``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from benchmarks.measure import login, measure
from benchmarks.pages import all_pages
from benchmarks.seed import PASSWORD

BASE = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="*")
    parser.add_argument("--ids", default=str(BASE / "benchmarks" / "out" / "ids-ref.json"))
    parser.add_argument("--port", type=int, default=8801)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--sequential", type=int, default=20)
    args = parser.parse_args(argv)
    ids = json.loads(Path(args.ids).read_text())["ids"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "logistics.settings.local", "DEBUG": "0", "BENCHMARK": "1",
           "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "logistics.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
                               "--workers", "2", "--timeout", "120", "--log-level", "warning"], cwd=BASE, env=env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.5)
        sessions = {}

        def cookies(role):
            if role not in sessions:
                sessions[role] = login(base, f"b_{role}", PASSWORD).cookies
            return sessions[role]

        ceiling = measure(base, cookies("teacher"), "ceiling", "/bench/ceiling/", "teacher", sequential=args.sequential,
                          duration=args.seconds)
        print(f"  {'ceiling':<40} {ceiling.status} {ceiling.median_ms:7.1f} ms  {ceiling.rps:7.1f} req/s  {ceiling.queries} queries",
              flush=True)
        for name, role, path in all_pages(ids):
            if args.words and not any(w in name for w in args.words):
                continue
            r = measure(base, cookies(role), name, path, role, sequential=args.sequential, duration=args.seconds)
            ratio = r.rps / ceiling.rps if ceiling.rps else 0
            print(f"  {name:<40} {r.status} {r.median_ms:7.1f} ms  {r.rps:7.1f} req/s  {ratio * 100:4.0f}%  {r.queries} queries",
                  flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
