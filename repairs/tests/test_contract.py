"""The functions other apps call: create_repair, repair_costs, dashboard_counts."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from logistics.models import Notification
from logistics.roles import Role
from logistics.tests.factories import RoomFactory
from repairs.choices import RepairStatus
from repairs.models import RepairSettings
from repairs.selectors import dashboard_counts, repair_costs
from repairs.services import create_repair
from repairs.tests.factories import RepairFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("urgency", "respond", "fix"),
    [("urgent", dt.timedelta(hours=1), dt.timedelta(hours=24)), ("normal", dt.timedelta(hours=4), dt.timedelta(days=3)), ("low", dt.timedelta(days=1), dt.timedelta(days=7))],
)
def test_create_repair_sets_default_deadlines_by_urgency(school, make_member, urgency, respond, fix):
    teacher = make_member(Role.TEACHER)
    now = timezone.now()
    repair = create_repair(school=school, reporter=teacher, room=RoomFactory(school=school), description="灯坏了", urgency=urgency, now=now)
    assert repair.status == RepairStatus.SUBMITTED
    assert repair.response_due == now + respond
    assert repair.completion_due == now + fix
    assert repair.events.get().to_status == RepairStatus.SUBMITTED


def test_create_repair_uses_the_school_settings_and_numbers_in_sequence(school, make_member):
    RepairSettings.objects.create(school=school, normal_response_minutes=30)
    teacher = make_member(Role.TEACHER)
    staff = make_member(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school)
    now = timezone.now()
    first = create_repair(school=school, reporter=teacher, room=room, description="a", now=now)
    second = create_repair(school=school, reporter=teacher, room=room, description="b", source_note="隐患 #3", now=now)
    assert first.response_due == now + dt.timedelta(minutes=30)
    year = timezone.localtime(now).year
    assert (first.number, second.number) == (f"{year}-00001", f"{year}-00002")
    assert Notification.objects.filter(recipient=staff).count() == 2


def test_create_repair_refuses_a_room_of_another_school_and_outsiders(school, other_school, make_member):
    teacher = make_member(Role.TEACHER)
    with pytest.raises(ValidationError):
        create_repair(school=school, reporter=teacher, room=RoomFactory(school=other_school), description="x")
    parent = make_member(Role.PARENT)
    with pytest.raises(PermissionDenied):
        create_repair(school=school, reporter=parent, room=RoomFactory(school=school), description="x")
    with pytest.raises(ValidationError):
        create_repair(school=school, reporter=teacher, room=RoomFactory(school=school), description="x", urgency="panic")


def test_repair_costs_counts_repairs_done_in_the_period(school, other_school):
    start = timezone.make_aware(dt.datetime(2026, 10, 1))
    end = timezone.make_aware(dt.datetime(2026, 11, 1))
    RepairFactory(school=school, status=RepairStatus.CLOSED, done_at=start, material_cost=Decimal("10.50"), other_cost=Decimal("5"))
    RepairFactory(school=school, status=RepairStatus.DONE, done_at=end - dt.timedelta(seconds=1), other_cost=Decimal("100"))
    RepairFactory(school=school, status=RepairStatus.CLOSED, done_at=end, other_cost=Decimal("999"))  # next period
    RepairFactory(school=school, status=RepairStatus.CANCELLED, done_at=start, other_cost=Decimal("7"))
    RepairFactory(school=other_school, status=RepairStatus.CLOSED, done_at=start, other_cost=Decimal("50"))
    result = repair_costs(school, start, end)
    assert result["total"] == Decimal("115.50")
    assert result["count"] == 2
    assert [r.cost for r in result["rows"]] == [Decimal("15.50"), Decimal("100")]


def test_dashboard_counts_open_and_overdue(school, other_school):
    now = timezone.now()
    RepairFactory(school=school)  # open, in time
    RepairFactory(school=school, response_due=now - dt.timedelta(minutes=1))  # not taken in time
    RepairFactory(school=school, status=RepairStatus.DISPATCHED, completion_due=now - dt.timedelta(hours=1))
    RepairFactory(school=school, status=RepairStatus.DONE, completion_due=now - dt.timedelta(days=1))  # finished
    RepairFactory(school=school, status=RepairStatus.CLOSED)
    RepairFactory(school=other_school, completion_due=now - dt.timedelta(days=1))
    assert dashboard_counts(school) == {"open": 3, "overdue": 2}
