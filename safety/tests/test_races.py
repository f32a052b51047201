"""Races proven on PostgreSQL: two threads, each with its own connection."""
import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from logistics.models import Notification
from logistics.roles import Role
from logistics.tests.factories import member
from safety import services
from safety.models import Hazard, Inspection, InspectionItem
from safety.tests.factories import HazardFactory, PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_generators_at_once_make_each_inspection_once(postgres, school):
    plan = PlanFactory(school=school, starts_on=dt.date(2026, 11, 1))
    today = dt.date(2026, 11, 23)
    results = _race(lambda: services.generate_inspections(today=today), lambda: services.generate_inspections(today=today))
    assert sum(results) == 23 == Inspection.objects.filter(plan=plan).count()
    assert InspectionItem.objects.count() == 23 * len(plan.checklist)


def test_two_submissions_at_once_make_hazards_once(postgres, school):
    plan = PlanFactory(school=school, starts_on=dt.date(2026, 11, 23))
    services.generate_inspections(today=plan.starts_on)
    ins = plan.inspections.get()
    for item in ins.items.all():
        services.record_item(item, by=plan.responsible, result="problem", note="损坏")
    results = _race(
        lambda: services.submit_inspection(Inspection.objects.get(pk=ins.pk), by=plan.responsible),
        lambda: services.submit_inspection(Inspection.objects.get(pk=ins.pk), by=plan.responsible),
    )
    assert results.count("refused") == 1
    assert Hazard.objects.count() == 3


def test_two_escalations_at_once_notify_once(postgres, school):
    director = member(Role.LOGISTICS_DIRECTOR, school)
    HazardFactory(school=school, deadline=dt.date(2026, 11, 1))
    today = dt.date(2026, 11, 2)
    results = _race(lambda: services.escalate_overdue(today=today), lambda: services.escalate_overdue(today=today))
    assert sorted(results) == [0, 1]
    assert Notification.objects.filter(recipient=director).count() == 1
