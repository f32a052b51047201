"""Canteen: three years of records for the big school (weekly menus with items, receiving,
retained samples, disinfection logs, month accounts), bulk-inserted."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

BATCH = 5_000


def seed(ctx):
    from django.utils import timezone

    from canteen.models import (
        CanteenSettings, DisinfectionLog, DisinfectionMethod, Dish, DishIngredient, Ingredient, MealSample, MenuEvent, MenuItem,
        MonthAccount, Receiving, Supplier, WeekMenu,
    )
    from logistics.roles import Role

    rng = random.Random(7)
    big, users = ctx["big"], ctx["users"]
    manager, director = users[Role.CANTEEN_MANAGER], users[Role.LOGISTICS_DIRECTOR]
    now = timezone.now()
    today = timezone.localdate()
    days = ctx["sizes"]["canteen_days"]
    first = today - dt.timedelta(days=days)
    CanteenSettings.objects.get_or_create(school=big)
    ingredients = list(Ingredient.objects.filter(school__isnull=True)[:60])
    dishes = Dish.objects.bulk_create([Dish(school=big, name=f"菜品{i:03d}") for i in range(60)])
    DishIngredient.objects.bulk_create(
        [DishIngredient(dish=d, ingredient=ing, grams=Decimal(rng.randint(20, 150))) for d in dishes for ing in rng.sample(ingredients, 3)]
    )
    suppliers = Supplier.objects.bulk_create(
        [Supplier(school=big, name=f"供应商{i}", licence_number=f"JY{i:08d}", licence_expiry=today + dt.timedelta(days=300)) for i in range(8)]
    )
    # weekly menus: one published revision per week (this and next week too), 3 meals × 5 days × 3 dishes
    monday = first - dt.timedelta(days=first.weekday())
    menus = []
    while monday <= today + dt.timedelta(days=7):
        menus.append(WeekMenu(school=big, week_start=monday, status="published", created_by=manager, approved_by=director,
                              approved_at=now, published_at=now))
        monday += dt.timedelta(days=7)
    menus = WeekMenu.objects.bulk_create(menus, batch_size=BATCH)
    MenuEvent.objects.bulk_create(
        [MenuEvent(menu=m, by=manager, from_status="", to_status="draft") for m in menus]
        + [MenuEvent(menu=m, by=director, from_status="approved", to_status="published") for m in menus], batch_size=BATCH)
    items = [MenuItem(menu=m, day=m.week_start + dt.timedelta(days=d), meal=meal, dish=dish)
             for m in menus for d in range(5) for meal in ("breakfast", "lunch", "dinner") for dish in rng.sample(dishes, 3)]
    MenuItem.objects.bulk_create(items, batch_size=BATCH)
    # published weeks keep their nutrition as approved (what publish_menu does through the services)
    from canteen.services.menus import approved_snapshot

    for m in menus:
        m.nutrition_snapshot = approved_snapshot(m)
    WeekMenu.objects.bulk_update(menus, ["nutrition_snapshot"], batch_size=500)
    # daily records on school days
    receivings, samples, logs = [], [], []
    method = DisinfectionMethod.objects.order_by("pk").first()
    day = first
    while day <= today:
        if day.weekday() < 5:
            for k in range(6):
                qty = Decimal(rng.randint(5, 80))
                price = Decimal(rng.randint(3, 40))
                receivings.append(Receiving(school=big, supplier=rng.choice(suppliers), received_on=day, item=f"食材{k}",
                                            ingredient=rng.choice(ingredients), quantity=qty, unit_price=price, amount=qty * price,
                                            batch=f"{day:%Y%m%d}-{k}", production_date=day, status="accepted" if day < today else "pending",
                                            checked_by=manager, signed_by=director if day < today else None))
            for meal in ("breakfast", "lunch", "dinner"):
                taken = timezone.make_aware(dt.datetime.combine(day, dt.time(7 if meal == "breakfast" else 12 if meal == "lunch" else 18)))
                for dish in rng.sample(dishes, 3):
                    samples.append(MealSample(school=big, day=day, meal=meal, dish=dish, weight_g=Decimal(130), fridge_temp_c=Decimal(3),
                                              taken_at=taken, taken_by=manager,
                                              discarded_at=taken + dt.timedelta(hours=49) if day < today - dt.timedelta(days=3) else None,
                                              discarded_by=manager if day < today - dt.timedelta(days=3) else None))
                if method:
                    logs.append(DisinfectionLog(school=big, method=method, done_at=taken + dt.timedelta(hours=1), batch=f"{day:%Y%m%d}{meal[0]}",
                                                temp_c=method.min_temp_c, seconds=method.min_seconds + 60,
                                                concentration_mg_l=method.min_concentration_mg_l, by=manager))
        day += dt.timedelta(days=1)
    Receiving.objects.bulk_create(receivings, batch_size=BATCH)
    MealSample.objects.bulk_create(samples, batch_size=BATCH)
    DisinfectionLog.objects.bulk_create(logs, batch_size=BATCH)
    months, y, m = [], first.year, first.month
    while (y, m) <= (today.year, today.month):
        closed = (y, m) != (today.year, today.month)
        months.append(MonthAccount(school=big, year=y, month=m, students=1200, days=21, price_per_day=Decimal("15.00"),
                                   other_cost=Decimal("20000"), food_cost_closed=Decimal("300000") if closed else None,
                                   closed_at=now if closed else None, closed_by=director if closed else None,
                                   published_at=now if closed else None))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    months = MonthAccount.objects.bulk_create(months)
    ctx["ids"]["canteen_account"] = months[-2].pk if len(months) > 1 else months[-1].pk
    ctx["ids"]["canteen_menu"] = menus[-2].pk
    ctx["ids"]["canteen_receiving"] = Receiving.objects.filter(school=big).order_by("-pk").values_list("pk", flat=True).first()
