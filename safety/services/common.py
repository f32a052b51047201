"""Helpers shared by the safety services: photo checks, the audit trail of refusals, and set-wise
writes for the sweep (a fixed number of statements however many schools, plans and items).

``insert_returning`` and ``update_returning`` are plain ``INSERT … ON CONFLICT DO NOTHING
RETURNING`` / ``UPDATE … RETURNING`` (PostgreSQL, and SQLite ≥ 3.35): the database says which
rows this caller wrote, so two workers running the same sweep never both act on one row and
each can report exactly what it did. The ORM's ``bulk_create(ignore_conflicts=True)`` cannot
tell which rows were skipped, and ``update()`` returns only a count.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from logistics.audit import refused  # noqa: F401 - the safety services raise refused(...)
from logistics.uploads import check_upload


def local_today() -> dt.date:
    return timezone.localdate()


def check_image(upload) -> None:
    """Refuse anything that is not an image by content, or larger than MAX_UPLOAD_BYTES (the shared rule)."""
    check_upload(upload, kinds=("image",))


# --- set-wise SQL ---------------------------------------------------------------------------------

PLAIN = {"CharField", "TextField", "ImageField", "FileField", "IntegerField", "BigIntegerField", "PositiveSmallIntegerField",
         "PositiveIntegerField", "SmallIntegerField", "BooleanField", "AutoField", "BigAutoField"}


def _max_params() -> int:
    return min(connection.features.max_query_params or 65535, 60000)


def insert_returning(model, rows: list[dict], *, returning: tuple[str, ...] = ("id",), ignore_conflicts: bool = False) -> list[tuple]:
    """INSERT ``rows`` (dicts of field name → value, all with the same keys) and return the
    ``returning`` fields of the rows actually inserted, as Python values (nothing for ``returning=()``).

    One statement per batch; a batch holds as many rows as the database takes parameters
    (tens of thousands of rows for the sweep's narrow tables), so the count stays fixed in use.
    """
    if not rows:
        return []
    opts = model._meta
    fields = [opts.get_field(name) for name in rows[0]]
    back = [opts.get_field(name) for name in returning]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if back:
        suffix += " RETURNING " + ", ".join(qn(f.column) for f in back)
    per_batch = max(1, _max_params() // len(fields))
    keys = [f.name if f.name in rows[0] else f.attname for f in fields]
    # Plain ints and strings go as they are; dates, times and the like through the field.
    prep = [None if f.get_internal_type() in PLAIN else f for f in fields]
    result = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            batch = rows[start:start + per_batch]
            params = [row[k] if f is None else f.get_db_prep_save(row[k], connection) for row in batch for k, f in zip(keys, prep, strict=True)]
            cursor.execute(f"INSERT INTO {qn(opts.db_table)} ({columns}) VALUES {', '.join([placeholder] * len(batch))}{suffix}", params)
            if back:
                result.extend(tuple(f.to_python(v) for f, v in zip(back, row, strict=True)) for row in cursor.fetchall())
    return result


def update_returning(model, *, set_sql: str, set_params: list, where_sql: str, where_params: list, returning: tuple[str, ...]) -> list[tuple]:
    """``UPDATE <table> SET … WHERE … RETURNING …`` in one statement; rows locked by another
    transaction are skipped on PostgreSQL (``FOR UPDATE SKIP LOCKED``), so two sweeps never wait
    for each other nor both take a row. Column names in the SQL fragments are the caller's."""
    opts = model._meta
    qn = connection.ops.quote_name
    table = qn(opts.db_table)
    back = [opts.get_field(name) for name in returning]
    pk = qn(opts.pk.column)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    sql = (
        f"UPDATE {table} SET {set_sql} WHERE {pk} IN (SELECT {pk} FROM {table} WHERE {where_sql}{lock}) AND {where_sql} "
        f"RETURNING {', '.join(qn(f.column) for f in back)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*set_params, *where_params, *where_params])
        return [tuple(f.to_python(v) for f, v in zip(back, row, strict=True)) for row in cursor.fetchall()]


def db_date(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


# --- notices -------------------------------------------------------------------------------------

def notice(recipient, *, school_id, key: str, text, url: str = "") -> dict | None:
    """One in-app notification as a row for ``send_notices`` — the same row ``logistics.services.notify``
    writes, rendered in the recipient's language; None for an inactive recipient."""
    from logistics.models import EmailState

    if recipient is None or not recipient.is_active:
        return None
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        rendered = str(text)[:500]
    return {
        "recipient_id": recipient.pk, "school_id": school_id, "text": rendered, "url": url[:300], "dedupe_key": key[:200],
        "email_state": EmailState.PENDING if recipient.email else EmailState.NONE, "read_at": None,
    }


def send_notices(rows: list[dict | None], *, now=None) -> int:
    """Insert the notices whose (recipient, key) is new, in one statement; return how many were new.

    A key already used (by an earlier run, or by another worker at this very moment) is skipped by
    the unique constraint. E-mails of the new ones leave through the notification outbox
    (``logistics.tasks.heartbeat`` sends pending e-mails every minute).
    """
    from logistics.models import Notification

    now = now or timezone.now()
    unique = {(r["recipient_id"], r["dedupe_key"]): r for r in rows if r}
    ordered = [{**unique[k], "created_at": now} for k in sorted(unique)]  # one order for every worker: no deadlocks
    return len(insert_returning(Notification, ordered, ignore_conflicts=True))
