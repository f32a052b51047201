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


def test_two_sweeps_at_once_escalate_and_close_each_ticket_once(postgres, school, make_member):
    import datetime as dt

    from django.utils import timezone

    from logistics.models import Notification
    from repairs.models import RepairSettings

    director = make_member(Role.LOGISTICS_DIRECTOR)
    RepairSettings.objects.create(school=school, escalate_after_minutes=10, auto_close_days=2)
    now = timezone.now()
    late = [RepairFactory(school=school, created_at=now - dt.timedelta(hours=1)) for _ in range(5)]
    done = [RepairFactory(school=school, status=RepairStatus.DONE, done_at=now - dt.timedelta(days=3)) for _ in range(5)]
    counts = []

    def sweep():
        counts.append((services.escalate_untaken(), services.auto_close_unsigned()))

    assert _race(sweep, sweep) == ["ok", "ok"]
    assert sum(c[0] for c in counts) == 5 and sum(c[1] for c in counts) == 5
    for r in late:
        assert RepairEvent.objects.filter(repair=r, kind="escalated").count() == 1
    for r in done:
        assert RepairEvent.objects.filter(repair=r, to_status=RepairStatus.CLOSED).count() == 1
    assert Notification.objects.filter(recipient=director).count() == 5


def test_a_cost_recorded_while_the_job_is_marked_done_is_refused_or_counted_before(postgres, school, make_member):
    from decimal import Decimal

    repairer = make_member(Role.REPAIRER)
    r = RepairFactory(school=school, assignee=repairer, status=RepairStatus.IN_PROGRESS)
    results = _race(
        lambda: services.complete_repair(Repair.objects.get(pk=r.pk), by=repairer),
        lambda: services.add_other_cost(Repair.objects.get(pk=r.pk), by=repairer, amount="30", note="配件"),
    )
    r.refresh_from_db()
    assert r.status == RepairStatus.DONE
    # either the cost landed before the job was done (and is on its timeline), or it was refused
    costs = RepairEvent.objects.filter(repair=r, kind="cost").count()
    assert (results, r.other_cost, costs) in ((["ok", "ok"], Decimal("30.00"), 1), (["ok", "refused"], Decimal("0.00"), 0))
