"""Set-wise writes shared by the scheduled sweeps: a fixed number of statements however many
schools and rows.

``insert_returning`` is a plain ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL, and
SQLite ≥ 3.35): the database says which rows this caller wrote, so two workers running the same
sweep never both act on one row and each can report exactly what it did. The ORM's
``bulk_create(ignore_conflicts=True)`` cannot tell which rows were skipped.
"""
from __future__ import annotations

from django.db import connection

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
