"""The one ``move()`` helper every workflow uses to change a status.

The allowed moves are data in each app's ``choices.py`` (``{from: {to, ...}}``). ``move`` checks
the map, then changes the status with a conditional ``UPDATE ... WHERE status = <old>``: of two
people acting on the same step at the same moment only one succeeds, on SQLite and PostgreSQL
alike (SQLite ignores ``select_for_update``). The caller writes its event row and saves the
other fields afterwards, inside the same transaction.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def move(obj, to: str, *, transitions: dict, field: str = "status", extra: dict | None = None) -> str:
    """Move ``obj`` from its current status to ``to``; return the status it had.

    ``extra`` holds other columns to set in the same conditional update (e.g. an owner).
    """
    current = getattr(obj, field)
    if to not in transitions.get(current, ()):
        choices = type(obj)._meta.get_field(field).choices or []
        labels = dict(choices)
        raise ValidationError(
            _("Cannot go from “%(from)s” to “%(to)s”.") % {"from": labels.get(current, current), "to": labels.get(to, to)}
        )
    values = {field: to, **(extra or {})}
    if any(f.name == "updated_at" for f in type(obj)._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    changed = type(obj)._default_manager.filter(pk=obj.pk, **{field: current}).update(**values)
    if changed != 1:
        raise ValidationError(_("Someone else changed this record a moment ago. Reload the page and try again."))
    for name, value in values.items():
        setattr(obj, name, value)
    return current


def claim(model, pk, *, where: dict, set: dict) -> bool:  # noqa: A002 - mirrors SQL
    """Conditional update of one row: True when this caller won it (``UPDATE … WHERE``)."""
    return model._default_manager.filter(pk=pk, **where).update(**set) == 1
