"""The demo school: one user per role, buildings and rooms. Each domain app adds its own demo
data in ``<app>/demo.py: seed(*, school, users)``; everything is idempotent."""
from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.db import transaction

from logistics.models import Building, Department, District, Membership, Room, RoomKind, School, User
from logistics.roles import Role

DEMO_PASSWORD = "demo-2026"

# username, full name, role (the demo table in the README lists these)
DEMO_USERS = [
    ("teacher", "王老师", Role.TEACHER),
    ("staff", "李干事", Role.LOGISTICS_STAFF),
    ("staff2", "赵干事", Role.LOGISTICS_STAFF),
    ("repairer", "张师傅", Role.REPAIRER),
    ("repairer2", "陈师傅", Role.REPAIRER),
    ("director", "刘主任", Role.LOGISTICS_DIRECTOR),
    ("canteen", "孙管理员", Role.CANTEEN_MANAGER),
    ("accountant", "周会计", Role.ACCOUNTANT),
    ("principal", "吴校长", Role.PRINCIPAL),
    ("guard", "郑师傅", Role.GUARD),
    ("parent", "钱家长", Role.PARENT),
    ("teacher2", "冯老师", Role.TEACHER),
]

BUILDINGS = [
    ("教学楼A", 4, [("101", "一年级1班", RoomKind.CLASSROOM), ("102", "一年级2班", RoomKind.CLASSROOM),
                  ("201", "二年级1班", RoomKind.CLASSROOM), ("202", "二年级2班", RoomKind.CLASSROOM),
                  ("301", "三年级1班", RoomKind.CLASSROOM), ("302", "三年级2班", RoomKind.CLASSROOM),
                  ("401", "音乐室", RoomKind.SPECIAL), ("402", "美术室", RoomKind.SPECIAL)]),
    ("实验楼", 3, [("101", "物理实验室", RoomKind.LAB), ("102", "化学实验室", RoomKind.LAB),
                 ("201", "计算机房", RoomKind.SPECIAL), ("202", "图书室", RoomKind.SPECIAL),
                 ("301", "体育器材室", RoomKind.STORE)]),
    ("行政楼", 3, [("101", "后勤处", RoomKind.OFFICE), ("102", "库房", RoomKind.STORE),
                 ("201", "校长室", RoomKind.OFFICE), ("202", "财务室", RoomKind.OFFICE),
                 ("301", "会议室", RoomKind.OFFICE)]),
    ("食堂", 2, [("101", "操作间", RoomKind.CANTEEN), ("102", "就餐大厅", RoomKind.CANTEEN),
               ("103", "留样间", RoomKind.CANTEEN)]),
]
OUTDOOR = ["操场", "校门", "车棚"]
DEPARTMENTS = ["后勤处", "教务处", "政教处", "语文组", "数学组", "体育组", "食堂"]


@transaction.atomic
def seed_demo(stdout=None) -> dict:
    district, _ = District.objects.get_or_create(name="示范区教育局")
    school, _ = School.objects.get_or_create(
        code="SY", defaults={"name": "示范实验学校", "district": district, "address": "示范区学府路1号", "phone": "010-12345678"}
    )
    other, _ = School.objects.get_or_create(code="HX", defaults={"name": "和谐小学", "district": district})

    users: dict[str, User] = {}
    for username, full_name, role in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name, "email": f"{username}@school.local"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, school=school, role=role)
        users[username] = user
    officer, created = User.objects.get_or_create(username="district", defaults={"full_name": "孔科长", "email": "district@school.local"})
    if created:
        officer.set_password(DEMO_PASSWORD)
        officer.save()
    Membership.objects.get_or_create(user=officer, district=district, role=Role.DISTRICT_OFFICER)
    users["district"] = officer
    admin, created = User.objects.get_or_create(username="admin", defaults={"full_name": "系统管理员", "is_staff": True, "is_superuser": True})
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    users["admin"] = admin
    # A teacher of the other school, to show that schools do not see each other.
    other_teacher, created = User.objects.get_or_create(username="hx_teacher", defaults={"full_name": "和谐小学老师"})
    if created:
        other_teacher.set_password(DEMO_PASSWORD)
        other_teacher.save()
    Membership.objects.get_or_create(user=other_teacher, school=other, role=Role.TEACHER)

    for name in DEPARTMENTS:
        Department.objects.get_or_create(school=school, name=name)
    for bname, floors, rooms in BUILDINGS:
        building, _ = Building.objects.get_or_create(school=school, name=bname, defaults={"floors": floors})
        for number, rname, kind in rooms:
            custodian = users["staff"] if kind in (RoomKind.SPECIAL, RoomKind.LAB, RoomKind.STORE) else None
            Room.objects.get_or_create(
                school=school, building=building, name=rname,
                defaults={"number": number, "kind": kind, "floor": int(number[0]), "custodian": custodian},
            )
    for name in OUTDOOR:
        Room.objects.get_or_create(school=school, building=None, name=name, defaults={"kind": RoomKind.OUTDOOR})
    b, _ = Building.objects.get_or_create(school=other, name="教学楼", defaults={"floors": 3})
    Room.objects.get_or_create(school=other, building=b, name="一年级1班", defaults={"number": "101", "kind": RoomKind.CLASSROOM})

    for app in settings.DOMAIN_APPS:
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name == f"{app}.demo":
                continue
            raise
        module.seed(school=school, users=users)
        if stdout:
            stdout.write(f"  {app}: demo data ready")
    return {"school": school, "other_school": other, "users": users}
