"""Celery application: configured from Django settings (CELERY_* names)."""
import os

from celery import Celery
from celery.signals import task_postrun, worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings.local")

app = Celery("logistics")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_postrun.connect
def _refresh_home_cards(sender=None, task=None, **kwargs):
    """A finished task (a sweep, a report) may have changed any school: rebuild home cards."""
    from logistics.home import task_finished

    task_finished(sender=sender, task=task)


@worker_init.connect
@worker_process_init.connect
def _warm_up_pdf(**kwargs):
    """A worker renders the PDFs (the monthly disclosure, a version the accountant asks for): it
    pays WeasyPrint's start-up costs when it starts, not in the first report. ``worker_init``
    covers the thread and solo pools; prefork children (``worker_process_init``) warm up again
    in their own process, cheaply, as the imports came with the fork."""
    from logistics.pdf import warm_up_quietly

    warm_up_quietly()
