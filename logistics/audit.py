"""The audit log of refused attempts: one line in ``logistics.audit`` per refusal.

Services call ``refused(message, obj=…, by=…, action=…)`` when they refuse a change to a record that
is final (a signed approval, a closed month, a written-off asset, a submitted inspection …): it logs
who tried what on which record of which school, and returns the ``ValidationError`` to raise, marked
as logged. The shared views (``logistics.scoping``) log the refusals that reach them — wrong role,
a service's ``ValidationError``/``PermissionDenied`` — unless the service has logged it already, so
every attempt leaves exactly one line whichever way it came in (a page, a task, the shell).
"""
from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

audit = logging.getLogger("logistics.audit")


def _school_id(obj, school):
    if school is not None:
        return getattr(school, "pk", school)
    if obj is None:
        return None
    from logistics.scoping import school_of

    try:
        return school_of(obj).pk
    except AttributeError:
        return getattr(obj, "school_id", None)


def log_refused(*, action: str, reason, obj=None, by=None, school=None, path: str = "") -> None:
    """Write one line for a refused attempt."""
    target = f"{obj._meta.label}:{obj.pk}" if obj is not None and hasattr(obj, "_meta") else "-"
    school_id = _school_id(obj, school)
    username = getattr(by, "username", None)
    audit.warning(
        "refused %s on %s by %s (school %s): %s", action, target, username or "-", school_id or "-", reason,
        extra={"user": username, "user_id": getattr(by, "pk", None), "school_id": school_id, "object": target,
               "action": action, "reason": str(reason), "path": path},
    )


def refused(message, *, action: str, obj=None, by=None, school=None) -> ValidationError:
    """Log a refused attempt and return the ValidationError to raise (marked: already logged)."""
    log_refused(action=action, reason=message, obj=obj, by=by, school=school)
    error = ValidationError(message)
    error.audit_logged = True
    return error


def already_logged(exc) -> bool:
    return bool(getattr(exc, "audit_logged", False))
