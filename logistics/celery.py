"""Celery application: configured from Django settings (CELERY_* names)."""
import os

from celery import Celery
from celery.signals import task_postrun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings.local")

app = Celery("logistics")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_postrun.connect
def _refresh_home_cards(sender=None, task=None, **kwargs):
    """A finished task (a sweep, a report) may have changed any school: rebuild home cards."""
    from logistics.home import task_finished

    task_finished(sender=sender, task=task)
