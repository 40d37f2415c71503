from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "nutrition.health"
    label = "health"
    verbose_name = "Health record"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What the health record adds to the rules of the apps below it (mgsite.registry).
        from mgsite import registry
        from nutrition.health import personal_data

        registry.register("accounts.export", personal_data.export_for)
        registry.register("accounts.erase", personal_data.erase_for)
        registry.register("accounts.support_counts", personal_data.support_counts)
