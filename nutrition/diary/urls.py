from django.urls import path

from nutrition.diary import food_views, trend_views, views

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
    path("entries/<id:pk>/", views.entry_edit, name="entry-edit"),
    path("entries/<id:pk>/delete/", views.entry_delete, name="entry-delete"),
    path("doses/<id:pk>/delete/", views.dose_delete, name="dose-delete"),
    path("favourites/<id:food_id>/", views.favourite, name="favourite"),
    path("undo/", views.undo, name="undo"),
    path("supplements/", views.supplements, name="supplements"),
    path("supplements/<id:pk>/delete/", views.supplement_delete, name="supplement-delete"),
    path("foods/", food_views.foods, name="foods"),
    path("foods/<id:food_id>/delete/", food_views.food_delete, name="food-delete"),
    path("recipes/<id:food_id>/", food_views.recipe, name="recipe"),
    path(
        "recipes/ingredients/<id:pk>/delete/",
        food_views.ingredient_delete,
        name="ingredient-delete",
    ),
    path("trends/", trend_views.trends, name="trends"),
    path("export.csv", trend_views.export_csv, name="export-csv"),
]
