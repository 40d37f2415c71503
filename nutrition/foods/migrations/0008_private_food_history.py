"""The recorded versions of people's own foods are private, and those of own foods deleted
before foods 0005 go.

Foods 0005 flagged the live private foods only (it now flags their history as well). On a
database migrated before that, the history of a person's own food still said `private=False`:
the admin's history pages, which hide a private food by that flag, showed it to staff, and the
history of a food its owner had deleted was linked to nobody, so deleting the account could
not find it. Before the move, a person's own food had the source id `user-<pk>-…` (editors'
foods `admin-…`, imported ones their USDA id), which this migration uses.

1. Every recorded version of such a food is flagged private.
2. The recorded versions of private foods that no longer exist (deleted by their owner) are
   deleted with their values' and portions' history, as `private_foods_delete` does today: a
   person's own food is theirs alone, and nothing of it stays behind.
"""

from django.db import migrations


def repair_private_history(apps, schema_editor):
    Food = apps.get_model("foods", "Food")
    HistoricalFood = apps.get_model("foods", "HistoricalFood")
    HistoricalFood.objects.filter(source_id__startswith="user-").update(private=True)
    private_ids = set(HistoricalFood.objects.filter(private=True).values_list("id", flat=True))
    living = set(Food.objects.filter(pk__in=private_ids).values_list("pk", flat=True))
    gone = sorted(private_ids - living)
    for start in range(0, len(gone), 500):
        ids = gone[start : start + 500]
        apps.get_model("foods", "HistoricalFoodNutrient").objects.filter(food_id__in=ids).delete()
        apps.get_model("foods", "HistoricalPortion").objects.filter(food_id__in=ids).delete()
        HistoricalFood.objects.filter(id__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [("foods", "0007_physical_bounds")]

    operations = [
        migrations.RunPython(repair_private_history, migrations.RunPython.noop, elidable=False)
    ]
