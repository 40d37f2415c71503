from django.db import migrations

from nutrition.foods.migrations import _search_0002


def install(apps, schema_editor):
    # Vendor-specific SQL, frozen beside this migration: SQLite gets an FTS5 table kept in
    # step by triggers; PostgreSQL a weighted tsvector column maintained by a trigger, GIN
    # indexes and a pg_trgm vocabulary for typos.
    _search_0002.install(schema_editor)


def uninstall(apps, schema_editor):
    _search_0002.uninstall(schema_editor)


class Migration(migrations.Migration):
    """Full-text search structures (SQLite FTS5 / PostgreSQL tsvector + pg_trgm)."""

    dependencies = [("foods", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
