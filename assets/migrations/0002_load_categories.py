"""Load the national category table (partial GB/T 14885, see assets/data/README.md) and the KEY category."""
from django.db import migrations


def load(apps, schema_editor):
    from assets.categories import load_national_categories

    load_national_categories(apps.get_model("assets", "Category"))


def unload(apps, schema_editor):
    apps.get_model("assets", "Category").objects.filter(school=None, assets__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
