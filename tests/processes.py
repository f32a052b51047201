"""Start real servers for tests: gunicorn instances and Celery workers sharing the test database."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def subprocess_env(*, redis_url: str, queue: str, media_root: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({
        "DJANGO_SETTINGS_MODULE": "logistics.settings.test",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TEST_QUEUE": queue,
        "TEST_MEDIA_ROOT": str(media_root),
        **{k: str(v) for k, v in extra.items()},
    })
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log(name: str):
    logs = BASE_DIR / "var" / "test-logs"
    logs.mkdir(parents=True, exist_ok=True)
    return open(logs / f"{name}.log", "w")


def start_worker(queue: str, env: dict, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "logistics", "worker", "-Q", queue, "--pool=threads", "--concurrency=4",
         "--without-mingle", "--without-gossip", "-l", "info", "-n", f"{name}@%h"],
        cwd=BASE_DIR, env=env, stdout=_log(name), stderr=subprocess.STDOUT,
    )


def wait_for_workers(app, names: list[str], proc_list: list[subprocess.Popen], timeout: float = 40) -> None:
    wanted = {f"{n}@{socket.gethostname()}" for n in names}
    deadline = time.time() + timeout
    while time.time() < deadline:
        for proc in proc_list:
            if proc.poll() is not None:
                raise RuntimeError("a Celery worker exited at start")
        try:
            replies = app.control.ping(destination=list(wanted), timeout=1) or []
            seen = {name for reply in replies for name in reply}
            if wanted <= seen:
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"workers {wanted} did not answer within {timeout}s")


def start_gunicorn(port: int, env: dict, name: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "logistics.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "60"],
        cwd=BASE_DIR, env=env, stdout=_log(name), stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn {name} exited at start")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn {name} did not start within 30 s")


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
