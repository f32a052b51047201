"""Loads the food composition table, the WS/T 554 reference intakes and the disinfection
minimums from canteen/data/ (see the header of each file for its source)."""
from django.db import migrations


def load(apps, schema_editor):
    from canteen.composition import DISINFECTION_METHODS, read_foods, read_references

    Ingredient = apps.get_model("canteen", "Ingredient")
    NutrientReference = apps.get_model("canteen", "NutrientReference")
    DisinfectionMethod = apps.get_model("canteen", "DisinfectionMethod")
    known = set(Ingredient.objects.filter(school__isnull=True).values_list("code", flat=True))
    Ingredient.objects.bulk_create([Ingredient(**f) for f in read_foods() if f["code"] not in known])
    if not NutrientReference.objects.filter(school__isnull=True).exists():
        NutrientReference.objects.bulk_create([NutrientReference(**r) for r in read_references()])
    for m in DISINFECTION_METHODS:
        DisinfectionMethod.objects.update_or_create(code=m["code"], defaults=m)


def unload(apps, schema_editor):
    apps.get_model("canteen", "Ingredient").objects.filter(school__isnull=True).delete()
    apps.get_model("canteen", "NutrientReference").objects.filter(school__isnull=True).delete()
    apps.get_model("canteen", "DisinfectionMethod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("canteen", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
