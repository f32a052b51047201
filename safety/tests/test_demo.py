"""The demo school ships exactly the inspection plans its written rules describe (the seeds)."""
import datetime as dt

import pytest

from logistics import demo as core_demo
from logistics.models import Building, Room, RoomKind
from logistics.roles import Role
from safety import demo
from safety.models import Hazard, Inspection, InspectionPlan, Visitor

pytestmark = pytest.mark.django_db

# What the seeds say, restated: (plan, frequency, weekdays, day of month, window, role, area, gate check).
# 每日巡视制度 … 对学校环境、绿化、卫生、安全、校舍维修、设备使用等进行每日巡视 (two areas: grounds, buildings)
# 每天整理和检修体育用品房器材 · 门卫每天做好下班前的电器、电源、门窗的常规检查；按时关锁大门
# 每周一 … 活动场所大型玩具、体育器材的检查 · 每周对食堂煤气用具、煤气管、电器设备、门窗 … 检查
# 每月检查一次楼梯窗户和班级门窗 · 每月一次的安全隐患排查和数据上报 · 开学前做好各处安全检查表的张贴
EXPECTED = {
    "每日巡视：校园环境与场地": ("daily", [], None, ("07:30", "08:30"), Role.LOGISTICS_STAFF, "操场", False),
    "每日巡视：校舍、卫生与设备": ("daily", [], None, ("08:00", "09:00"), Role.LOGISTICS_STAFF, "教学楼A", False),
    "每日体育用品房器材整理检修": ("daily", [], None, ("15:30", "16:30"), Role.LOGISTICS_STAFF, "体育器材室", False),
    "每日放学关门检查": ("daily", [], None, ("17:00", "18:30"), Role.GUARD, "校门", True),
    "活动场所大型玩具、体育器材检查": ("weekly", [0], None, ("08:00", "10:00"), Role.LOGISTICS_STAFF, "操场", False),
    "食堂煤气用具、电器设备、门窗检查": ("weekly", [2], None, ("14:00", "16:00"), Role.LOGISTICS_STAFF, "食堂", False),
    "楼梯窗户与班级门窗检查": ("monthly", [], 1, None, Role.LOGISTICS_STAFF, "教学楼A", False),
    "每月安全隐患排查": ("monthly", [], 25, None, Role.LOGISTICS_DIRECTOR, None, False),
    "开学前安全准备检查": ("term", [], None, None, Role.LOGISTICS_DIRECTOR, None, False),
}
CHECKLIST_WORDS = {  # words of the seed sentence each checklist must cover
    "每日巡视：校园环境与场地": ["环境", "绿化", "防护网"],
    "每日巡视：校舍、卫生与设备": ["卫生", "裂缝", "电器", "设备"],
    "每日放学关门检查": ["电器", "电源", "门窗", "大门", "来访"],
    "活动场所大型玩具、体育器材检查": ["大型玩具", "体育器材"],
    "食堂煤气用具、电器设备、门窗检查": ["煤气用具", "煤气管", "电器设备", "门窗"],
    "楼梯窗户与班级门窗检查": ["楼梯窗户", "班级门", "窗户"],
    "每月安全隐患排查": ["消防", "用电", "防水", "防盗", "校园周边"],
    "开学前安全准备检查": ["安全检查表"],
}


@pytest.fixture
def demo_school(school, make_member):
    """The demo school's buildings, rooms and people, as ``logistics.demo`` makes them."""
    for bname, floors, rooms in core_demo.BUILDINGS:
        building = Building.objects.create(school=school, name=bname, floors=floors)
        for number, rname, kind in rooms:
            Room.objects.create(school=school, building=building, name=rname, number=number, kind=kind)
    for name in core_demo.OUTDOOR:
        Room.objects.create(school=school, name=name, kind=RoomKind.OUTDOOR)
    users = {username: make_member(role) for username, _name, role in core_demo.DEMO_USERS}
    return school, users


def test_demo_ships_exactly_the_plans_of_the_seeds(demo_school):
    school, users = demo_school
    demo.seed(school=school, users=users)
    plans = {p.name: p for p in InspectionPlan.objects.filter(school=school).select_related("room", "building")}
    assert set(plans) == set(EXPECTED)
    for name, (freq, weekdays, day, window, role, area, gate) in EXPECTED.items():
        p = plans[name]
        got_window = (p.window_start.strftime("%H:%M"), p.window_end.strftime("%H:%M")) if p.window_start else None
        got_area = p.room.name if p.room_id else (p.building.name if p.building_id else None)
        assert (p.frequency, p.weekdays, p.day_of_month, got_window, got_area, p.gate_check) == (freq, weekdays, day, window, area, gate), name
        assert role in {m.role for m in p.responsible.memberships.all()}, name
        for word in CHECKLIST_WORDS.get(name, []):
            assert any(word in item for item in p.checklist), (name, word)
    gate = plans["每日放学关门检查"]
    assert gate.responsible == users["guard"]


def test_demo_data_is_idempotent_and_has_every_state(demo_school):
    school, users = demo_school
    demo.seed(school=school, users=users)
    counts = (InspectionPlan.objects.count(), Inspection.objects.count(), Hazard.objects.count(), Visitor.objects.count())
    demo.seed(school=school, users=users)
    assert (InspectionPlan.objects.count(), Inspection.objects.count(), Hazard.objects.count(), Visitor.objects.count()) == counts
    assert counts[1] > 150 and counts[2] == 18
    assert set(Hazard.objects.values_list("status", flat=True)) == {"open", "rectified", "verified"}
    assert Visitor.objects.filter(time_out__isnull=True).count() == 1  # someone still inside for the close-up check
    assert Inspection.objects.filter(status="due", due_date__lt=dt.date.today()).exists()  # some missed
