"""Helpers shared by the safety services: photo checks and set-wise writes for the sweep (a fixed
number of statements however many schools, plans and items).

``update_returning`` is a plain ``UPDATE … RETURNING`` (PostgreSQL, and SQLite ≥ 3.35): the
database says which rows this caller changed, so two workers running the same sweep never both
act on one row. ``insert_returning`` (its INSERT twin) lives in ``logistics.bulk`` and the
notices in ``logistics.services``, shared with the other apps' sweeps.
"""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from logistics.uploads import check_upload


def local_today() -> dt.date:
    return timezone.localdate()


def check_image(upload) -> None:
    """Refuse anything that is not an image by content, or larger than MAX_UPLOAD_BYTES (the shared rule)."""
    check_upload(upload, kinds=("image",))


# --- set-wise SQL ---------------------------------------------------------------------------------

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


