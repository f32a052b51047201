from celery import shared_task


@shared_task(soft_time_limit=600, time_limit=660)
def generate_monthly_disclosures() -> int:
    """Hourly sweep: last month's disclosure for every school that has none yet (catches up)."""
    from logistics.services import beat
    from procurement.services import generate_missing_disclosures

    made = generate_missing_disclosures()
    beat("procurement.generate_monthly_disclosures", f"{made} made")
    return made
