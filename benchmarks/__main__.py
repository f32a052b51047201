"""python -m benchmarks [--db sqlite|postgres|both] [--scale full|small] [--seconds N]

Seeds a scratch database, serves it with gunicorn (2 workers) on 127.0.0.1, measures the main
pages (median/p95 sequential latency, throughput at concurrency 8, SQL queries per request) and a
bare ceiling view, and writes benchmarks/out/results-<db>.json and results.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from benchmarks.measure import PageResult, login, markdown_table, measure
from benchmarks.pages import all_pages
from benchmarks.seed import PASSWORD

BASE = Path(__file__).resolve().parent.parent
OUT = BASE / "benchmarks" / "out"
PY = sys.executable


def database_url(db: str) -> str:
    if db == "postgres":
        return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/logistics_bench")
    return f"sqlite:///{BASE / 'var' / 'bench.sqlite3'}"


def fresh_database(db: str, env: dict) -> None:
    if db == "postgres":
        name = database_url(db).rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{BASE / 'var' / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
    subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v0"], cwd=BASE, env=env, check=True)


def run(db: str, scale: str, seconds: float) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url(db), "DJANGO_SETTINGS_MODULE": "logistics.settings.local", "DEBUG": "0",
           "BENCHMARK": "1", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None) if not os.environ.get("BENCH_REDIS_URL") else env.update(REDIS_URL=os.environ["BENCH_REDIS_URL"])
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    fresh_database(db, env)
    ids_file = OUT / f"ids-{db}.json"
    subprocess.run([PY, "-m", "benchmarks.seed", scale, str(ids_file)], cwd=BASE, env=env, check=True)
    seed_seconds = time.perf_counter() - t0
    seeded = json.loads(ids_file.read_text())
    port = 8765
    server = subprocess.Popen([PY, "-m", "gunicorn", "logistics.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--timeout", "120", "--log-level", "warning"], cwd=BASE,
                              env={**env, "DJANGO_SETTINGS_MODULE": "logistics.settings.local"})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                import requests

                requests.get(f"{base}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.5)
        sessions = {}

        def cookies(role: str):
            if role not in sessions:
                sessions[role] = login(base, f"b_{role}", PASSWORD).cookies
            return sessions[role]

        ceiling = measure(base, cookies("teacher"), "ceiling (bare view)", "/bench/ceiling/", "teacher", duration=seconds)
        results: list[PageResult] = []
        for name, role, path in all_pages(seeded["ids"]):
            r = measure(base, cookies(role), name, path, role, duration=seconds)
            r.ratio = r.rps / ceiling.rps if ceiling.rps else 0
            results.append(r)
            print(f"  {name:<40} {r.status} {r.median_ms:7.1f} ms  {r.rps:7.1f} req/s  {r.ratio * 100:4.0f}%  {r.queries} queries", flush=True)
        ceiling.ratio = 1.0
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "database": db, "scale": scale, "seed_seconds": round(seed_seconds, 1), "seed_timings": seeded["timings"],
        "ceiling": ceiling.__dict__, "pages": [r.__dict__ for r in results],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--scale", choices=["full", "small"], default="full")
    parser.add_argument("--seconds", type=float, default=8.0, help="duration of each throughput run")
    args = parser.parse_args(argv)
    machine = f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · {platform.platform()}"
    report = [f"# Benchmark {datetime.now():%Y-%m-%d %H:%M}", "", f"Machine: {machine}", ""]
    everything = {"machine": machine, "date": datetime.now().isoformat(timespec="seconds"), "runs": []}
    for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        print(f"== {db} ({args.scale})", flush=True)
        result = run(db, args.scale, args.seconds)
        everything["runs"].append(result)
        pages = [PageResult(**result["ceiling"])] + [PageResult(**p) for p in result["pages"]]
        report.append(markdown_table(pages, f"{db}, {args.scale} dataset (seeded in {result['seed_seconds']} s)"))
    (OUT / "results.json").write_text(json.dumps(everything, indent=1, ensure_ascii=False))
    (OUT / "results.md").write_text("\n".join(report))
    print("\n".join(report))


if __name__ == "__main__":
    main()
