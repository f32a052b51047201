import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from logistics.models import Notification
from logistics.roles import Role
from logistics.tests.factories import member
from safety import tasks
from safety.models import Inspection
from safety.tests.factories import HazardFactory, PlanFactory


@pytest.mark.services
def test_sweep_on_a_real_worker_twice_concurrently_reminds_once(celery_worker_process, school):
    director = member(Role.LOGISTICS_DIRECTOR, school)
    today = timezone.localdate()
    plan = PlanFactory(school=school, starts_on=today, window_start=dt.time(0, 0), window_end=dt.time(23, 59))
    hazard = HazardFactory(school=school, found_on=today - dt.timedelta(days=5), deadline=today - dt.timedelta(days=1))
    results = [tasks.sweep.delay(), tasks.sweep.delay()]
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda r: r.get(timeout=60), results))
    assert sum(d["generated"] for d in done) == 1 and Inspection.objects.count() == 1
    assert sum(d["escalated"] for d in done) == 1
    assert Notification.objects.filter(recipient=plan.responsible).count() == 1
    assert Notification.objects.filter(recipient=hazard.responsible).count() == 1
    assert Notification.objects.filter(recipient=director).count() == 1
