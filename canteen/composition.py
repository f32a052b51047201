"""Reading the food composition and reference intake files in canteen/data/.

Values are kept as transcribed: ``Tr`` (trace) is 0, ``—``/empty is unknown (None, never 0).
Rows whose energy is more than 20% away from 4·protein + 9·fat + 4·carbohydrate are flagged at
load (some legitimately: alcohol, fibre-rich or very low-energy foods); nothing is "fixed".
"""
from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = "中国食物成分表标准版（第6版）"
REFERENCE_SOURCE = "WS/T 554-2017 学生餐营养指南 表1"
ENERGY_TOLERANCE = Decimal("0.20")
UNKNOWN = {"", "—", "-", "–", "…", "...", "——"}

# file column -> Ingredient field
COLUMNS = {
    "energy_kcal": "energy_kcal",
    "protein_g": "protein_g",
    "fat_g": "fat_g",
    "carbohydrate_g": "carbohydrate_g",
    "calcium_mg": "calcium_mg",
    "iron_mg": "iron_mg",
    "vitamin_a_ug_rae": "vitamin_a_ug",
    "vitamin_c_mg": "vitamin_c_mg",
}


def parse_value(text: str) -> tuple[Decimal | None, bool]:
    """(value, ok): Tr → 0, unknown marks → None; ok is False for text that is not a number."""
    text = (text or "").strip()
    if text in UNKNOWN:
        return None, True
    if text.lower() == "tr":
        return Decimal("0"), True
    if text.endswith("*"):  # a footnote mark of the source: the number stands, the row is flagged
        text = text.rstrip("*")
    try:
        return Decimal(text), True
    except InvalidOperation:
        return None, False


def energy_flag(energy, protein, fat, carbohydrate) -> str:
    """A note when energy disagrees with 4P + 9F + 4C by more than 20% (empty when fine or unknown)."""
    if None in (energy, protein, fat, carbohydrate):
        return ""
    computed = 4 * protein + 9 * fat + 4 * carbohydrate
    if energy == 0:
        return "" if computed == 0 else f"energy 0 vs 4P+9F+4C={computed}"
    if abs(energy - computed) / energy > ENERGY_TOLERANCE:
        return f"energy {energy} vs 4P+9F+4C={computed}"
    return ""


def _rows(path: Path):
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(line for line in fh if not line.startswith("#"))


def read_foods(path: Path | None = None) -> list[dict]:
    """Ingredient field dicts from the composition file, each with ``energy_flag`` set."""
    foods = []
    for row in _rows(path or DATA_DIR / "food_composition.csv"):
        values, bad = {}, []
        for col, field in COLUMNS.items():
            value, ok = parse_value(row[col])
            values[field] = value
            if not ok:
                bad.append(f"{col}={row[col]!r} unreadable")
            elif row[col].strip().endswith("*"):
                bad.append(f"{col}={row[col]!r} footnoted in source")
        edible, ok = parse_value(row["edible_pct"])
        flag = energy_flag(values["energy_kcal"], values["protein_g"], values["fat_g"], values["carbohydrate_g"])
        foods.append(
            {
                "code": row["code"],
                "name": row["name"],
                "group": "/".join(p for p in (row["group"], row["subgroup"]) if p),
                "edible_pct": edible if edible is not None else Decimal("100"),
                "allergens": row.get("allergens", ""),
                "source": SOURCE,
                "energy_flag": "; ".join([flag, *bad]).strip("; ")[:200],
                **values,
            }
        )
    return foods


def read_references(path: Path | None = None) -> list[dict]:
    refs = []
    for row in _rows(path or DATA_DIR / "student_meal_reference_wst554.csv"):
        refs.append(
            {
                "age_group": row["age_group"],
                "sex": row["sex"],
                "energy_kcal": Decimal(row["energy_kcal"]),
                "protein_g": Decimal(row["protein_g"]),
                "calcium_mg": Decimal(row["calcium_mg"]),
                "iron_mg": Decimal(row["iron_mg"]),
                "vitamin_a_ug": Decimal(row["vitamin_a_ug_rae"]),
                "vitamin_c_mg": Decimal(row["vitamin_c_mg"]),
                "source": REFERENCE_SOURCE,
            }
        )
    return refs


# National minimums for tableware disinfection (GB 14934 / 餐饮服务食品安全操作规范), as data.
DISINFECTION_METHODS = [
    {"code": "boiling", "name": "煮沸/蒸汽", "min_temp_c": Decimal("100"), "min_seconds": 600, "min_concentration_mg_l": None},
    {"code": "infrared", "name": "红外线消毒柜", "min_temp_c": Decimal("120"), "min_seconds": 600, "min_concentration_mg_l": None},
    {"code": "dishwasher", "name": "洗碗机（最终冲洗）", "min_temp_c": Decimal("85"), "min_seconds": 40, "min_concentration_mg_l": None},
    {"code": "chlorine", "name": "含氯消毒液浸泡", "min_temp_c": None, "min_seconds": 300, "min_concentration_mg_l": Decimal("250")},
]


def load_reference_data(Ingredient, NutrientReference, DisinfectionMethod) -> None:
    """Load the national rows that are missing (used by the data migration and the demo)."""
    known = set(Ingredient.objects.filter(school__isnull=True).values_list("code", flat=True))
    Ingredient.objects.bulk_create([Ingredient(**f) for f in read_foods() if f["code"] not in known])
    if not NutrientReference.objects.filter(school__isnull=True).exists():
        NutrientReference.objects.bulk_create([NutrientReference(**r) for r in read_references()])
    for m in DISINFECTION_METHODS:
        DisinfectionMethod.objects.update_or_create(code=m["code"], defaults=m)
