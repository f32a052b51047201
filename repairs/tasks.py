"""Repairs beat jobs: thin wrappers around services, safe to run twice and after downtime."""
from celery import shared_task

from logistics.services import beat
from repairs import services


@shared_task(soft_time_limit=300, time_limit=360)
def sweep() -> dict:
    """Escalate untaken requests to the director; close jobs not signed off in time (idempotent)."""
    services.ensure_settings()
    result = {"escalated": services.escalate_untaken(), "auto_closed": services.auto_close_unsigned()}
    beat("repairs.sweep", str(result))
    return result


@shared_task(soft_time_limit=300, time_limit=360)
def generate_planned_maintenance() -> int:
    """One ticket per occurrence of each maintenance plan (unique per plan and date; catches up 31 days)."""
    created = services.generate_planned()
    beat("repairs.generate_planned_maintenance", str(created))
    return created
