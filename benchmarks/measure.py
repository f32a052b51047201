"""Measure pages served by gunicorn: latency (sequential), throughput (concurrent), queries."""
from __future__ import annotations

import re
import statistics
import threading
import time
from dataclasses import dataclass, field

import requests


def login(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = session.post(f"{base}/accounts/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": token},
                     headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False, timeout=30)
    if r.status_code != 302:
        raise RuntimeError(f"login as {username} failed: {r.status_code}")
    return session


@dataclass
class PageResult:
    name: str
    path: str
    role: str
    status: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    rps: float = 0.0
    queries: int = 0
    ratio: float = 0.0
    errors: int = 0
    extra: dict = field(default_factory=dict)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def measure(base: str, cookies, name: str, path: str, role: str, *, sequential: int = 40, concurrency: int = 8,
            duration: float = 8.0) -> PageResult:
    result = PageResult(name=name, path=path, role=role)
    session = requests.Session()
    session.cookies.update(cookies)
    first = session.get(base + path, timeout=60, allow_redirects=False)
    result.status = first.status_code
    result.queries = int(first.headers.get("X-Query-Count", -1))
    timings = []
    for _ in range(sequential):
        t0 = time.perf_counter()
        r = session.get(base + path, timeout=60, allow_redirects=False)
        timings.append((time.perf_counter() - t0) * 1000)
        if r.status_code >= 400:
            result.errors += 1
    # A page that caches (the home page) answers the first request with more queries than the next ones.
    result.extra["queries_warm"] = int(r.headers.get("X-Query-Count", -1))
    result.median_ms = statistics.median(timings)
    result.p95_ms = percentile(timings, 95)

    done = [0]
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def worker():
        s = requests.Session()
        s.cookies.update(cookies)
        n = e = 0
        while time.perf_counter() < stop_at:
            r = s.get(base + path, timeout=60, allow_redirects=False)
            n += 1
            e += r.status_code >= 400
        with lock:
            done[0] += n
            errors[0] += e

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.rps = done[0] / (time.perf_counter() - started)
    result.errors += errors[0]
    return result


def markdown_table(results: list[PageResult], title: str, before: dict | None = None) -> str:
    """Pages with their figures; ``before`` ({page name: {"ratio", "queries"}}) adds the earlier run."""
    before = before or {}
    lines = [f"### {title}", "",
             "| page | role | status | median ms | p95 ms | req/s @8 | % of ceiling | queries | before: % | before: queries |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        b = before.get("ceiling" if r.name.startswith("ceiling") else r.name)
        was = (f"{b['ratio'] * 100:.0f}%", str(b["queries"])) if b else ("—", "—")
        flag = " ⚠" if r.ratio < 0.35 and not r.name.startswith("ceiling") else ""
        warm = r.extra.get("queries_warm", r.queries)
        queries = f"{r.queries} ({warm} cached)" if warm not in (r.queries, -1) else str(r.queries)
        lines.append(f"| {r.name} | {r.role} | {r.status} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.rps:.1f} | "
                     f"{r.ratio * 100:.0f}%{flag} | {queries} | {was[0]} | {was[1]} |")
    return "\n".join(lines) + "\n"


JOB_TARGETS = {"disclosure": 5.0, "sweeps": 2.0, "import": 30.0}
JOB_LABELS = {"disclosure": "monthly disclosure PDF (large school)", "sweeps": "reminder sweeps, all schools",
              "monthly": "monthly disclosures, all schools", "import": "asset workbook import"}


def jobs_table(jobs: list[dict], title: str) -> str:
    lines = [f"### {title}", "", "| job | seconds | target | SQL queries | peak memory MB (after start-up) | what |",
             "|---|---:|---:|---:|---:|---|"]
    for j in jobs:
        target = JOB_TARGETS.get(j["job"])
        ok = "" if target is None or j.get("error") or j["seconds"] <= target else " ⚠"
        what = j.get("error") or j.get("detail", "")
        if j.get("second_run"):
            again = j["second_run"]
            what += f"; run again: {again['seconds']:.2f} s, {again['queries']} queries" if again["seconds"] else f"; run again: {again['queries']} queries"
        if j.get("worker_start_seconds"):
            what += f"; in a started worker (its start-up warm-up, once per worker process: {j['worker_start_seconds']:.2f} s)"
        goal = f"< {target:g} s" if target else "—"
        lines.append(f"| {JOB_LABELS.get(j['job'], j['job'])} | {j['seconds']:.2f}{ok} | {goal} | {j.get('queries', '—')} | "
                     f"{j.get('peak_rss_mb', 0):.0f} ({j.get('baseline_rss_mb', 0):.0f}) | {what} |")
    return "\n".join(lines) + "\n"
