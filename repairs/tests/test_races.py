"""Races proven on PostgreSQL: two threads, each with its own connection."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from logistics.roles import Role
from logistics.tests.factories import RoomFactory
from repairs import services
from repairs.choices import RepairStatus
from repairs.models import Repair, RepairEvent
from repairs.tests.factories import RepairFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait()
            call()
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


def test_two_staff_taking_at_once_only_the_first_owns_it(postgres, school, make_member):
    a, b = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_STAFF)
    r = RepairFactory(school=school)
    results = _race(
        lambda: services.take_repair(Repair.objects.get(pk=r.pk), by=a),
        lambda: services.take_repair(Repair.objects.get(pk=r.pk), by=b),
    )
    assert results == ["ok", "refused"]
    r.refresh_from_db()
    assert r.status == RepairStatus.TAKEN and r.owner in (a, b)
    assert RepairEvent.objects.filter(repair=r, to_status=RepairStatus.TAKEN).count() == 1


def test_sign_off_and_reject_at_once_only_one_wins(postgres, school, make_member):
    teacher, repairer = make_member(Role.TEACHER), make_member(Role.REPAIRER)
    r = RepairFactory(school=school, reporter=teacher, assignee=repairer, status=RepairStatus.DONE)
    results = _race(
        lambda: services.sign_off_repair(Repair.objects.get(pk=r.pk), by=teacher, timeliness=5, quality=5, attitude=5),
        lambda: services.reject_repair(Repair.objects.get(pk=r.pk), by=teacher, reason="漏水"),
    )
    assert results == ["ok", "refused"]


def test_concurrent_reports_get_distinct_numbers(postgres, school, make_member):
    teacher = make_member(Role.TEACHER)
    room = RoomFactory(school=school)
    results = _race(*[
        (lambda: services.create_repair(school=school, reporter=teacher, room=room, description="灯坏")) for _ in range(3)
    ])
    assert results == ["ok", "ok", "ok"]
    assert len(set(Repair.objects.values_list("number", flat=True))) == 3
