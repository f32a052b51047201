"""Core tasks: stay thin, call services, safe to run twice."""
from celery import shared_task

from logistics import services


@shared_task
def heartbeat() -> str:
    services.beat("celery-beat")
    services.send_pending_emails()
    return "ok"


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def send_notification_email(self, notification_id: int) -> bool:
    return services.send_notification_email(notification_id)


@shared_task
def ping(value: str) -> str:
    """Round-trip check: returns what it was given, with the worker's database vendor."""
    from django.db import connection

    return f"{value}:{connection.vendor}"
