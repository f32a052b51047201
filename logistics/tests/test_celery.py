import pytest
from django.conf import settings

from logistics.tasks import ping


@pytest.mark.services
def test_round_trip_through_a_real_worker_on_redis(celery_worker_process):
    """A task goes through Redis to a separate worker process and its result comes back."""
    result = ping.delay("你好")
    value = result.get(timeout=30)
    assert value.startswith("你好:")
    # the worker ran against the same database engine as the test
    from django.db import connection

    assert value.endswith(connection.vendor)


@pytest.mark.django_db  # importing the task modules runs Celery's Django fixup, which touches the database
def test_every_beat_entry_names_a_registered_task():
    from logistics.celery import app

    app.loader.import_default_modules()
    missing = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in app.tasks]
    assert not missing, f"beat entries without a task: {missing}"
