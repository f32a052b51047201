"""Assets: 20,000 register entries for the big school (numbers as assets.services.next_asset_number
makes them, counters set to match), over rooms, departments and custodians. Bulk inserts."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

BATCH = 5_000


def seed(ctx):
    from django.utils import timezone

    from assets.models import Asset, AssetCounter, AssetSettings, Category
    from logistics.models import Department
    from logistics.roles import Role

    rng = random.Random(11)
    big, users = ctx["big"], ctx["users"]
    AssetSettings.objects.bulk_create([AssetSettings(school=s) for s in ctx["schools"]], ignore_conflicts=True)
    departments = Department.objects.bulk_create([Department(school=big, name=n) for n in ("教务处", "语文组", "数学组", "后勤处", "信息中心", "体育组")])
    categories = list(Category.objects.filter(school__isnull=True).exclude(code="KEY")[:200]) or list(Category.objects.all()[:50])
    custodians = [users[r] for r in (Role.LOGISTICS_STAFF, Role.TEACHER, Role.LOGISTICS_DIRECTOR, Role.CANTEEN_MANAGER)]
    today = timezone.localdate()
    n = ctx["sizes"]["assets"]
    seq: dict[int, int] = {}
    statuses = ["in_use"] * 16 + ["idle", "under_repair", "to_write_off", "written_off"]
    rows = []
    for i in range(n):
        acquired = today - dt.timedelta(days=rng.randint(0, 3650))
        seq[acquired.year] = seq.get(acquired.year, 0) + 1
        price = Decimal(rng.choice([80, 300, 900, 1500, 3200, 6800, 15000]))
        rows.append(Asset(
            school=big, number=f"{big.code}{acquired.year}{seq[acquired.year]:05d}", name=f"资产{i:05d}", category=rng.choice(categories),
            spec="标准型", unit="台", unit_price=price, original_value=price, current_value=price,
            asset_class="fixed" if price >= 1000 else "low_value", acquisition_date=acquired, funding_source="财政拨款",
            status=rng.choice(statuses), room=rng.choice(ctx["rooms"]), department=rng.choice(departments), custodian=rng.choice(custodians)))
    assets = Asset.objects.bulk_create(rows, batch_size=BATCH)
    AssetCounter.objects.bulk_create([AssetCounter(school=big, year=y, last=last) for y, last in seq.items()])
    ctx["assets"] = assets
    ctx["ids"]["asset"] = assets[-1].pk
    ctx["ids"]["asset_category"] = assets[-1].category_id
    ctx["ids"]["asset_deep_page"] = max(1, min(300, n // 50 - 1))
