from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "nutrition.transfer"
    label = "transfer"
    verbose_name = "Imports and reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The report's forms on the pages of the apps below (mgsite.registry).
        from mgsite import registry
        from nutrition.transfer import panels

        registry.register("clinic.client_page", panels.client_report_panel)
        registry.register("accounts.profile_page", panels.my_report_panel)
