from celery import shared_task


@shared_task(soft_time_limit=600, time_limit=660)
def generate_monthly_disclosures() -> int:
    """Hourly sweep: last month's disclosure for every school that has none yet (catches up)."""
    from logistics.services import beat
    from procurement.services import generate_missing_disclosures

    made = generate_missing_disclosures()
    beat("procurement.generate_monthly_disclosures", f"{made} made")
    return made


@shared_task(soft_time_limit=300, time_limit=330)
def generate_disclosure_task(school_id: int, year: int, month: int, user_id: int) -> int:
    """A version the accountant asked for; the service tells the accountants when it is ready.
    Each call makes one new version (it is what was asked for), so it is not retried."""
    from logistics.models import School, User
    from procurement.services import generate_disclosure

    return generate_disclosure(School.objects.get(pk=school_id), year=year, month=month,
                               by=User.objects.get(pk=user_id)).pk
