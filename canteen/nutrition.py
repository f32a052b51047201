"""Nutrition arithmetic: per dish from its ingredients, per meal and per day, against the
reference intake of the school's age group (WS/T 554-2017)."""
from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from canteen.choices import MEAL_SHARE
from canteen.models import NUTRIENTS, CanteenSettings, NutrientReference

REFERENCE_NUTRIENTS = ("energy_kcal", "protein_g", "calcium_mg", "iron_mg", "vitamin_a_ug", "vitamin_c_mg")
HUNDRED = Decimal("100")
TENTH = Decimal("0.1")


class Totals:
    """Nutrient amounts; ``unknown`` names nutrients for which some ingredient had no value."""

    def __init__(self):
        self.values = {n: Decimal("0") for n in NUTRIENTS}
        self.unknown: set[str] = set()
        self.allergens: set[str] = set()

    def add(self, other: Totals) -> Totals:
        for n in NUTRIENTS:
            self.values[n] += other.values[n]
        self.unknown |= other.unknown
        self.allergens |= other.allergens
        return self

    def __getitem__(self, name):
        return self.values[name]

    def rounded(self) -> dict:
        return {n: v.quantize(TENTH, rounding=ROUND_HALF_UP) for n, v in self.values.items()}

    def energy_shares(self) -> dict:
        """Share of energy from fat (9 kcal/g) and carbohydrate (4 kcal/g), in percent."""
        e = self.values["energy_kcal"]
        if not e:
            return {"fat": None, "carbohydrate": None}
        return {
            "fat": (self.values["fat_g"] * 9 * HUNDRED / e).quantize(TENTH, rounding=ROUND_HALF_UP),
            "carbohydrate": (self.values["carbohydrate_g"] * 4 * HUNDRED / e).quantize(TENTH, rounding=ROUND_HALF_UP),
        }


def dish_totals(dish) -> Totals:
    """Per serving: Σ grams/100 × value per 100 g edible part (use a prefetch of parts__ingredient)."""
    t = Totals()
    for part in dish.parts.all():
        ing = part.ingredient
        t.allergens |= ing.allergen_set()
        for n in NUTRIENTS:
            value = getattr(ing, n)
            if value is None:
                t.unknown.add(n)
            else:
                t.values[n] += part.grams * value / HUNDRED
    return t


def reference_for(school) -> dict | None:
    """Daily reference of the school's age group: the school's own rows if any, else the standard's;
    with rows for both sexes the mean is used."""
    settings_ = CanteenSettings.objects.filter(school=school).first()
    age = settings_.age_group if settings_ else CanteenSettings._meta.get_field("age_group").default
    rows = list(NutrientReference.objects.filter(school=school, age_group=age)) or list(
        NutrientReference.objects.filter(school__isnull=True, age_group=age)
    )
    if not rows:
        return None
    return {n: sum(getattr(r, n) for r in rows) / len(rows) for n in REFERENCE_NUTRIENTS}


def percent(value: Decimal, ref: Decimal | None) -> Decimal | None:
    if not ref:
        return None
    return (value * HUNDRED / ref).quantize(TENTH, rounding=ROUND_HALF_UP)


def meal_check(meal: str, totals: Totals, reference: dict | None) -> dict:
    """Energy of a meal as % of the day's reference and whether it falls in the meal's band."""
    low, high = MEAL_SHARE[meal]
    pct = percent(totals["energy_kcal"], reference["energy_kcal"]) if reference else None
    return {"energy_pct": pct, "band": (low, high), "in_band": pct is not None and low <= pct <= high}


def day_check(totals: Totals, reference: dict | None, meals_served: int) -> dict:
    """Each reference nutrient as % of the day's reference (scaled to the meals the school serves
    is left to the reader: a school serving lunch only expects about 35–40%)."""
    pcts = {n: percent(totals[n], reference[n]) if reference else None for n in REFERENCE_NUTRIENTS}
    return {"pct": pcts, "shares": totals.energy_shares()}


def menu_nutrition(menu, school=None) -> dict:
    """{day: {"meals": {meal: {"dishes": [...], "totals": Totals, "check": ...}}, "totals": Totals, "check": ...}}"""
    reference = reference_for(school or menu.school)
    items = menu.items.select_related("dish").prefetch_related("dish__parts__ingredient")
    cache: dict[int, Totals] = {}
    days: dict = defaultdict(lambda: {"meals": {}, "totals": Totals()})
    for item in items:
        if item.dish_id not in cache:
            cache[item.dish_id] = dish_totals(item.dish)
        day = days[item.day]
        meal = day["meals"].setdefault(item.meal, {"dishes": [], "totals": Totals()})
        meal["dishes"].append((item, cache[item.dish_id]))
        meal["totals"].add(cache[item.dish_id])
        day["totals"].add(cache[item.dish_id])
    for day in days.values():
        for meal_name, meal in day["meals"].items():
            meal["check"] = meal_check(meal_name, meal["totals"], reference)
        day["check"] = day_check(day["totals"], reference, len(day["meals"]))
    return {"reference": reference, "days": dict(sorted(days.items()))}


def nutrient_labels() -> dict:
    """Field name → translated label (the model's verbose names)."""
    from canteen.models import Ingredient

    return {n: Ingredient._meta.get_field(n).verbose_name for n in NUTRIENTS}


def labelled(values: dict) -> list[tuple]:
    """[(label, value)] in the table's order, for templates."""
    labels = nutrient_labels()
    return [(labels[n], v) for n, v in values.items() if n in labels]
