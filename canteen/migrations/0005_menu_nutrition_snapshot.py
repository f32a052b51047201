"""Approved and published weeks keep their dishes and nutrition as approved (``nutrition_snapshot``);
the weeks approved before this migration get theirs computed from today's data, once."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from canteen.nutrition import menu_nutrition, reference_for, week_summary

    WeekMenu = apps.get_model("canteen", "WeekMenu")
    CanteenSettings = apps.get_model("canteen", "CanteenSettings")
    NutrientReference = apps.get_model("canteen", "NutrientReference")
    confs = {c.school_id: c for c in CanteenSettings.objects.all()}
    references = {}
    for menu in WeekMenu.objects.filter(status__in=["approved", "published", "superseded"], nutrition_snapshot__isnull=True).iterator():
        conf = confs.get(menu.school_id)
        meals = [m for m in ("breakfast", "lunch", "dinner") if getattr(conf, f"serves_{m}")] if conf else ["breakfast", "lunch"]
        age = conf.age_group if conf else None
        if menu.school_id not in references:
            references[menu.school_id] = reference_for(
                menu.school_id, age_group=age or "12-14", settings_model=CanteenSettings, reference_model=NutrientReference
            )
        items = menu.items.select_related("dish").prefetch_related("dish__parts__ingredient")
        nutrition = menu_nutrition(menu, reference=references[menu.school_id], items=items)
        menu.nutrition_snapshot = week_summary(menu, nutrition, meals=meals)
        menu.save(update_fields=["nutrition_snapshot"])


class Migration(migrations.Migration):

    dependencies = [
        ('canteen', '0004_sample_weight_message'),
    ]

    operations = [
        migrations.AddField(
            model_name='weekmenu',
            name='nutrition_snapshot',
            field=models.JSONField(blank=True, editable=False, help_text='Kept at approval, so a published week stays as it was approved.', null=True, verbose_name='dishes and nutrition as approved'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
