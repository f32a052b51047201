"""Canteen tasks: thin wrappers around services, safe to run twice."""
from celery import shared_task

from canteen.services import sweep as sweep_service
from logistics.services import beat


@shared_task(soft_time_limit=300, time_limit=360)
def sweep() -> int:
    """Missing samples after meals, expiring health certificates, late menus (idempotent)."""
    sent = sweep_service.sweep()
    beat("canteen.sweep", f"{sent} notices")
    return sent
