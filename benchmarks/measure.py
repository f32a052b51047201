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


def markdown_table(results: list[PageResult], title: str) -> str:
    lines = [f"### {title}", "", "| page | role | status | median ms | p95 ms | req/s @8 | % of ceiling | queries |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.name} | {r.role} | {r.status} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.rps:.1f} | {r.ratio * 100:.0f}% | {r.queries} |")
    return "\n".join(lines) + "\n"
