import pytest

from logistics.models import Building, Room, RoomKind
from logistics.roles import Role
from safety import demo
from safety.models import Hazard, Inspection, InspectionPlan

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent(school, make_member):
    users = {name: make_member(role) for name, role in {
        "staff": Role.LOGISTICS_STAFF, "staff2": Role.LOGISTICS_STAFF, "guard": Role.GUARD, "director": Role.LOGISTICS_DIRECTOR,
    }.items()}
    Building.objects.create(school=school, name="教学楼A", floors=4)
    Building.objects.create(school=school, name="食堂", floors=2)
    for name in ("操场", "校门"):
        Room.objects.create(school=school, name=name, kind=RoomKind.OUTDOOR)
    demo.seed(school=school, users=users)
    counts = (InspectionPlan.objects.count(), Inspection.objects.count(), Hazard.objects.count())
    demo.seed(school=school, users=users)
    assert (InspectionPlan.objects.count(), Inspection.objects.count(), Hazard.objects.count()) == counts
    assert counts[0] == len(demo.PLANS) and counts[1] > 100 and counts[2] == 18
    assert set(Hazard.objects.values_list("status", flat=True)) == {"open", "rectified", "verified"}
    gate = InspectionPlan.objects.get(name="每日放学关门检查")
    assert (gate.window_start.hour, gate.window_end.hour, gate.window_end.minute, gate.responsible) == (17, 18, 30, users["guard"])
