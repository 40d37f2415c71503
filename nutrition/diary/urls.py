from datetime import date

from django.urls import path, register_converter

from nutrition.diary import food_views, trend_views, views


class IsoDateConverter:
    """YYYY-MM-DD as a date; an impossible date (2026-02-30) matches nothing, so it is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        day = date.fromisoformat(value)
        if not 1900 <= day.year <= 2200:  # a diary day, with room for the day before and after
            raise ValueError(value)
        return day

    def to_url(self, value: date) -> str:
        return value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "diary"

urlpatterns = [
    path("", views.today, name="today"),
    path("<isodate:day>/", views.day_view, name="day"),
    path("<isodate:day>/search/", views.search, name="search"),
    path("<isodate:day>/entries/", views.entry_add, name="entry-add"),
    path("add/", views.entry_add_today, name="entry-add-today"),
    path("<isodate:day>/copy/", views.copy, name="copy"),
    path("<isodate:day>/doses/", views.dose_add, name="dose-add"),
    path("<isodate:day>/supplements/", views.supplement_add, name="supplement-add"),
    path("<isodate:day>/carb-budget/", views.carb_budget, name="carb-budget"),
    path("entries/<int:pk>/", views.entry_edit, name="entry-edit"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry-delete"),
    path("doses/<int:pk>/delete/", views.dose_delete, name="dose-delete"),
    path("favourites/<int:food_id>/", views.favourite, name="favourite"),
    path("supplements/", views.supplements, name="supplements"),
    path("supplements/<int:pk>/delete/", views.supplement_delete, name="supplement-delete"),
    path("foods/", food_views.foods, name="foods"),
    path("foods/<int:food_id>/delete/", food_views.food_delete, name="food-delete"),
    path("recipes/<int:food_id>/", food_views.recipe, name="recipe"),
    path(
        "recipes/ingredients/<int:pk>/delete/",
        food_views.ingredient_delete,
        name="ingredient-delete",
    ),
    path("trends/", trend_views.trends, name="trends"),
    path("export.csv", trend_views.export_csv, name="export-csv"),
]
