from django.db import migrations


def install(apps, schema_editor):
    # The structures are vendor-specific SQL kept beside the code that queries them:
    # SQLite gets an FTS5 table kept in step by triggers; PostgreSQL a weighted tsvector
    # column maintained by a trigger, GIN indexes and a pg_trgm vocabulary for typos.
    from nutrition.foods.search import install_structures

    install_structures(schema_editor.connection)


def uninstall(apps, schema_editor):
    from nutrition.foods.search import uninstall_structures

    uninstall_structures(schema_editor.connection)


class Migration(migrations.Migration):
    """Full-text search structures (SQLite FTS5 / PostgreSQL tsvector + pg_trgm)."""

    dependencies = [("foods", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
