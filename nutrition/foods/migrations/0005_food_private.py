from django.db import migrations, models

from nutrition.foods.migrations._search_0002 import restore_sqlite_triggers


def flag_private_foods(apps, schema_editor):
    apps.get_model("foods", "Food").objects.filter(owner__isnull=False).update(private=True)
    # Their recorded versions too, also of foods their owners had deleted: the admin hides a
    # private food's history by this flag (0008 repairs databases migrated before this line).
    apps.get_model("foods", "HistoricalFood").objects.filter(owner__isnull=False).update(
        private=True
    )


class Migration(migrations.Migration):
    """A private food (a person's own food or recipe) is flagged here; whose it is moves to
    the diary (diary 0003), and the owner column goes in 0006."""

    dependencies = [("foods", "0004_food_index_from_unique")]

    operations = [
        migrations.AddField(
            model_name="food",
            name="private",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="historicalfood",
            name="private",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(flag_private_foods, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop, elidable=False),
    ]
