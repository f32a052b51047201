"""Query counts that do not grow with the data: every list and detail page, and the nutrition of
a week (the dishes' ingredients are read once, not per dish)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from canteen.models import AccompaniedMeal, CloseUpCheck, DisinfectionLog, DisinfectionMethod, HealthCertificate, NutrientReference, TrainingRecord
from canteen.nutrition import menu_nutrition
from canteen.services import menus
from canteen.tests.factories import DishFactory, DishIngredientFactory, IngredientFactory, ReceivingFactory, SupplierFactory, WeekMenuFactory
from logistics.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _disinfection(school, n):
    method = DisinfectionMethod.objects.get(code="chlorine")
    by = UserFactory()
    for i in range(n):
        DisinfectionLog.objects.create(school=school, method=method, batch=f"B{n}-{i}", seconds=300 if i % 2 else 100,
                                       concentration_mg_l=Decimal("250"), done_at=timezone.now(), by=by, below_minimum=not i % 2)


def _closeups(school, n):
    by = UserFactory()
    start = dt.date(2020, 1, 1) + dt.timedelta(days=n * 40)
    for i in range(n):
        CloseUpCheck.objects.create(school=school, day=start + dt.timedelta(days=i), gas_off=True, power_off=True, water_off=bool(i % 2),
                                    doors_locked=True, note="水龙头", by=by)


def _accompanied(school, n):
    for i in range(n):
        AccompaniedMeal.objects.create(school=school, day=dt.date(2026, 1, 1 + i), meal="lunch", companion=UserFactory(), kind="leader",
                                       observations="好", issues="偏咸" if i % 2 else "")


MAKERS = [
    ("canteen:disinfection_list", _disinfection),
    ("canteen:certificate_list", lambda s, n: [HealthCertificate.objects.create(
        school=s, staff_name=f"员工{i % 3}", number=f"{n}-{i}", issued_on=dt.date(2025, 1, 1), expires_on=dt.date(2026, 1, 1) + dt.timedelta(days=i)) for i in range(n)]),
    ("canteen:closeup_list", _closeups),
    ("canteen:training_list", lambda s, n: [TrainingRecord.objects.create(school=s, day=dt.date(2026, 1, 1), topic=f"培训{i}", hours=2, attendees="张三") for i in range(n)]),
    ("canteen:reference_list", lambda s, n: [NutrientReference.objects.create(
        school=s, age_group=f"{n}-{i}", energy_kcal=2000, protein_g=60, calcium_mg=900, iron_mg=15, vitamin_a_ug=600, vitamin_c_mg=90) for i in range(n)]),
    ("canteen:accompanied_list", _accompanied),
    ("canteen:supplier_list", lambda s, n: SupplierFactory.create_batch(n, school=s)),
    ("canteen:receiving_list", lambda s, n: ReceivingFactory.create_batch(n, school=s, supplier=SupplierFactory(school=s), committee_member=UserFactory())),
]


@pytest.mark.parametrize(("name", "make"), MAKERS, ids=[m[0] for m in MAKERS])
def test_more_lists_cost_the_same_queries_at_two_sizes(login_as, school, name, make):
    c = login_as("canteen_manager")
    c.get(reverse(name))
    counts = []
    for n in (2, 14):
        make(school, n)
        counts.append(_count(c, reverse(name)))
    assert counts[0] == counts[1]


def _week(school, n_dishes, *, week_start):
    manager = UserFactory()
    MembershipFactory(user=manager, school=school, role="canteen_manager")
    menu = menus.create_menu(school=school, week_start=week_start, by=manager)
    for i in range(n_dishes):
        dish = DishFactory(school=school)
        for _ in range(3):
            DishIngredientFactory(dish=dish, ingredient=IngredientFactory(allergens="蛋" if i % 2 else ""))
        menus.add_menu_item(menu, day=week_start + dt.timedelta(days=i % 5), meal=("breakfast", "lunch")[i % 2], dish=dish, by=manager)
    return menu


def test_week_nutrition_reads_the_ingredients_once_whatever_the_number_of_dishes(school):
    counts = []
    for n, week in ((2, dt.date(2026, 1, 5)), (15, dt.date(2026, 1, 12))):
        menu = _week(school, n, week_start=week)
        with CaptureQueriesContext(connection) as ctx:
            result = menu_nutrition(menu)
        counts.append(len(ctx.captured_queries))
        assert sum(len(m["dishes"]) for d in result["days"].values() for m in d["meals"].values()) == n
    assert counts[0] == counts[1] <= 5  # age group, reference rows, items with dishes, parts, ingredients


@pytest.mark.parametrize("publish", [False, True], ids=["draft", "published"])
def test_menu_detail_costs_the_same_queries_for_a_small_and_a_large_week(login_as, school, publish):
    c = login_as("logistics_director")
    counts = []
    for n, week in ((2, dt.date(2026, 1, 5)), (15, dt.date(2026, 1, 12))):
        menu = _week(school, n, week_start=week)
        if publish:
            menus.approve_menu(menu, by=c.user)
            menus.publish_menu(menu, by=c.user)
        c.get(reverse("canteen:menu_detail", args=[menu.pk]))
        counts.append(_count(c, reverse("canteen:menu_detail", args=[menu.pk])))
    assert counts[0] == counts[1]


def test_list_rows_link_to_the_detail_pages(login_as, school):
    """The lists build row links from one reverse() of the list; they must equal the detail URLs."""
    c = login_as("canteen_manager")
    rec = ReceivingFactory(school=school)
    menu = WeekMenuFactory(school=school)
    supplier = SupplierFactory(school=school)
    assert f'href="{rec.get_absolute_url()}"' in c.get(reverse("canteen:receiving_list")).content.decode()
    assert f'href="{menu.get_absolute_url()}"' in c.get(reverse("canteen:menu_list")).content.decode()
    assert f'href="{reverse("canteen:supplier_update", args=[supplier.pk])}"' in c.get(reverse("canteen:supplier_list")).content.decode()
    from canteen.tests.factories import MealSampleFactory

    sample = MealSampleFactory(school=school, taken_at=timezone.now() - dt.timedelta(hours=49))
    assert f'action="{reverse("canteen:sample_discard", args=[sample.pk])}"' in c.get(reverse("canteen:sample_list")).content.decode()


@pytest.mark.parametrize("name", ["canteen:sample_list", "canteen:receiving_list"])
def test_the_lists_count_their_rows_without_joining_what_a_row_shows(login_as, school, name):
    """A row shows the dish, the supplier, the people: only the page's rows are joined, the count
    (the number of pages) reads the table alone."""
    from canteen.tests.factories import MealSampleFactory

    c = login_as("canteen_manager")
    ReceivingFactory(school=school)
    MealSampleFactory(school=school)
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(reverse(name))
    assert response.status_code == 200 and response.context["paginator"].count == 1
    table = {"canteen:sample_list": "canteen_mealsample", "canteen:receiving_list": "canteen_receiving"}[name]
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] and table in q["sql"]]
    assert counts and all("JOIN" not in sql for sql in counts), counts
    rows = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT") and table in q["sql"] and "COUNT(" not in q["sql"]]
    assert rows and "JOIN" in rows[-1] and "LIMIT" in rows[-1]  # the page alone, joined
