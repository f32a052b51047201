"""python -m benchmarks [--db sqlite|postgres|both] [--scale full|small] [--seconds N] [--no-jobs]

Seeds a scratch database, serves it with gunicorn (2 workers) on 127.0.0.1, measures the main
pages (median/p95 sequential latency, throughput at concurrency 8, SQL queries per request)
against a bare ceiling view (measured again every few pages, so a load change on a shared
machine moves both), then, with the server stopped, times the jobs of ``benchmarks/jobs.py``
(disclosure PDF, reminder sweeps, the monthly disclosures of every school, 20,000-row import) each in its own process with its peak
memory. Writes benchmarks/out/results.json and results.md (dated, with the machine), with the
previous run's figures (benchmarks/before.json) beside the new ones.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.measure import PageResult, jobs_table, login, markdown_table, measure
from benchmarks.pages import all_pages
from benchmarks.seed import PASSWORD, SIZES

BASE = Path(__file__).resolve().parent.parent
OUT = BASE / "benchmarks" / "out"
PY = sys.executable
CEILING_EVERY = 8  # pages between two measurements of the ceiling


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


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    mem = ""
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f" · {kib / 1024 / 1024:.0f} GiB"
    return f"{platform.node()} · {os.cpu_count()} cores ({cpu}){mem} · Python {platform.python_version()} · {platform.platform()}"


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def bench_env(db: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url(db), "DJANGO_SETTINGS_MODULE": "logistics.settings.local", "DEBUG": "0",
           "BENCHMARK": "1", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None) if not os.environ.get("BENCH_REDIS_URL") else env.update(REDIS_URL=os.environ["BENCH_REDIS_URL"])
    return env


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen([PY, "-m", "gunicorn", "logistics.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--timeout", "120", "--log-level", "warning"], cwd=BASE, env=env)
    import requests

    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except Exception:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def measure_pages(base: str, pages, seconds: float, sequential: int = 40, log=print) -> tuple[PageResult, list[PageResult]]:
    """Every page, with the ceiling measured before each block of CEILING_EVERY pages and after the
    last; a page's ratio is against the mean of the two ceilings around its block."""
    sessions = {}

    def cookies(role: str):
        if role not in sessions:
            sessions[role] = login(base, f"b_{role}", PASSWORD).cookies
        return sessions[role]

    def ceiling():
        return measure(base, cookies("teacher"), "ceiling (bare view)", "/bench/ceiling/", "teacher", duration=seconds,
                       sequential=sequential)

    ceilings = [ceiling()]
    log(f"  {'ceiling':<40} {ceilings[0].status} {ceilings[0].median_ms:7.1f} ms  {ceilings[0].rps:7.1f} req/s")
    results: list[PageResult] = []
    for start in range(0, len(pages), CEILING_EVERY):
        block = []
        for name, role, path in pages[start:start + CEILING_EVERY]:
            block.append(measure(base, cookies(role), name, path, role, duration=seconds, sequential=sequential))
        ceilings.append(ceiling())
        around = (ceilings[-2].rps + ceilings[-1].rps) / 2
        for r in block:
            r.ratio = r.rps / around if around else 0
            r.extra["ceiling_rps"] = round(around, 1)
            log(f"  {r.name:<40} {r.status} {r.median_ms:7.1f} ms  {r.rps:7.1f} req/s  {r.ratio * 100:4.0f}%  {r.queries} queries")
        results += block
    summary = PageResult(name="ceiling (bare view)", path="/bench/ceiling/", role="teacher", status=ceilings[0].status,
                         median_ms=sorted(c.median_ms for c in ceilings)[len(ceilings) // 2],
                         p95_ms=sorted(c.p95_ms for c in ceilings)[len(ceilings) // 2],
                         rps=sum(c.rps for c in ceilings) / len(ceilings), queries=ceilings[0].queries, ratio=1.0,
                         extra={"each_rps": [round(c.rps, 1) for c in ceilings]})
    return summary, results


def run_job(env: dict, *args: str) -> dict:
    """One job of benchmarks/jobs.py in its own process; its last output line is JSON."""
    proc = subprocess.run([PY, "-m", "benchmarks.jobs", *args], cwd=BASE, env=env, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode or not lines:
        return {"job": args[0], "seconds": 0.0, "error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["failed"]}
    return json.loads(lines[-1])


def run_jobs(env: dict, ids_file: Path, scale: str, log=print) -> list[dict]:
    media = tempfile.mkdtemp(prefix="bench-media-")
    env = {**env, "MEDIA_ROOT": media}
    workbook = Path(media) / "assets.xlsx"
    rows = SIZES[scale]["assets"]
    made = subprocess.run([PY, "-m", "benchmarks.jobs", "make-workbook", str(workbook), str(rows)], cwd=BASE, env=env,
                          capture_output=True, text=True)
    jobs = []
    for args in (("disclosure", str(ids_file)), ("sweeps", str(ids_file)), ("monthly", str(ids_file)),
                 ("import", str(ids_file), str(workbook))):
        if args[0] == "import" and made.returncode:
            result = {"job": "import", "seconds": 0.0, "error": "could not make the workbook: " + (made.stderr.strip().splitlines() or ["?"])[-1]}
        else:
            result = run_job(env, *args)
        log(f"  job {result['job']:<12} {result['seconds']:7.2f} s  {result.get('queries', '—')} queries  "
            f"peak {result.get('peak_rss_mb', 0):.0f} MB  {result.get('error') or result.get('detail', '')}"
            + (f"  (worker start-up warm-up {result['worker_start_seconds']:.2f} s)" if result.get('worker_start_seconds') else ""))
        jobs.append(result)
    return jobs


def run(db: str, scale: str, seconds: float, *, jobs: bool = True, port: int = 8765) -> dict:
    env = bench_env(db)
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    fresh_database(db, env)
    ids_file = OUT / f"ids-{db}.json"
    subprocess.run([PY, "-m", "benchmarks.seed", scale, str(ids_file)], cwd=BASE, env=env, check=True)
    seed_seconds = time.perf_counter() - t0
    seeded = json.loads(ids_file.read_text())
    load_before = load()
    server = serve(env, port)
    try:
        ceiling, results = measure_pages(f"http://127.0.0.1:{port}", all_pages(seeded["ids"]), seconds, log=lambda m: print(m, flush=True))
    finally:
        server.terminate()
        server.wait(timeout=30)
    job_results = run_jobs(env, ids_file, scale, log=lambda m: print(m, flush=True)) if jobs else []
    return {
        "database": db, "scale": scale, "seed_seconds": round(seed_seconds, 1), "seed_timings": seeded["timings"],
        "load_average": {"before": load_before, "after": load()},
        "ceiling": ceiling.__dict__, "pages": [r.__dict__ for r in results], "jobs": job_results,
    }


def before_figures() -> dict:
    path = BASE / "benchmarks" / "before.json"
    return json.loads(path.read_text())["runs"] if path.exists() else {}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--scale", choices=["full", "small"], default="full")
    parser.add_argument("--seconds", type=float, default=8.0, help="duration of each throughput run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-jobs", action="store_true", help="pages only: skip the disclosure, sweeps and import")
    args = parser.parse_args(argv)
    started = datetime.now().astimezone()
    report = [f"# Benchmark {started:%Y-%m-%d %H:%M %Z}", "", f"Machine: {machine()}", "",
              f"`python -m benchmarks --db {args.db} --scale {args.scale} --seconds {args.seconds:g}`; gunicorn 2 workers, "
              "40 sequential requests per page (median/p95), throughput at concurrency 8; ⚠ marks a page under 35 % of the "
              "ceiling or a job over its target. \"before\" is the run of benchmarks/before.json.", ""]
    everything = {"machine": machine(), "date": started.isoformat(timespec="seconds"), "runs": []}
    before = before_figures()
    for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        print(f"== {db} ({args.scale})", flush=True)
        result = run(db, args.scale, args.seconds, jobs=not args.no_jobs, port=args.port)
        everything["runs"].append(result)
        pages = [PageResult(**result["ceiling"])] + [PageResult(**p) for p in result["pages"]]
        title = (f"{db}, {args.scale} dataset (seeded in {result['seed_seconds']} s; load average "
                 f"{result['load_average']['before']} → {result['load_average']['after']})")
        report.append(markdown_table(pages, title, before.get(f"{db}/{args.scale}")))
        if result["jobs"]:
            report.append(jobs_table(result["jobs"], f"{db}, {args.scale} dataset: jobs"))
    (OUT / "results.json").write_text(json.dumps(everything, indent=1, ensure_ascii=False, default=str))
    (OUT / "results.md").write_text("\n".join(report))
    print("\n".join(report))


if __name__ == "__main__":
    main()
