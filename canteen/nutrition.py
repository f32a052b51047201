"""Nutrition arithmetic: per dish from its ingredients, per meal and per day, against the
reference intake of the school's age group (WS/T 554-2017)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from canteen.choices import MEAL_SHARE, Meal, allergen_label
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


def parse_allergens(text: str) -> set[str]:
    """The allergen classes of an ingredient's comma-separated field (ASCII or Chinese commas)."""
    return {a.strip() for a in (text or "").replace("，", ",").replace("、", ",").split(",") if a.strip()}


def dish_totals(dish) -> Totals:
    """Per serving: Σ grams/100 × value per 100 g edible part (use a prefetch of parts__ingredient)."""
    t = Totals()
    for part in dish.parts.all():
        ing = part.ingredient
        t.allergens |= parse_allergens(ing.allergens)
        for n in NUTRIENTS:
            value = getattr(ing, n)
            if value is None:
                t.unknown.add(n)
            else:
                t.values[n] += part.grams * value / HUNDRED
    return t


def reference_for(school, *, age_group: str | None = None, settings_model=CanteenSettings, reference_model=NutrientReference) -> dict | None:
    """Daily reference of the school's age group: the school's own rows if any, else the standard's;
    with rows for both sexes the mean is used (one query, plus one for the age group if not given).
    The model arguments let the data migration use its historical models."""
    if age_group is None:
        age_group = settings_model.objects.filter(school=school).values_list("age_group", flat=True).first()
    age = age_group or CanteenSettings._meta.get_field("age_group").default
    rows = list(reference_model.objects.filter(Q(school=school) | Q(school__isnull=True), age_group=age))
    own = [r for r in rows if r.school_id is not None]
    rows = own or rows
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


_UNSET = object()


def menu_nutrition(menu, school=None, *, reference=_UNSET, items=None) -> dict:
    """{day: {"meals": {meal: {"dishes": [...], "totals": Totals, "check": ...}}, "totals": Totals, "check": ...}}

    A fixed number of queries whatever the size of the menu: the items with their dishes, the
    dishes' ingredients once (prefetch), and the reference (unless given)."""
    if reference is _UNSET:
        reference = reference_for(school or menu.school_id)
    if items is None:
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


# --- the week as stored and shown ----------------------------------------------------------
# A menu's nutrition is kept as plain data (strings for the decimals) so that an approved or
# published week is frozen as it was approved: later changes to a dish, an ingredient or the
# school's age group do not change what parents were shown. Drafts are computed live.

SUMMARY_VERSION = 1


def _s(value) -> str | None:
    return None if value is None else str(value)


def _totals_data(totals: Totals) -> dict:
    return {**{n: str(v) for n, v in totals.rounded().items()}, "unknown": sorted(totals.unknown)}


def week_summary(menu, nutrition: dict, *, meals: list[str]) -> dict:
    """JSON-ready grid of a week: Monday–Friday (and weekend days that have dishes) × meals."""
    present_meals = {m for info in nutrition["days"].values() for m in info["meals"]}
    meals = [m for m in Meal.values if m in meals or m in present_meals]
    days = []
    for i in range(7):
        day = menu.week_start + dt.timedelta(days=i)
        info = nutrition["days"].get(day)
        if info is None and day.weekday() >= 5:
            continue
        row = {"day": day.isoformat(), "info": None, "meals": []}
        if info is not None:
            check = info["check"]
            row["info"] = {"totals": _totals_data(info["totals"]), "pct": {n: _s(v) for n, v in check["pct"].items()},
                           "shares": {k: _s(v) for k, v in check["shares"].items()}}
        for meal in meals:
            m = (info or {}).get("meals", {}).get(meal)
            data = None
            if m is not None:
                data = {
                    "dishes": [{"item": item.pk, "dish": item.dish_id, "name": item.dish.name, "allergens": sorted(t.allergens)} for item, t in m["dishes"]],
                    "totals": _totals_data(m["totals"]),
                    "energy_pct": _s(m["check"]["energy_pct"]), "band": list(m["check"]["band"]), "in_band": m["check"]["in_band"],
                }
            row["meals"].append({"meal": meal, "data": data})
        days.append(row)
    reference = nutrition["reference"]
    return {"version": SUMMARY_VERSION, "reference": {n: _s(v) for n, v in reference.items()} if reference else None, "days": days}


def live_summary(menu, *, meals: list[str], age_group: str | None = None) -> dict:
    reference = reference_for(menu.school_id, age_group=age_group)
    return week_summary(menu, menu_nutrition(menu, reference=reference), meals=meals)


def menu_summary(menu, *, meals: list[str], age_group: str | None = None) -> dict:
    """The stored summary of an approved/published/superseded week (no query), else computed now
    (four queries: reference, items with dishes, their parts, the ingredients)."""
    if menu.status != "draft" and menu.nutrition_snapshot:
        return menu.nutrition_snapshot
    return live_summary(menu, meals=meals, age_group=age_group)


def present(summary: dict) -> dict:
    """The summary with translated labels, for templates (no queries)."""
    labels = nutrient_labels()
    rows = []
    for row in summary["days"]:
        info = row["info"]
        if info is not None:
            info = {**info, "pct_labelled": [(labels[n], v) for n, v in info["pct"].items() if n in labels]}
        meals = []
        for m in row["meals"]:
            data = m["data"]
            if data is not None:
                data = {**data, "dishes": [{**d, "allergen_labels": [allergen_label(a) for a in d["allergens"]]} for d in data["dishes"]]}
            meals.append({"meal": m["meal"], "label": Meal(m["meal"]).label, "data": data})
        rows.append({"day": dt.date.fromisoformat(row["day"]), "info": info, "meals": meals})
    reference = summary["reference"]
    return {"rows": rows, "reference": {n: Decimal(v) for n, v in reference.items() if v is not None} if reference else None}
