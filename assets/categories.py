"""The national category table (partial GB/T 14885, see assets/data/README.md) and the KEY category."""
import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "asset_categories_gbt14885_partial.csv"
# Instruments and metrology (A0210…, A0212…) are special equipment: they use the higher threshold.
SPECIAL_PREFIXES = ("A0210", "A0212")
KEY_CODE = "KEY"


def load_national_categories(Category) -> int:  # noqa: N803 - a model class (historical in migrations)
    """Create or update the school-less categories; idempotent. Returns how many rows the file has."""
    count = 0
    with DATA.open(encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            code = row["code"].strip()
            Category.objects.update_or_create(
                school=None, code=code,
                defaults={
                    "name": row["name"].strip(), "level": int(row["level"] or 1),
                    "parent_code": (row["parent_code"] or "").strip(),
                    "special_equipment": code.startswith(SPECIAL_PREFIXES),
                },
            )
            count += 1
    Category.objects.update_or_create(school=None, code=KEY_CODE, defaults={"name": "钥匙", "level": 1, "parent_code": ""})
    return count
