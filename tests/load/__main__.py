"""Run the load test from the command line.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/logistics_load .venv/bin/python -m tests.load
    .venv/bin/python -m tests.load --users 50 --seconds 120 --web-workers 4      # the defaults
    .venv/bin/python -m tests.load --base http://127.0.0.1:8000                  # a site already running

Without ``--base`` it brings up its own stack on this machine: migrates the database named by
``DATABASE_URL`` (PostgreSQL; created if missing), loads the demo school, starts gunicorn (and a
Celery worker when ``REDIS_URL`` is set) on 127.0.0.1, drives it, stops everything and prints
the figures. With ``--base`` it only creates the accounts (same ``DATABASE_URL`` as the site)
and drives the given site. Exit status 1 on any 5xx, client error, refused form or lost write.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120, help="how long all of them work together, after they arrived")
    parser.add_argument("--base", help="drive a site that is already running (default: start one)")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn workers when starting the site")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--spawn-rate", type=float, default=1.0, help="people arriving per second (default 1)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings.local")
    database_url = os.environ.get("DATABASE_URL", "")
    if not args.base and not database_url.startswith("postgres"):
        parser.error("set DATABASE_URL to a PostgreSQL database (it is created and migrated if needed)")
    if not args.base:
        create_database(database_url)

    import django

    django.setup()
    from django.core.management import call_command

    from logistics.models import School
    from tests import load
    from tests.processes import free_port, settings_module, start_gunicorn, start_worker, stop, subprocess_env

    procs = []
    try:
        if not args.base:
            call_command("migrate", "--no-input", verbosity=0)
            if not School.objects.filter(code="SY").exists():
                call_command("seed_demo", verbosity=0)
        school = School.objects.get(code="SY") if School.objects.filter(code="SY").exists() else School.objects.order_by("pk").first()
        run_id = uuid.uuid4().hex[:8]
        accounts, ctx = load.prepare(school, users=args.users, password="load-pass-2026", run_id=run_id)
        base = args.base
        if not base:
            tmp = Path(tempfile.mkdtemp(prefix="logistics-load-"))
            redis_url = os.environ.get("REDIS_URL", "")
            env = subprocess_env(redis_url=redis_url, queue=f"logistics-load-{run_id}", media_root=tmp / "media")
            # production-like: no DEBUG, tasks through the broker; plain HTTP on 127.0.0.1 (no secure cookies)
            env.update(settings_module(tmp, "load_settings", "logistics.settings.local",
                                       "DEBUG = False\nCELERY_TASK_ALWAYS_EAGER = False\n"
                                       f"CELERY_TASK_DEFAULT_QUEUE = 'logistics-load-{run_id}'"))
            port = args.port or free_port()
            procs.append(start_gunicorn(port, env, f"load-gunicorn-{port}", workers=args.web_workers))
            if redis_url:
                procs.append(start_worker(f"logistics-load-{run_id}", env, f"load-worker-{run_id}"))
            base = f"http://127.0.0.1:{port}"
        print(f"driving {base} with {len(accounts)} simulated users for {args.seconds:.0f}s (run {run_id})", flush=True)
        report = load.run(base, accounts, ctx, seconds=args.seconds, spawn_per_second=args.spawn_rate)
        print(report.summary())
        return 0 if report.ok else 1
    finally:
        stop(*procs)


def create_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(dbname="postgres", host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432,
                            user=parsed.username or "postgres", password=parsed.password)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


if __name__ == "__main__":
    sys.exit(main())
