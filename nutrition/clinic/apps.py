from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "nutrition.clinic"
    label = "clinic"
    verbose_name = "Dietitians' clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What the clinic adds to the pages and rules of the apps below it (mgsite.registry).
        from mgsite import registry
        from nutrition.clinic import panels, personal_data, selectors

        registry.register("accounts.profile_page", panels.care_team_panel)
        registry.register("diary.day_page", panels.notes_panel)
        registry.register("diary.personal_target", selectors.personal_target_lookup)
        registry.register("accounts.export", personal_data.export_for)
        registry.register("accounts.login_redirect", selectors.landing_for)
