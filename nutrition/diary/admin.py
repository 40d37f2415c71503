"""Admin for the diary: enough to answer a support question, nothing to browse for fun.

Entries and doses are health data, so lists show no names and searching is by e-mail only.
"""

from django.contrib import admin

from nutrition.diary.models import (
    DiaryEntry,
    FavouriteFood,
    Recipe,
    RecipeIngredient,
    Supplement,
    SupplementIntake,
)


@admin.register(DiaryEntry)
class DiaryEntryAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "date", "meal", "grams"]
    list_filter = ["meal"]
    date_hierarchy = "date"
    search_fields = ["user__email"]
    raw_id_fields = ["user", "food", "portion"]
    list_select_related = ["user"]


@admin.register(Supplement)
class SupplementAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "name", "form", "elemental_mg_per_unit", "archived"]
    list_filter = ["form", "archived"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(SupplementIntake)
class SupplementIntakeAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "date", "supplement", "units"]
    date_hierarchy = "date"
    search_fields = ["user__email"]
    raw_id_fields = ["user", "supplement"]
    list_select_related = ["user", "supplement"]


@admin.register(FavouriteFood)
class FavouriteFoodAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "food", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "food"]


class RecipeIngredientInline(admin.TabularInline):
    model = RecipeIngredient
    raw_id_fields = ["food"]
    extra = 0


@admin.register(Recipe)
class RecipeAdmin(admin.ModelAdmin):
    list_display = ["id", "food", "servings"]
    raw_id_fields = ["food"]
    inlines = [RecipeIngredientInline]
