"""The three data sources every food belongs to.

The values are copied here rather than imported from the app, so this migration keeps
working whatever later code does with them. The importer uses `update_or_create` with the
same values (nutrition/foods/importers/common.py), so a flushed test database heals itself.
"""

from django.db import migrations

SOURCES = [
    {
        "slug": "usda-sr28",
        "name": "USDA National Nutrient Database for Standard Reference, Release 28",
        "licence": "Public domain (U.S. Government work)",
        "attribution": (
            "U.S. Department of Agriculture, Agricultural Research Service, Nutrient Data "
            "Laboratory. USDA National Nutrient Database for Standard Reference, Release 28 "
            "(Slightly revised). Version Current: May 2016."
        ),
        "url": "https://www.ars.usda.gov/nutrientdata",
    },
    {
        "slug": "usda-fdc",
        "name": "USDA FoodData Central",
        "licence": "Public domain (CC0 1.0)",
        "attribution": (
            "U.S. Department of Agriculture, Agricultural Research Service. FoodData Central. "
            "fdc.nal.usda.gov."
        ),
        "url": "https://fdc.nal.usda.gov/",
    },
    {
        "slug": "custom",
        "name": "Custom foods",
        "licence": "",
        "attribution": "Foods added by the site's editors or by people for their own diary.",
        "url": "",
    },
]


def create_sources(apps, schema_editor):
    DataSource = apps.get_model("foods", "DataSource")
    for source in SOURCES:
        DataSource.objects.update_or_create(slug=source["slug"], defaults=source)


def delete_sources(apps, schema_editor):
    DataSource = apps.get_model("foods", "DataSource")
    # Only sources no food refers to: on_delete=PROTECT keeps the others.
    DataSource.objects.filter(slug__in=[s["slug"] for s in SOURCES], foods__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("foods", "0002_search")]

    operations = [migrations.RunPython(create_sources, delete_sources)]
