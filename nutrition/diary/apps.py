from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "nutrition.diary"
    label = "diary"
    verbose_name = "Intake diary"
    default_auto_field = "django.db.models.BigAutoField"
