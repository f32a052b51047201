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
    seed_store_loans_stocktake(ctx, assets)


def seed_store_loans_stocktake(ctx, assets):
    """The rest of the assets pages at scale in the big school: 200 store-room items with a ledger of
    ~4,000 lines, 1,000 requisitions, 500 open loans (a third overdue), a write-off request for every
    asset waiting for one, and a whole-school stocktake (one line per live asset, a few marked)."""
    from django.utils import timezone

    from assets.choices import LineResult, MoveKind, RequisitionStatus, StocktakeStatus
    from assets.models import Loan, Requisition, StockMove, Stocktake, StocktakeLine, StoreItem, WriteOff
    from logistics.roles import Role

    rng = random.Random(12)
    big, users = ctx["big"], ctx["users"]
    staff, teacher = users[Role.LOGISTICS_STAFF], users[Role.TEACHER]
    n_items = 200 if ctx["sizes"]["assets"] >= 10_000 else 20
    items = StoreItem.objects.bulk_create([
        StoreItem(school=big, name=f"耗材{i:03d}", spec="标准", unit="个", unit_price=Decimal("12.50"), low_stock_threshold=Decimal("20"))
        for i in range(n_items)
    ])
    moves, stock = [], {}
    for item in items:
        balance = Decimal("0")
        for k in range(20):
            qty = Decimal(rng.randint(1, 30))
            kind = MoveKind.RECEIPT if k % 3 == 0 or balance < qty else MoveKind.ISSUE
            balance += qty if kind == MoveKind.RECEIPT else -qty
            moves.append(StockMove(item=item, kind=kind, quantity=qty, balance_after=balance, by=staff))
        stock[item.pk] = balance
    StockMove.objects.bulk_create(moves, batch_size=BATCH)
    for item in items:
        item.stock = stock[item.pk]
    StoreItem.objects.bulk_update(items, ["stock"], batch_size=BATCH)
    Requisition.objects.bulk_create([
        Requisition(item=rng.choice(items), quantity=Decimal(rng.randint(1, 5)), reason="教学用", requested_by=teacher,
                    status=rng.choice([RequisitionStatus.PENDING, RequisitionStatus.ISSUED, RequisitionStatus.REFUSED]))
        for _ in range(n_items * 5)
    ], batch_size=BATCH)
    today = timezone.localdate()
    lendable = [a for a in assets if a.status in ("in_use", "idle")][: n_items * 2 + 100]
    Loan.objects.bulk_create([
        Loan(asset=a, borrower=teacher, lent_by=staff, due_date=today + dt.timedelta(days=rng.randint(-20, 40)))
        for a in lendable[: len(lendable) // 2 * 2][:500]
    ], batch_size=BATCH)
    WriteOff.objects.bulk_create([
        WriteOff(school_id=a.school_id, asset=a, reason="老化损坏", previous_status="in_use", requested_by=staff)
        for a in assets if a.status == "to_write_off"
    ], batch_size=BATCH)
    live = sorted((a for a in assets if a.status != "written_off"), key=lambda a: a.number)
    st = Stocktake.objects.create(school=big, name="全校年度盘点", started_by=staff, status=StocktakeStatus.OPEN,
                                  expected_count=len(live))
    results = [LineResult.FOUND] * 6 + [LineResult.PENDING] * 3 + [LineResult.MISSING]
    StocktakeLine.objects.bulk_create([
        StocktakeLine(stocktake=st, asset=a, expected_room_id=a.room_id, result=rng.choice(results)) for a in live
    ], batch_size=BATCH)
    ctx["ids"].update(store_item=items[0].pk, stocktake=st.pk)


def build_register_workbook(rows: int = 20_000, *, rooms=(), people=(), seed: int = 7) -> bytes:
    """A register as schools export it: a merged title row and a note row above the header, Chinese
    column names with stray spaces, dates as dates or as “2019年03月05日” / “2019/03/05” text,
    amounts as numbers or “¥1,234.50”, a blank row every 500 rows and a totals row at the end."""
    import io

    from openpyxl import Workbook

    rng = random.Random(seed)
    rooms = list(rooms) or [f"教学楼{n}室" for n in range(101, 141)]
    people = list(people) or [f"教师{n}" for n in range(1, 41)]
    kinds = [("A02010105", "台式计算机", "台", 4580), ("A02021004", "A4彩色打印机", "台", 1899),
             ("A05040403", "学生课桌椅", "套", 380), ("A02091104", "平板显示设备", "台", 6800),
             ("A02061804", "空调机", "台", 3650), ("A02100702", "玻璃温度计", "支", 45)]
    wb = Workbook()
    ws = wb.active
    ws.append(["基准学校固定资产明细表"])
    ws.merge_cells("A1:M1")
    ws.append(["填报单位：总务处", None, None, None, None, None, None, None, "2026年11月"])
    ws.append(["资产编号", " 资产名称", "资产分类代码 ", "规格型号", "计量单位", "数量", "单价", "原值/金额", "取得日期",
               "使用部门", "使用人", "存放地点", "使用状况"])
    total = Decimal("0")
    for i in range(rows):
        code, name, unit, price = rng.choice(kinds)
        qty = 1 if price >= 1000 else rng.choice([1, 1, 2, 10])
        day = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 5000))
        date = rng.choice([dt.datetime(day.year, day.month, day.day), f"{day.year}年{day.month:02d}月{day.day:02d}日",
                           f"{day.year}/{day.month:02d}/{day.day:02d}"])
        value = Decimal(price * qty)
        total += value
        amount = rng.choice([price, f"¥{price:,.2f}"])
        ws.append([f"IMP{i:06d}", f" {name}{i} ", code, "标准型", unit, qty, amount, f"¥{value:,.2f}", date,
                   rng.choice(["教务处", "信息中心", "体育组"]), rng.choice(people), rng.choice(rooms),
                   rng.choice(["在用", "在用", "在用", "闲置"])])
        if i % 500 == 499:
            ws.append([None] * 13)
    ws.append(["合计", None, None, None, None, None, None, f"¥{total:,.2f}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def time_import(ctx, rows: int = 20_000, *, keep: bool = False) -> dict:
    """Time the Excel import of a ``rows``-row register into the big school the way the pages do it:
    the preview parses the workbook (its rows wait in the cache), the confirmation imports those rows.
    Rolled back unless ``keep``.

    Returns seconds (wall clock, and CPU of this process) for building the workbook, the preview
    parse, the confirm (parse + import), the file size and the peak resident memory of this
    process (MB, ``ru_maxrss``). The database's own work is in the wall-clock figures only."""
    import resource
    import time

    from django.db import transaction

    from assets import importer
    from logistics.roles import Role

    big = ctx["big"]
    user = ctx["users"][Role.LOGISTICS_STAFF]
    t0, c0 = time.perf_counter(), time.process_time()
    data = build_register_workbook(rows, rooms=[r.name for r in ctx.get("rooms", [])[:60]],
                                   people=[u.full_name for u in ctx["users"].values() if u.full_name][:5] + ["新来的老师"])
    t1, c1 = time.perf_counter(), time.process_time()
    good, errors = importer.parse_workbook(data, big)
    t2, c2 = time.perf_counter(), time.process_time()

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            imported = importer.import_rows(big, good, by=user)
            t3, c3 = time.perf_counter(), time.process_time()
            if not keep:
                raise Rollback
    except Rollback:
        pass
    return {
        "rows": rows, "good": len(good), "bad": len(errors), "imported": imported, "file_kb": round(len(data) / 1024),
        "build_s": round(t1 - t0, 2), "preview_s": round(t2 - t1, 2), "confirm_s": round(t3 - t2, 2),
        "preview_cpu_s": round(c2 - c1, 2), "confirm_cpu_s": round(c3 - c2, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
