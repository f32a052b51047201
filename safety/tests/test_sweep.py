"""The beat sweep under frozen time: reminders by time window, catch-up after downtime, close-up
visitors, escalation director → principal, idempotence, and a query count that does not grow."""
import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics.models import Notification
from logistics.roles import Role
from logistics.tests.factories import RoomFactory, SchoolFactory, member
from safety import services, tasks
from safety.models import Hazard, Inspection, InspectionItem, Visitor
from safety.tests.factories import HazardFactory, PlanFactory

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def notes(user, prefix=""):
    return list(Notification.objects.filter(recipient=user, dedupe_key__startswith=prefix).values_list("dedupe_key", flat=True))


def test_due_inspection_is_announced_when_its_window_opens_once_a_day(school):
    plan = PlanFactory(school=school, starts_on=dt.date(2026, 11, 23), window_start=dt.time(17), window_end=dt.time(18, 30))
    with at(2026, 11, 23, 16, 50):
        assert tasks.sweep()["generated"] == 1
        assert notes(plan.responsible) == []  # the window has not opened
    with at(2026, 11, 23, 17, 5):
        tasks.sweep()
        tasks.sweep()
    [key] = notes(plan.responsible)
    assert key == f"safety:inspection-due:{Inspection.objects.get().pk}:2026-11-23"
    note = Notification.objects.get(recipient=plan.responsible)
    assert "17:00–18:30" in note.text and note.url == Inspection.objects.get().get_absolute_url()


def test_plan_without_window_is_announced_from_seven(school):
    plan = PlanFactory(school=school, starts_on=dt.date(2026, 11, 23))
    with at(2026, 11, 23, 6, 30):
        tasks.sweep()
    assert notes(plan.responsible) == []
    with at(2026, 11, 23, 7, 0):
        tasks.sweep()
    assert len(notes(plan.responsible, "safety:inspection-due:")) == 1


def test_after_downtime_the_sweep_catches_up_once(school):
    """Down from the 20th to the 27th: the missed days are generated, each missed inspection of the
    last week is announced once, the overdue hazard reaches the director and the principal once."""
    director, principal = member(Role.LOGISTICS_DIRECTOR, school), member(Role.PRINCIPAL, school)
    plan = PlanFactory(school=school, starts_on=dt.date(2026, 11, 18))
    hazard = HazardFactory(school=school, found_on=dt.date(2026, 11, 18), deadline=dt.date(2026, 11, 20))
    with at(2026, 11, 19, 9, 0):
        first = tasks.sweep()
    # the 18th (overdue) and the 19th (due) made and announced, the hazard due tomorrow announced
    assert first == {"generated": 2, "notified": 3, "escalated": 0}
    with at(2026, 11, 27, 9, 0):
        result = tasks.sweep()
        again = tasks.sweep()
    assert result["generated"] == 8 and plan.inspections.count() == 10
    assert result["escalated"] == 2  # director and, 3 days past the deadline, the principal: in one catch-up run
    assert again == {"generated": 0, "notified": 0, "escalated": 0}
    overdue = notes(plan.responsible, "safety:inspection-overdue:")
    days = sorted(Inspection.objects.get(pk=int(k.split(":")[2])).due_date.day for k in overdue)
    assert days == [18, 20, 21, 22, 23, 24, 25, 26]  # each missed day of the last week, once
    assert sorted(k.rsplit(":", 1)[1] for k in notes(plan.responsible, "safety:inspection-due:")) == ["2026-11-19", "2026-11-27"]
    assert notes(director) == [f"safety:hazard-escalated:{hazard.pk}:1"]
    assert notes(principal) == [f"safety:hazard-escalated:{hazard.pk}:2"]
    hazard.refresh_from_db()
    assert hazard.escalation_level == 2
    assert len(notes(hazard.responsible, "safety:hazard-due:")) == 2  # the 19th and the 27th: once a day


def test_escalation_goes_to_the_principal_only_after_three_more_days(school):
    director, principal = member(Role.LOGISTICS_DIRECTOR, school), member(Role.PRINCIPAL, school)
    hazard = HazardFactory(school=school, found_on=dt.date(2026, 11, 18), deadline=dt.date(2026, 11, 20))
    with at(2026, 11, 21, 9, 0):
        assert tasks.sweep()["escalated"] == 1
    assert notes(director) and not notes(principal)
    with at(2026, 11, 23, 9, 0):
        assert tasks.sweep()["escalated"] == 0  # deadline + 3 days not yet passed
    with at(2026, 11, 24, 9, 0):
        assert tasks.sweep()["escalated"] == 1
        assert tasks.sweep()["escalated"] == 0
    assert notes(principal) == [f"safety:hazard-escalated:{hazard.pk}:2"]
    assert len(notes(director, "safety:hazard-escalated:")) == 1


def test_rectified_or_verified_hazards_do_not_escalate(school):
    member(Role.LOGISTICS_DIRECTOR, school)
    HazardFactory(school=school, deadline=dt.date(2026, 11, 1), status="rectified")
    HazardFactory(school=school, deadline=dt.date(2026, 11, 1), status="verified")
    with at(2026, 11, 23, 9, 0):
        assert tasks.sweep()["escalated"] == 0


def test_close_up_check_tells_the_guard_who_is_still_inside(school):
    guard = member(Role.GUARD, school)
    gate = PlanFactory(school=school, name="每日放学关门检查", responsible=guard, starts_on=dt.date(2026, 11, 23),
                       window_start=dt.time(17), window_end=dt.time(18, 30), gate_check=True)
    with at(2026, 11, 23, 14, 0):
        services.register_visitor(school=school, by=guard, name="张三", id_last4="1234", phone="138", visiting="王老师", purpose="送材料")
        left = services.register_visitor(school=school, by=guard, name="李四", id_last4="5678", phone="139", visiting="教务处", purpose="办事")
        services.visitor_out(left, by=guard)
        tasks.sweep()
    assert notes(guard, "safety:closeup-visitors:") == []
    with at(2026, 11, 23, 17, 1):
        tasks.sweep()
        tasks.sweep()
    ins = gate.inspections.get()
    [note] = Notification.objects.filter(recipient=guard, dedupe_key=f"safety:closeup-visitors:{ins.pk}")
    assert "张三" in note.text and "李四" not in note.text
    assert list(services.inside_at(school).values_list("name", flat=True)) == ["张三"]


def test_nothing_is_announced_for_a_submitted_inspection(school):
    plan = PlanFactory(school=school, starts_on=dt.date(2026, 11, 23))
    with at(2026, 11, 23, 6, 0):
        tasks.sweep()
        ins = plan.inspections.get()
        for item in ins.items.all():
            services.record_item(item, by=plan.responsible, result="ok")
        services.submit_inspection(ins, by=plan.responsible)
    with at(2026, 11, 23, 9, 0):
        tasks.sweep()
    with at(2026, 11, 24, 6, 0):
        tasks.sweep()
    assert notes(plan.responsible, "safety:inspection-") == []


def _district(n_schools, plans_per_school, checklist_len, starts_on=dt.date(2026, 11, 16)):
    """Schools with daily/weekly and close-up plans (from ``starts_on``), visitors inside, overdue hazards."""
    for _s in range(n_schools):
        school = SchoolFactory()
        member(Role.LOGISTICS_DIRECTOR, school)
        member(Role.PRINCIPAL, school)
        guard, staff = member(Role.GUARD, school), member(Role.LOGISTICS_STAFF, school)
        gate = RoomFactory(school=school, building=None, name="校门")
        room = RoomFactory(school=school)
        PlanFactory(school=school, room=gate, responsible=guard, starts_on=starts_on, gate_check=True,
                    window_start=dt.time(17), window_end=dt.time(18, 30))
        for p in range(plans_per_school):
            PlanFactory(school=school, room=room, responsible=staff, starts_on=starts_on, checklist=[f"项{k}" for k in range(checklist_len)],
                        frequency="weekly" if p % 2 else "daily", weekdays=[0, 3] if p % 2 else [])
        Hazard.objects.bulk_create(
            [Hazard(school=school, description=f"隐患{k}", responsible=staff, found_on=dt.date(2026, 11, 10),
                    deadline=dt.date(2026, 11, 12 + k % 3)) for k in range(plans_per_school)]
            + [Hazard(school=school, description=f"新隐患{k}", responsible=staff, found_on=dt.date(2026, 11, 22),
                      deadline=dt.date(2026, 11, 24)) for k in range(plans_per_school)]
        )
        Visitor.objects.bulk_create([
            Visitor(school=school, name=f"访客{v}", id_last4="1234", phone="1", visiting="x", purpose="y",
                    time_in=dt.datetime(2026, 11, 23, 9, tzinfo=SH), registered_by=guard) for v in range(3)
        ])


def _count_sweep():
    with at(2026, 11, 23, 17, 30), CaptureQueriesContext(connection) as queries:
        result = services.sweep()
    return len(queries), result


def test_sweep_query_count_does_not_grow_with_schools_plans_items():
    _district(1, 1, 3)
    small, small_result = _count_sweep()
    Notification.objects.all().delete()
    _district(6, 5, 30)
    big, big_result = _count_sweep()
    assert big_result["generated"] > small_result["generated"] * 10
    assert big_result["notified"] > small_result["notified"] * 5 and big_result["escalated"] > small_result["escalated"]
    assert InspectionItem.objects.count() > 1000
    assert small == big <= 16


def test_sweep_of_twenty_schools_catches_up_the_missed_day():
    """20 schools × 8 plans of 30 items, two days to generate (yesterday missed), hazards, visitors.
    (How long it takes is measured by the benchmark, ``python -m benchmarks``, not here.)"""
    _district(1, 1, 1, starts_on=dt.date(2026, 11, 22))
    with at(2026, 11, 23, 17, 30):
        tasks.sweep()
    _district(20, 7, 30, starts_on=dt.date(2026, 11, 22))
    with at(2026, 11, 23, 17, 30):
        result = tasks.sweep()
    assert result["generated"] >= 20 * 5 and InspectionItem.objects.count() > 20 * 5 * 30
