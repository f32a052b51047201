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


def worker_log(name: str) -> str:
    """What a process started here (``start_worker(…, name)``) has written so far."""
    return (BASE_DIR / "var" / "test-logs" / f"{name}.log").read_text(errors="replace")


def point_app_at(app, **conf) -> dict:
    """Change Celery settings of the test process (``broker_url=…``, ``result_backend=…`` …) and drop
    the connections, producers and result backend the app has cached, so the change takes effect;
    returns the previous values for a second call to restore them. Without the reset, a test that
    pointed the broker at a dead port leaves the connection pool aimed there for every later test."""
    old = {key: app.conf[key] for key in conf}
    for key, value in conf.items():
        app.conf[key] = value
    # Drop (do not force-close) the pool: closing it under kombu's pidbox leaves app.control.ping
    # deaf for every later worker; the old connections are simply garbage-collected.
    app._pool = None
    app.amqp._producer_pool = None
    try:
        del app._local.backend
    except AttributeError:
        pass
    return old


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


def start_gunicorn(port: int, env: dict, name: str, workers: int = 2) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "logistics.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
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


# --- a private redis-server (for outage tests: stopped and started again by the test) -------------

def start_redis(port: int) -> subprocess.Popen:
    """A throw-away redis-server on ``port`` that keeps nothing on disk."""
    import shutil

    binary = shutil.which("redis-server")
    if not binary:
        raise FileNotFoundError("redis-server")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", "/tmp",
         "--dbfilename", f"faults-{port}.rdb"],
        stdout=_log(f"redis-{port}"), stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"redis-server did not start on port {port}")


def settings_module(directory: Path, name: str, base: str, body: str) -> dict:
    """Write ``<directory>/<name>.py`` = ``from <base> import *`` + ``body``; return the env that selects it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.py").write_text(f"from {base} import *  # noqa: F401,F403\n{body}\n")
    path = os.pathsep.join(p for p in (str(directory), str(BASE_DIR), os.environ.get("PYTHONPATH", "")) if p)
    return {"DJANGO_SETTINGS_MODULE": name, "PYTHONPATH": path}


# --- a browser-less user over HTTP ------------------------------------------------------------------

CSRF_RE = r'name="csrfmiddlewaretoken" value="([^"]+)"'


def http_login(base: str, username: str, password: str):
    import re

    import requests

    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(CSRF_RE, page.text).group(1)
    response = session.post(f"{base}/accounts/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": token},
                            headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise AssertionError(f"login of {username} failed: {response.status_code} {response.text[:300]}")
    session.base = base
    return session


def http_post_form(session, path: str, data: dict, *, form_page: str | None = None, files=None):
    """GET the form page (for the CSRF token), POST ``data`` to ``path``; return the response (no redirects)."""
    import re

    base = session.base
    page = session.get(f"{base}{form_page or path}", timeout=30)
    match = re.search(CSRF_RE, page.text)
    token = match.group(1) if match else session.cookies.get("csrftoken", "")
    return session.post(f"{base}{path}", data={**data, "csrfmiddlewaretoken": token}, files=files,
                        headers={"Referer": f"{base}{form_page or path}"}, allow_redirects=False, timeout=60)


def read_mail(directory: Path) -> list:
    """Every e-mail the file-based backend wrote into ``directory`` (subprocesses' outbox)."""
    from email import message_from_bytes

    sent = []
    for f in sorted(Path(directory).glob("*.log")):
        for chunk in f.read_bytes().split(b"-" * 79):
            if chunk.strip():
                sent.append(message_from_bytes(chunk.strip()))
    return sent


def mail_text(message) -> str:
    return message.get_payload(decode=True).decode()


def start_beat(env: dict, name: str, schedule_dir: Path) -> subprocess.Popen:
    """A Celery beat (RedBeat when REDIS_URL is set). No pid file: as if each ran on its own host."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "logistics", "beat", "-l", "info", "--pidfile=",
         "-s", str(schedule_dir / f"{name}-schedule")],
        cwd=BASE_DIR, env=env, stdout=_log(name), stderr=subprocess.STDOUT,
    )


def log_text(name: str) -> str:
    path = BASE_DIR / "var" / "test-logs" / f"{name}.log"
    return path.read_text(errors="replace") if path.exists() else ""
