"""Backup and restore drill: dump the database, restore it into a wiped scratch database, and
prove the copy is whole by comparing every table's row count and a checksum of its rows.

    manage.py backup_drill                 # dump to var/backups/, restore into a scratch DB, compare
    manage.py backup_drill --keep          # also keep the dump file (printed) for the real backup

PostgreSQL: ``pg_dump -Fc`` / ``pg_restore`` into ``<name>_restore_drill``. SQLite: the online
backup API into a scratch file. Exit status 1 when anything differs.
"""
from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def table_names(conn_vendor: str, cursor) -> list[str]:
    if conn_vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def fingerprint(vendor: str, cursor) -> dict[str, tuple[int, str]]:
    """table → (row count, checksum of all its rows, independent of their order)."""
    if vendor == "postgresql":
        return fingerprint_postgres(cursor)
    result = {}
    for table in table_names(vendor, cursor):
        quoted = f'"{table}"'
        cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")
        digest = hashlib.sha256()
        count = 0
        while rows := cursor.fetchmany(2000):
            for row in rows:
                digest.update(repr(tuple(str(v) for v in row)).encode())
                count += 1
        result[table] = (count, digest.hexdigest()[:16])
    return result


def fingerprint_postgres(cursor) -> dict[str, tuple[int, str]]:
    """Computed by the server from each row's text form, so that the client's type adapters
    (Django's connection returns JSON as text, a plain psycopg2 one as Python objects) cannot
    make two equal tables look different; only 32 bytes per row travel."""
    result = {}
    for table in table_names("postgresql", cursor):
        cursor.execute(
            f'SELECT count(*), coalesce(md5(string_agg(h, \'\' ORDER BY h)), \'\') '
            f'FROM (SELECT md5(t::text) AS h FROM "{table}" AS t) AS rows'
        )
        count, digest = cursor.fetchone()
        result[table] = (count, digest[:16])
    return result


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--keep", action="store_true", help="Keep the dump file.")
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "var" / "backups"))

    def handle(self, *args, **options):
        out_dir = Path(options["dir"])
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        vendor = connection.vendor
        if vendor == "sqlite":
            # Read the source the same raw way as the restored copy (Django converts types).
            source = sqlite3.connect(connection.settings_dict["NAME"])
            before = fingerprint(vendor, source.cursor())
            source.close()
        else:
            with connection.cursor() as cursor:
                before = fingerprint(vendor, cursor)
        if vendor == "postgresql":
            after, dump = self.drill_postgres(out_dir, stamp)
        elif vendor == "sqlite":
            after, dump = self.drill_sqlite(out_dir, stamp)
        else:
            raise CommandError(f"no drill for {vendor}")
        differences = [t for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]
        rows = sum(c for c, _h in before.values())
        for table in differences:
            self.stdout.write(f"DIFFERENT {table}: source {before.get(table)} restored {after.get(table)}")
        if not options["keep"]:
            dump.unlink(missing_ok=True)
        else:
            self.stdout.write(f"dump kept: {dump}")
        if differences:
            raise CommandError(f"restore drill FAILED: {len(differences)} of {len(before)} tables differ")
        self.stdout.write(self.style.SUCCESS(
            f"restore drill OK: {len(before)} tables, {rows} rows, every count and checksum equal"
        ))

    def drill_postgres(self, out_dir: Path, stamp: str):
        db = connection.settings_dict
        base = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
        env = {"PGPASSWORD": db.get("PASSWORD") or ""}
        import os

        env = {**os.environ, **env}
        dump = out_dir / f"{db['NAME']}-{stamp}.dump"
        scratch = f"{db['NAME']}_restore_drill"[:63]
        subprocess.run(["pg_dump", *base, "-Fc", "-f", str(dump), db["NAME"]], check=True, env=env)
        subprocess.run(["dropdb", *base, "--if-exists", scratch], check=True, env=env)
        subprocess.run(["createdb", *base, scratch], check=True, env=env)
        try:
            subprocess.run(["pg_restore", *base, "--no-owner", "-d", scratch, str(dump)], check=True, env=env)
            import psycopg2

            conn = psycopg2.connect(dbname=scratch, host=base[1], port=base[3], user=base[5], password=db.get("PASSWORD") or None)
            try:
                with conn.cursor() as cursor:
                    after = fingerprint("postgresql", cursor)
            finally:
                conn.close()
        finally:
            subprocess.run(["dropdb", *base, "--if-exists", scratch], check=False, env=env)
        return after, dump

    def drill_sqlite(self, out_dir: Path, stamp: str):
        source = connection.settings_dict["NAME"]
        dump = out_dir / f"sqlite-{stamp}.sqlite3"
        scratch = out_dir / f"restore-drill-{stamp}.sqlite3"
        connection.ensure_connection()
        raw = connection.connection
        target = sqlite3.connect(dump)
        raw.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        target.close()
        scratch.unlink(missing_ok=True)
        restored = sqlite3.connect(scratch)
        source_copy = sqlite3.connect(dump)
        source_copy.backup(restored)
        source_copy.close()
        try:
            after = fingerprint("sqlite", restored.cursor())
        finally:
            restored.close()
            scratch.unlink(missing_ok=True)
        if str(source) == ":memory:" or "mode=memory" in str(source):
            self.stdout.write("(in-memory database: drill ran against the live copy)")
        return after, dump
