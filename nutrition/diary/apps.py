from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "nutrition.diary"
    label = "diary"
    verbose_name = "Intake diary"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What the diary adds to the pages and rules of the apps below it (mgsite.registry).
        from mgsite import registry
        from nutrition.diary import panels, personal_data, selectors, signals  # noqa: F401

        registry.register("foods.food_page", panels.add_to_diary_panel)
        registry.register("foods.magnesium_target", selectors.todays_target_for)
        registry.register("foods.units", selectors.units_for)
        registry.register("foods.private_foods", selectors.own_food_ids)
        registry.register("accounts.export", personal_data.export_for)
        registry.register("accounts.erase", personal_data.erase_for)
        registry.register("accounts.support_counts", selectors.support_counts)
        registry.register("health.magnesium_intake", selectors.magnesium_by_day)
        registry.register("health.record_page", panels.health_record_panel)
