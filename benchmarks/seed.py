"""Seed the benchmark dataset fast (bulk inserts): a district of 20 schools and one large school.

Run by ``python -m benchmarks`` in a subprocess with DATABASE_URL pointing at a scratch database;
writes ``ids.json`` (objects the pages need) next to the results. Each domain app contributes a
``seed_<app>(ctx)`` function here; sizes come from ``SIZES[scale]``.
"""
from __future__ import annotations

import json
import os
import sys
import time

import django

SIZES = {
    "full": {"schools": 20, "assets": 20_000, "repairs": 100_000, "inspection_days": 3 * 365, "canteen_days": 3 * 365, "purchases": 5_000,
             "notifications": 400},
    "small": {"schools": 3, "assets": 500, "repairs": 2_000, "inspection_days": 60, "canteen_days": 60, "purchases": 200, "notifications": 40},
}
PASSWORD = "bench-2026"


def seed_core(ctx):
    from django.contrib.auth.hashers import make_password

    from django.utils import timezone

    from logistics.models import Building, District, Membership, Notification, Room, RoomKind, School, User
    from logistics.roles import Role

    district = District.objects.create(name="基准测试区")
    schools = School.objects.bulk_create(
        [School(name=f"基准学校{i:02d}", code=f"B{i:02d}", district=district) for i in range(ctx["sizes"]["schools"])]
    )
    big = schools[0]
    password = make_password(PASSWORD)
    users = {}
    roles = [r for r in Role if r != Role.DISTRICT_OFFICER]
    created = User.objects.bulk_create(
        [User(username=f"b_{r}", full_name=f"基准{r}", password=password, email=f"{r}@bench.local") for r in roles]
        + [User(username="b_district_officer", full_name="基准教育局", password=password)]
        + [User(username=f"b_{r}_{i}", full_name=f"{r}{i}", password=password) for i in range(1, len(schools)) for r in (Role.LOGISTICS_STAFF, Role.TEACHER, Role.REPAIRER)]
    )
    by_name = {u.username: u for u in created}
    Membership.objects.bulk_create(
        [Membership(user=by_name[f"b_{r}"], school=big, role=r) for r in roles]
        + [Membership(user=by_name["b_district_officer"], district=district, role=Role.DISTRICT_OFFICER)]
        + [Membership(user=by_name[f"b_{r}_{i}"], school=schools[i], role=r) for i in range(1, len(schools)) for r in (Role.LOGISTICS_STAFF, Role.TEACHER, Role.REPAIRER)]
    )
    buildings = Building.objects.bulk_create([Building(school=s, name=f"{n}号楼", floors=5) for s in schools for n in range(1, 6)])
    rooms = Room.objects.bulk_create(
        [Room(school=b.school, building=b, name=f"{b.name}{f}{r:02d}室", number=f"{f}{r:02d}", floor=f, kind=RoomKind.CLASSROOM)
         for b in buildings for f in range(1, 6) for r in range(1, 9)]
    )
    for r in Role:
        users[r] = by_name.get(f"b_{r}") or by_name["b_district_officer"]
    # Each benchmark user's inbox: a few hundred notifications, three of them unread (bell, home card, list).
    now = timezone.now()
    people = {u.pk: u for u in users.values()}.values()
    Notification.objects.bulk_create(
        [Notification(recipient=u, school=big, text=f"提醒 {k}：请查看待办事项", url="/", read_at=None if k < 3 else now)
         for u in people for k in range(ctx["sizes"]["notifications"])], batch_size=5_000)
    ctx.update(district=district, schools=schools, big=big, users=users, rooms=[r for r in rooms if r.school_id == big.pk], all_rooms=rooms)
    ctx["ids"]["room"] = ctx["rooms"][0].pk


SEEDERS = [seed_core]


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings.local")
    django.setup()
    scale = sys.argv[1] if len(sys.argv) > 1 else "full"
    out = sys.argv[2] if len(sys.argv) > 2 else "benchmarks/out/ids.json"
    ctx = {"sizes": SIZES[scale], "ids": {}, "timings": {}}
    from importlib import import_module

    for app in ("assets", "repairs", "safety", "canteen", "procurement"):
        try:
            module = import_module(f"benchmarks.seed_{app}")
        except ModuleNotFoundError:
            continue
        SEEDERS.append(module.seed)
    for seeder in SEEDERS:
        t0 = time.perf_counter()
        seeder(ctx)
        ctx["timings"][seeder.__module__ + "." + seeder.__name__] = round(time.perf_counter() - t0, 1)
        print(f"seeded {seeder.__module__}.{seeder.__name__} in {ctx['timings'][seeder.__module__ + '.' + seeder.__name__]}s", flush=True)
    # Fresh planner statistics and visibility map: without them PostgreSQL estimates ~150 rows for a
    # 100,000-row school right after the bulk load and picks nested loops, and cannot use index-only
    # scans (the "who holds what" sums read the heap: 55 → 38 ms a page). A production database has
    # run autovacuum, which does both; SQLite gets ANALYZE.
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    ctx["timings"]["analyze"] = round(time.perf_counter() - t0, 1)
    with open(out, "w") as f:
        json.dump({"ids": ctx["ids"], "timings": ctx["timings"], "big_school": ctx["big"].pk}, f)


if __name__ == "__main__":
    main()
