from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _restore_search_structures(sender, using, **kwargs) -> None:
    # On SQLite, Django rebuilds a table for some schema changes and its triggers go with
    # it; putting the search structures back after every migrate keeps the index in step.
    from django.db import connections

    from nutrition.foods.search.structures import install_structures

    install_structures(connections[using])


class FoodsConfig(AppConfig):
    name = "nutrition.foods"
    label = "foods"
    verbose_name = "Food database"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(
            _restore_search_structures, sender=self, dispatch_uid="foods_search_structures"
        )
