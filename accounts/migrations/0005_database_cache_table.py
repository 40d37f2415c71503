"""The database cache's table, so that rate limits hold across worker processes without Redis.

`createcachetable` itself does the work (it skips a table that exists, so this is safe on
databases where someone ran the command by hand): the table named in the settings is created
whether or not Redis is configured today, so turning Redis off later needs no manual step.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    database = schema_editor.connection.alias
    call_command("createcachetable", settings.DATABASE_CACHE_TABLE, database=database, verbosity=0)
    call_command("createcachetable", database=database, verbosity=0)  # any other configured


def drop_cache_table(apps, schema_editor):
    table = schema_editor.quote_name(settings.DATABASE_CACHE_TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_profile_own_fields_only"),
    ]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_table)]
