"""Demo data of the assets app: a few hundred assets over the demo rooms, store-room consumables with a
ledger, a key on loan and a past stocktake. Idempotent: rows are keyed by number/name and added once."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from logistics.models import Department, Room

from .categories import load_national_categories
from .choices import AssetClass, AssetStatus, LineResult, MoveKind, StocktakeStatus
from .models import Asset, AssetCounter, Category, Loan, StockMove, Stocktake, StocktakeLine, StoreItem

KINDS = [  # (category code, name, unit, unit price)
    ("A02010105", "台式计算机", "台", "4580.00"), ("A02010108", "笔记本电脑", "台", "5299.00"),
    ("A02020700", "电子白板", "套", "12800.00"), ("A02021004", "A4彩色打印机", "台", "1899.00"),
    ("A02061804", "空调机", "台", "3650.00"), ("A02091104", "平板显示设备", "台", "6800.00"),
    ("A05040403", "学生课桌椅", "套", "380.00"), ("A05040403", "讲台", "张", "860.00"),
    ("A02100702", "玻璃温度计", "支", "45.00"), ("A02021301", "碎纸机", "台", "899.00"),
]
CONSUMABLES = [("A4复印纸", "70g 500张", "包", "24.50", 10), ("日光灯管", "T8 18W", "支", "12.00", 20),
               ("粉笔", "无尘 白色", "盒", "6.50", 30), ("水龙头", "4分 铜", "个", "35.00", 5), ("插座", "五孔 86型", "个", "18.00", 10)]
PER_ROOM = 12


def seed(*, school, users) -> None:
    if not Category.objects.filter(school=None).exists():
        load_national_categories(Category)
    rooms = list(Room.objects.filter(school=school).order_by("pk"))
    with transaction.atomic():
        _assets(school, users, rooms)
        _store(school, users)
        _loan_and_stocktake(school, users, rooms)


def _assets(school, users, rooms) -> None:
    year = 2025
    prefix = f"{school.code}{year}"
    if not rooms or Asset.objects.filter(school=school, number__startswith=prefix).exists():
        return
    rng = random.Random(4)
    categories = {c.code: c for c in Category.objects.filter(school=None)}
    departments = list(Department.objects.filter(school=school))
    people = [users[u] for u in ("teacher", "teacher2", "staff", "staff2")]
    rows, seq = [], 0
    for room in rooms:
        for _i in range(PER_ROOM):
            code, name, unit, price = KINDS[rng.randrange(len(KINDS))]
            seq += 1
            price = Decimal(price)
            fixed = price >= (Decimal("1500") if categories[code].special_equipment else Decimal("1000"))
            rows.append(Asset(
                school=school, number=f"{prefix}{seq:05d}", name=name, category=categories[code], unit=unit,
                unit_price=price, original_value=price, current_value=price,
                asset_class=AssetClass.FIXED if fixed else AssetClass.LOW_VALUE,
                acquisition_date=dt.date(2019 + rng.randrange(7), rng.randrange(1, 13), rng.randrange(1, 28)),
                funding_source=rng.choice(["财政拨款", "自筹经费", "捐赠"]),
                status=AssetStatus.IDLE if rng.random() < 0.05 else AssetStatus.IN_USE,
                room=room, department=rng.choice(departments) if departments else None,
                custodian=room.custodian or rng.choice(people),
            ))
    keys = [Asset(school=school, number=f"{prefix}K{i:03d}", name=f"{room.name}钥匙", category=categories["KEY"], unit="把",
                  unit_price=Decimal("15.00"), original_value=Decimal("15.00"), current_value=Decimal("15.00"),
                  asset_class=AssetClass.LOW_VALUE, status=AssetStatus.IN_USE, room=room, custodian=users["staff"])
            for i, room in enumerate(rooms[:10], start=1)]
    Asset.objects.bulk_create(rows + keys, batch_size=500)
    AssetCounter.objects.update_or_create(school=school, year=year, defaults={"last": seq})


def _store(school, users) -> None:
    staff = users["staff"]
    for name, spec, unit, price, threshold in CONSUMABLES:
        item, created = StoreItem.objects.get_or_create(
            school=school, name=name, spec=spec,
            defaults={"unit": unit, "unit_price": Decimal(price), "low_stock_threshold": Decimal(threshold)},
        )
        if not created:
            continue
        received = Decimal(threshold * 4)
        issued = Decimal(threshold * 3 + (threshold if name == "水龙头" else 0) - 1)  # one item ends below its threshold
        StockMove.objects.bulk_create([
            StockMove(item=item, kind=MoveKind.RECEIPT, quantity=received, balance_after=received, unit_price=Decimal(price),
                      source="purchase", by=staff, note="期初入库"),
            StockMove(item=item, kind=MoveKind.ISSUE, quantity=issued, balance_after=received - issued, unit_price=Decimal(price),
                      by=staff, note="各部门领用"),
        ])
        StoreItem.objects.filter(pk=item.pk).update(stock=received - issued)


def _loan_and_stocktake(school, users, rooms) -> None:
    key = Asset.objects.filter(school=school, category__code="KEY").order_by("number").first()
    if key and not Loan.objects.filter(asset=key).exists():
        Loan.objects.create(asset=key, borrower=users["teacher"], lent_by=users["staff"],
                            due_date=timezone.localdate() - dt.timedelta(days=2), note="周末借用实验室")
    if not rooms or Stocktake.objects.filter(school=school).exists():
        return
    st = Stocktake.objects.create(school=school, name="2025年秋季学期资产清点", status=StocktakeStatus.CONFIRMED,
                                  started_by=users["staff"], confirmed_by=users["director"], confirmed_at=timezone.now())
    st.rooms.set(rooms[:2])
    lines = [StocktakeLine(stocktake=st, asset=a, expected_room=a.room, result=LineResult.FOUND, marked_by=users["staff"],
                           marked_at=timezone.now())
             for a in Asset.objects.filter(school=school, room__in=rooms[:2]).select_related("room")]
    if lines:
        lines[-1].result = LineResult.DAMAGED
    StocktakeLine.objects.bulk_create(lines)
