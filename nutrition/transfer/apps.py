from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "nutrition.transfer"
    label = "transfer"
    verbose_name = "Imports and reports"
    default_auto_field = "django.db.models.BigAutoField"
