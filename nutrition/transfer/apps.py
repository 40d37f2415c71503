from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "nutrition.transfer"
    label = "transfer"
    verbose_name = "Imports and reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What the imports and the reports add to the pages and rules of the apps below
        # (mgsite.registry).
        from mgsite import registry
        from nutrition.transfer import panels, personal_data

        registry.register("clinic.client_page", panels.client_report_panel)
        registry.register("accounts.profile_page", panels.my_report_panel)
        registry.register("accounts.profile_page", panels.import_link_panel)
        registry.register("accounts.export", personal_data.export_for)
        registry.register("accounts.erase", personal_data.erase_for)
        registry.register("accounts.support_counts", personal_data.support_counts)
