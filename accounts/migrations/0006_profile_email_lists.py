from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_database_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="weekly_summary",
            field=models.BooleanField(
                default=False,
                help_text="Each Monday morning: last week's average magnesium, days on target, top foods and any day above the supplement limit.",
                verbose_name="weekly summary e-mail",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="clinic_digest",
            field=models.BooleanField(
                default=True,
                help_text="Dietitians: a morning e-mail naming the clients with flags, when any is flagged.",
                verbose_name="daily clinic digest",
            ),
        ),
    ]
