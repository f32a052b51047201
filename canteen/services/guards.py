"""Refusals of changes to frozen records (closed months, signed deliveries, approved or published
menus). Each refusal is written to the audit log here, in the service, so every way in — a view,
a form, a task, the shell — leaves the same trace."""
from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

audit = logging.getLogger("logistics.audit")


def refused(message, *, obj=None, by=None, action: str, school=None) -> ValidationError:
    """Log a refused attempt on ``obj`` and return the ValidationError to raise."""
    target = f"{obj._meta.label}:{obj.pk}" if obj is not None and hasattr(obj, "_meta") else "-"
    school_id = getattr(school, "pk", school) if school is not None else getattr(obj, "school_id", None)
    username = getattr(by, "username", None)
    audit.warning(
        "refused %s on %s by %s (school %s): %s", action, target, username or "-", school_id or "-", message,
        extra={"user": username, "user_id": getattr(by, "pk", None), "school_id": school_id, "object": target,
               "action": action, "reason": str(message)},
    )
    return ValidationError(message)
