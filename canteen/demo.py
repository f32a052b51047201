"""Demo data of the canteen: suppliers, dishes from the composition table, two weeks of menus,
a month of receiving records, samples, disinfection logs, certificates and a closed month.
Idempotent: a second run finds the rows and adds nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from canteen.choices import Meal, MenuStatus, ReceivingStatus
from canteen.models import (
    CanteenSettings,
    DisinfectionLog,
    DisinfectionMethod,
    Dish,
    DishIngredient,
    Feedback,
    HealthCertificate,
    Ingredient,
    MealSample,
    MenuEvent,
    MenuItem,
    MonthAccount,
    Receiving,
    Supplier,
    WeekMenu,
)
from canteen.selectors import food_cost

DISHES = {
    "米饭": [("012401x", 200)],
    "馒头": [("011202", 80)],
    "小米粥": [("015103", 200)],
    "煮鸡蛋": [("111101x", 50)],
    "纯牛奶": [("101101x", 200)],
    "番茄炒蛋": [("043119", 120), ("111101x", 50), ("192001", 8)],
    "红烧鸡腿": [("091113", 100), ("192001", 5)],
    "青椒肉丝": [("043124", 80), ("08110x", 50), ("192001", 8)],
    "清炒小白菜": [("045120", 150), ("192001", 6)],
    "家常豆腐": [("031306", 100), ("192001", 8)],
    "土豆烧牛肉": [("021101", 100), ("082101x", 50), ("192001", 6)],
    "清蒸鲈鱼": [("121226", 80)],
    "紫菜蛋花汤": [("052008", 3), ("111101x", 15)],
    "冬瓜汤": [("043221", 100)],
    "苹果": [("061101x", 150)],
}
BREAKFAST = [["馒头", "小米粥", "煮鸡蛋"], ["馒头", "纯牛奶", "煮鸡蛋"]]
LUNCH = [["米饭", "红烧鸡腿", "清炒小白菜", "紫菜蛋花汤"], ["米饭", "番茄炒蛋", "青椒肉丝", "冬瓜汤"], ["米饭", "土豆烧牛肉", "家常豆腐", "紫菜蛋花汤", "苹果"],
         ["米饭", "清蒸鲈鱼", "清炒小白菜", "冬瓜汤"], ["米饭", "青椒肉丝", "家常豆腐", "紫菜蛋花汤"]]
# one school day's deliveries for about 420 pupils (≈ ¥3,000)
DELIVERIES = [("大米", "012101", "kg", "80", "4.20", 365), ("面粉", "011202", "kg", "30", "3.80", 180), ("鸡腿", "091113", "kg", "40", "18.50", 3),
              ("猪肉", "08110x", "kg", "25", "26.00", 3), ("鸡蛋", "111101x", "kg", "30", "9.60", 30), ("小白菜", "045120", "kg", "40", "3.50", 2),
              ("番茄", "043119", "kg", "30", "4.80", 5), ("豆腐", "031306", "kg", "25", "5.00", 2), ("纯牛奶", "101101x", "L", "60", "8.00", 21)]


def _dishes(school):
    codes = {c for parts in DISHES.values() for c, _g in parts}
    ingredients = {i.code: i for i in Ingredient.objects.filter(school__isnull=True, code__in=codes)}
    existing = {d.name: d for d in Dish.objects.filter(school=school, name__in=DISHES)}
    for name, parts in DISHES.items():
        if name in existing:
            continue
        dish = Dish.objects.create(school=school, name=name)
        DishIngredient.objects.bulk_create([DishIngredient(dish=dish, ingredient=ingredients[c], grams=Decimal(g)) for c, g in parts])
        existing[name] = dish
    return existing


def _menu(school, monday, dishes, *, status, by, approver):
    menu, created = WeekMenu.objects.get_or_create(
        school=school, week_start=monday, revision=1,
        defaults={"status": status, "created_by": by, "approved_by": approver if status != MenuStatus.DRAFT else None,
                  "approved_at": timezone.now() if status != MenuStatus.DRAFT else None,
                  "published_at": timezone.now() if status == MenuStatus.PUBLISHED else None},
    )
    if not created:
        return menu
    items = []
    for i in range(5):
        day = monday + dt.timedelta(days=i)
        items += [MenuItem(menu=menu, day=day, meal=Meal.BREAKFAST, dish=dishes[n]) for n in BREAKFAST[i % 2]]
        items += [MenuItem(menu=menu, day=day, meal=Meal.LUNCH, dish=dishes[n]) for n in LUNCH[i]]
    MenuItem.objects.bulk_create(items)
    MenuEvent.objects.create(menu=menu, by=by, from_status="", to_status=status)
    if status != MenuStatus.DRAFT:  # approved weeks keep their nutrition as approved, as through the services
        from canteen.services.menus import approved_snapshot

        WeekMenu.objects.filter(pk=menu.pk).update(nutrition_snapshot=approved_snapshot(menu))
    return menu


def seed(*, school, users):
    from canteen.composition import load_reference_data
    from canteen.models import NutrientReference

    load_reference_data(Ingredient, NutrientReference, DisinfectionMethod)  # a flushed test database has lost the migration's rows
    manager, director, staff = users["canteen"], users["director"], users["staff"]
    today = timezone.localdate()
    CanteenSettings.objects.update_or_create(school=school, defaults={"food_safety_officer": manager, "food_safety_director": director})
    dishes = _dishes(school)
    this_monday = today - dt.timedelta(days=today.weekday())
    last = _menu(school, this_monday - dt.timedelta(days=7), dishes, status=MenuStatus.PUBLISHED, by=manager, approver=director)
    this = _menu(school, this_monday, dishes, status=MenuStatus.PUBLISHED, by=manager, approver=director)
    _menu(school, this_monday + dt.timedelta(days=7), dishes, status=MenuStatus.DRAFT, by=manager, approver=director)

    supplier, _c = Supplier.objects.get_or_create(
        school=school, name="绿源农产品配送有限公司", defaults={"licence_number": "JY13201050012345", "licence_expiry": today + dt.timedelta(days=300), "contact": "0512-6666 8888"}
    )
    Supplier.objects.get_or_create(school=school, name="光明乳业配送站", defaults={"licence_number": "JY13201050067890", "licence_expiry": today + dt.timedelta(days=20)})

    if not Receiving.objects.filter(school=school).exists():
        ingredients = {i.code: i for i in Ingredient.objects.filter(school__isnull=True, code__in=[d[1] for d in DELIVERIES])}
        rows = []
        start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the whole previous month, then this one
        for n in range((today - start).days + 1):
            day = start + dt.timedelta(days=n)
            if day.weekday() >= 5:
                continue
            for item, code, unit, qty, price, shelf in DELIVERIES:
                pending = day == today and item in ("小白菜", "番茄")
                rows.append(Receiving(
                    school=school, supplier=supplier, received_on=day, item=item, ingredient=ingredients.get(code), quantity=Decimal(qty), unit=unit,
                    unit_price=Decimal(price), amount=(Decimal(qty) * Decimal(price)).quantize(Decimal("0.01")), batch=f"{day:%Y%m%d}-{code}",
                    production_date=day - dt.timedelta(days=1), shelf_life_days=shelf, checked_by=manager,
                    status=ReceivingStatus.PENDING if pending else ReceivingStatus.ACCEPTED, signed_by=None if pending else staff,
                    signed_at=None if pending else timezone.make_aware(dt.datetime.combine(day, dt.time(7, 30))),
                ))
        Receiving.objects.bulk_create(rows)

    if not MealSample.objects.filter(school=school).exists():
        samples = []
        for menu in (last, this):
            for item in menu.items.all():
                if item.day >= today:
                    continue
                taken = timezone.make_aware(dt.datetime.combine(item.day, dt.time(7 if item.meal == Meal.BREAKFAST else 11, 50)))
                old = taken < timezone.now() - dt.timedelta(hours=48)
                samples.append(MealSample(
                    school=school, day=item.day, meal=item.meal, dish_id=item.dish_id, weight_g=Decimal("150"), fridge_temp_c=Decimal("4.0"),
                    taken_at=taken, taken_by=manager, discarded_at=taken + dt.timedelta(hours=49) if old else None, discarded_by=manager if old else None,
                ))
        MealSample.objects.bulk_create(samples, ignore_conflicts=True)

    if not DisinfectionLog.objects.filter(school=school).exists():
        methods = {m.code: m for m in DisinfectionMethod.objects.all()}
        logs = []
        for n in range(14):
            day = today - dt.timedelta(days=n)
            if day.weekday() >= 5:
                continue
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(13, 30)))
            logs.append(DisinfectionLog(school=school, method=methods["infrared"], done_at=at, batch="午餐餐具", temp_c=Decimal("125"), seconds=900, by=manager))
            logs.append(DisinfectionLog(school=school, method=methods["dishwasher"], done_at=at, batch="餐盘", temp_c=Decimal("86"), seconds=45, by=staff))
        logs.append(DisinfectionLog(school=school, method=methods["chlorine"], done_at=timezone.now() - dt.timedelta(hours=3), batch="汤勺", concentration_mg_l=Decimal("200"), seconds=300, by=staff, below_minimum=True))
        DisinfectionLog.objects.bulk_create(logs)

    if not HealthCertificate.objects.filter(school=school).exists():
        HealthCertificate.objects.bulk_create([
            HealthCertificate(school=school, staff_name="王师傅", number="JK2025-0101", issued_on=today - dt.timedelta(days=340), expires_on=today + dt.timedelta(days=25)),
            HealthCertificate(school=school, staff_name="李阿姨", number="JK2026-0033", issued_on=today - dt.timedelta(days=100), expires_on=today + dt.timedelta(days=265)),
        ])

    first_of_month = today.replace(day=1)
    prev = first_of_month - dt.timedelta(days=1)
    account, created = MonthAccount.objects.get_or_create(
        school=school, year=prev.year, month=prev.month,
        defaults={"students": 420, "days": 21, "price_per_day": Decimal("11.00"), "other_cost": Decimal("15000.00"), "note": "燃气、水电、人工"},
    )
    if created:
        now = timezone.now()
        MonthAccount.objects.filter(pk=account.pk).update(closed_at=now, closed_by=users["accountant"], published_at=now, food_cost_closed=food_cost(school, prev.year, prev.month))
    MonthAccount.objects.get_or_create(school=school, year=today.year, month=today.month, defaults={"students": 420, "days": 20, "price_per_day": Decimal("11.00"), "other_cost": Decimal("8000.00")})

    if not Feedback.objects.filter(school=school).exists():
        Feedback.objects.create(school=school, author=users["parent"], kind="suggestion", text="希望每周多安排一次鱼。", reply="下周起每周三增加清蒸鲈鱼。", replied_by=manager, replied_at=timezone.now())
