"""Loads the food composition table, the WS/T 554 reference intakes and the disinfection
minimums from canteen/data/ (see the header of each file for its source)."""
from django.db import migrations


def load(apps, schema_editor):
    from canteen.composition import load_reference_data

    load_reference_data(
        apps.get_model("canteen", "Ingredient"), apps.get_model("canteen", "NutrientReference"), apps.get_model("canteen", "DisinfectionMethod")
    )


def unload(apps, schema_editor):
    apps.get_model("canteen", "Ingredient").objects.filter(school__isnull=True).delete()
    apps.get_model("canteen", "NutrientReference").objects.filter(school__isnull=True).delete()
    apps.get_model("canteen", "DisinfectionMethod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("canteen", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
