from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "nutrition.clinic"
    label = "clinic"
    verbose_name = "Dietitians' clinic"
    default_auto_field = "django.db.models.BigAutoField"
