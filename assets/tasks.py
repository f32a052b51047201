"""Assets beat jobs: thin wrappers around services, safe to run twice and after downtime."""
from celery import shared_task

from assets import services
from logistics.services import beat


@shared_task(soft_time_limit=300, time_limit=360)
def sweep() -> dict:
    """Remind borrowers of overdue loans (one notice per loan per day: keyed, so reruns send nothing)."""
    result = {"overdue_reminded": services.remind_overdue_loans()}
    beat("assets.sweep", str(result))
    return result
