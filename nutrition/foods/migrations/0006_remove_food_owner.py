from django.db import migrations

from nutrition.foods.migrations._search_0002 import restore_sqlite_triggers


class Migration(migrations.Migration):
    """The food database knows no people: whose a private food is lives in the diary now
    (diary 0003 copied it), and who created a food is in its change history."""

    dependencies = [("foods", "0005_food_private"), ("diary", "0003_diarystate_ownfood")]

    operations = [
        migrations.RemoveField(model_name="food", name="created_by"),
        migrations.RemoveField(model_name="food", name="owner"),
        migrations.RemoveField(model_name="historicalfood", name="created_by"),
        migrations.RemoveField(model_name="historicalfood", name="owner"),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop, elidable=False),
    ]
