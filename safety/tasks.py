"""Safety beat job: one idempotent sweep that also catches up after downtime."""
from celery import shared_task

from logistics.services import beat
from safety import services


@shared_task(soft_time_limit=300, time_limit=360)
def sweep() -> dict:
    """Generate due inspections (missed periods too), remind, escalate overdue hazards.

    Calling ``safety.tasks.sweep()`` directly runs it in-process (what the benchmark times)."""
    result = services.sweep()
    beat("safety.sweep", str(result))
    return result
