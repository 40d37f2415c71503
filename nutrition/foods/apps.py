from django.apps import AppConfig


class FoodsConfig(AppConfig):
    name = "nutrition.foods"
    label = "foods"
    verbose_name = "Food database"
    default_auto_field = "django.db.models.BigAutoField"
