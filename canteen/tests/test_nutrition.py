import datetime as dt
from decimal import Decimal

import pytest

from canteen.composition import energy_flag, parse_value, read_foods
from canteen.models import Ingredient, NutrientReference
from canteen.nutrition import dish_totals, menu_nutrition, reference_for
from canteen.services import menus
from canteen.tests.factories import DishFactory, DishIngredientFactory, IngredientFactory

pytestmark = pytest.mark.django_db


def _ing(code):
    return Ingredient.objects.get(school__isnull=True, code=code)


def test_values_tr_is_zero_unknown_is_none_never_zero():
    assert parse_value("Tr") == (Decimal("0"), True)
    assert parse_value("—") == (None, True)
    assert parse_value("") == (None, True)
    assert parse_value("12.5") == (Decimal("12.5"), True)
    assert parse_value("1..2") == (None, False)


def test_energy_check_flags_more_than_20_percent():
    assert energy_flag(Decimal("100"), Decimal("10"), Decimal("2"), Decimal("12")) == ""  # 40+18+48 = 106
    assert "4P+9F+4C=31.1" in energy_flag(Decimal("24"), Decimal("2.6"), Decimal("0.3"), Decimal("4.5"))
    assert energy_flag(None, Decimal("1"), Decimal("1"), Decimal("1")) == ""


def test_composition_file_loaded_with_provenance_and_flags():
    foods = read_foods()
    assert len(foods) >= 150
    assert Ingredient.objects.filter(school__isnull=True).count() == len(foods)
    tofu = _ing("031306")
    assert tofu.vitamin_a_ug is None  # "—" stays unknown
    assert tofu.vitamin_c_mg == 0  # "Tr" is trace
    assert "大豆" in tofu.allergen_set() and "第6版" in tofu.source
    oil = _ing("192001")
    assert oil.energy_kcal == Decimal("899") and "footnoted" in oil.energy_flag
    assert NutrientReference.objects.filter(school__isnull=True).count() == 6


def test_lunch_and_day_nutrition_match_hand_computed_values(school, make_member):
    manager = make_member("canteen_manager")
    rice = menus.save_dish(school=school, by=manager, name="米饭", parts=[(_ing("012401x"), Decimal("200"))])
    tofu = menus.save_dish(school=school, by=manager, name="家常豆腐", parts=[(_ing("031306"), Decimal("100")), (_ing("192001"), Decimal("10"))])
    greens = menus.save_dish(school=school, by=manager, name="清炒小白菜", parts=[(_ing("045120"), Decimal("150"))])
    monday = dt.date(2026, 11, 30)
    menu = menus.create_menu(school=school, week_start=monday, by=manager)
    for dish in (rice, tofu, greens):
        menus.add_menu_item(menu, day=monday, meal="lunch", dish=dish, by=manager)

    result = menu_nutrition(menu)
    lunch = result["days"][monday]["meals"]["lunch"]
    t = lunch["totals"].rounded()
    # rice 200 g: 232 kcal, 5.2 g protein, 0.6 g fat, 51.8 g carb, Ca 14, Fe 2.6
    # tofu 100 g: 116, 9.2, 8.1, 3.0, Ca 105, Fe 1.5;  rapeseed oil 10 g: 89.9, Tr, 9.99, 0, Ca 0.9, Fe 0.37
    # 小白菜 150 g: 21, 2.1, 0.45, 3.6, Ca 175.5, Fe 1.95, VA 231, VC 96
    assert t["energy_kcal"] == Decimal("458.9")
    assert t["protein_g"] == Decimal("16.5")
    assert t["fat_g"] == Decimal("19.1")
    assert t["carbohydrate_g"] == Decimal("58.4")
    assert t["calcium_mg"] == Decimal("295.4")
    assert t["iron_mg"] == Decimal("6.4")
    assert t["vitamin_c_mg"] == Decimal("96.0")
    assert lunch["totals"].unknown == {"vitamin_a_ug", "vitamin_c_mg"}  # tofu and oil have no measured VA/VC
    assert lunch["totals"].allergens == {"大豆"}
    # reference 12–14 y: mean of 2450 and 2100 = 2275 kcal; protein (65+60)/2 = 62.5 g
    assert result["reference"]["energy_kcal"] == Decimal("2275")
    assert lunch["check"]["energy_pct"] == Decimal("20.2")  # 458.9 / 2275
    assert lunch["check"]["band"] == (35, 40) and lunch["check"]["in_band"] is False
    day = result["days"][monday]["check"]
    assert day["pct"]["protein_g"] == Decimal("26.4")  # 16.5 / 62.5
    assert day["shares"] == {"fat": Decimal("37.5"), "carbohydrate": Decimal("50.9")}  # 172.26/458.9, 233.6/458.9


def test_breakfast_in_band_and_school_reference_row_takes_precedence(school):
    ing = IngredientFactory(energy_kcal=Decimal("100"))
    dish = DishFactory(school=school)
    DishIngredientFactory(dish=dish, ingredient=ing, grams=Decimal("630"))  # 630 kcal
    NutrientReference.objects.create(
        school=school, age_group="12-14", energy_kcal=2250, protein_g=60, calcium_mg=900, iron_mg=15, vitamin_a_ug=600, vitamin_c_mg=90
    )
    assert reference_for(school)["energy_kcal"] == Decimal("2250")
    from canteen.nutrition import meal_check

    check = meal_check("breakfast", dish_totals(dish), reference_for(school))
    assert check["energy_pct"] == Decimal("28.0") and check["in_band"] is True
