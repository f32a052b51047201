"""Project-wide pytest fixtures: schools, people in roles, logged-in clients, real services."""
from __future__ import annotations

import os
import shutil
import socket
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parent
IN_CI = bool(os.environ.get("CI"))


def missing_service(reason: str):
    """Skip on a developer's machine; fail in CI, where every service must be there."""
    if IN_CI:
        pytest.fail(f"CI requires this service: {reason}")
    pytest.skip(reason)


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        missing_service("REDIS_URL is not set")
    if not _reachable(url):
        pytest.fail(f"REDIS_URL={url} is set but Redis does not answer")
    return url


@pytest.fixture
def postgres(django_db_blocker):
    """Assert the test database is PostgreSQL (for race tests that SQLite cannot prove)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        missing_service("DATABASE_URL does not point at PostgreSQL")
    return connection


# --- people and schools ---------------------------------------------------------------------

@pytest.fixture
def school(db):
    from logistics.tests.factories import SchoolFactory

    return SchoolFactory(name="示范实验学校", code="SY")


@pytest.fixture
def other_school(db):
    from logistics.tests.factories import SchoolFactory

    return SchoolFactory(name="和谐小学", code="HX")


@pytest.fixture
def make_member(db, school):
    """``make_member(role, school=None, **user_fields)`` → a user holding that role."""
    from logistics.tests.factories import member

    def make(role, school_=None, **kwargs):
        return member(role, school_ or school, **kwargs)

    return make


@pytest.fixture
def login_as(client, make_member):
    """``login_as(role, school=None)`` → a test client logged in as a new member in that role.

    The client's ``.user`` attribute is the user.
    """
    from django.test import Client

    def login(role, school_=None, **kwargs):
        user = make_member(role, school_, **kwargs)
        c = Client()
        c.force_login(user)
        c.user = user
        return c

    return login


# --- a real Celery worker ---------------------------------------------------------------------

@pytest.fixture
def celery_worker_process(redis_url, transactional_db, settings):
    """Start a real Celery worker (a subprocess) on real Redis, sharing the test database.

    The test process stops running tasks eagerly while the fixture is active, so ``.delay()``
    goes through Redis to the worker. Yields the queue name.
    """
    from logistics.celery import app
    from tests.processes import point_app_at, start_worker, stop, subprocess_env, wait_for_workers

    queue = f"logistics-test-{uuid.uuid4().hex[:8]}"
    env = subprocess_env(redis_url=redis_url, queue=queue, media_root=settings.MEDIA_ROOT)
    proc = start_worker(queue, env, queue)
    old = point_app_at(app, task_always_eager=False, task_default_queue=queue, broker_url=redis_url, result_backend=redis_url)
    try:
        try:
            wait_for_workers(app, [queue], [proc])
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield queue
    finally:
        point_app_at(app, **old)
        stop(proc)


# --- the browser --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        missing_service("Debian's chromium is not installed")
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
    }
