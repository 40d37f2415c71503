from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "nutrition.content"
    label = "content"
    verbose_name = "Articles"
    default_auto_field = "django.db.models.BigAutoField"
