"""Admin curation of the food database: search, filters, nutrient values, portions, history."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from nutrition.foods import imports, services
from nutrition.foods.barcodes import canonical_gtin, shown_gtin
from nutrition.foods.forms import FoodAdminForm, FoodNutrientForm, PortionForm
from nutrition.foods.models import (
    DataSource,
    Food,
    FoodGroup,
    FoodImportRun,
    FoodNutrient,
    Nutrient,
    Portion,
)

SUMMARY_FIELDS = ("magnesium_mg_per_100g", "energy_kcal_per_100g", "net_carbs_g_per_100g")


class HasMagnesiumFilter(admin.SimpleListFilter):
    title = "magnesium value"
    parameter_name = "has_magnesium"

    def lookups(self, request, model_admin):
        return [("yes", "Has a magnesium value"), ("no", "No magnesium value")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(magnesium_mg_per_100g__isnull=False)
        if self.value() == "no":
            return queryset.filter(magnesium_mg_per_100g__isnull=True)
        return queryset


class ListedFilter(admin.SimpleListFilter):
    title = "USDA listing"
    parameter_name = "discontinued"

    def lookups(self, request, model_admin):
        return [("no", "Still listed"), ("yes", "Discontinued")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(discontinued_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(discontinued_on__isnull=True)
        return queryset


class FoodNutrientInline(admin.TabularInline):
    """The food's stored values (about 130 for an SR28 food), in one query: the nutrient is
    shown as text, so no per-row widget looks it up. New values go in the inline below."""

    model = FoodNutrient
    form = FoodNutrientForm
    fields = ("nutrient", "amount_per_100g", "unit", "confirm_high_value")
    readonly_fields = ("nutrient", "unit")
    extra = 0
    can_delete = True
    verbose_name = "nutrient value per 100 g"
    verbose_name_plural = "nutrient values per 100 g"

    def get_queryset(self, request: HttpRequest) -> QuerySet[FoodNutrient]:
        return (
            super()
            .get_queryset(request)
            .select_related("nutrient")
            .order_by("nutrient__display_order", "nutrient__usda_number")
        )

    @admin.display(description="unit")
    def unit(self, value: FoodNutrient) -> str:
        return value.nutrient.unit if value.nutrient_id else ""

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # new values go in AddFoodNutrientInline


class AddFoodNutrientInline(admin.TabularInline):
    """Blank rows for values the food does not have yet; the nutrient is picked by id with
    a search pop-up (the list of 150 nutrients is not repeated in every row)."""

    model = FoodNutrient
    form = FoodNutrientForm
    fields = ("nutrient", "amount_per_100g", "confirm_high_value")
    raw_id_fields = ("nutrient",)
    extra = 3
    can_delete = False
    verbose_name = "new nutrient value per 100 g"
    verbose_name_plural = "add nutrient values per 100 g"

    def get_queryset(self, request: HttpRequest) -> QuerySet[FoodNutrient]:
        return super().get_queryset(request).none()


class PortionInline(admin.TabularInline):
    model = Portion
    form = PortionForm
    fields = ("seq", "amount", "description", "gram_weight")
    extra = 1


def _refuse_private(object_id: str) -> None:
    """404 for a private food's history, live or deleted: simple_history would otherwise show
    its recorded versions, which bypass the admin's queryset."""
    try:
        pk = int(unquote(object_id))
    except ValueError:
        raise Http404 from None
    if (
        Food.objects.filter(pk=pk, private=True).exists()
        or Food.history.filter(id=pk, private=True).exists()
    ):
        raise Http404


@admin.register(Food)
class FoodAdmin(SimpleHistoryAdmin):
    form = FoodAdminForm
    list_display = (
        "name",
        "brand",
        "shown_barcode",
        "source_id",
        "food_group",
        "data_source",
        "magnesium_mg_per_100g",
        "verified",
        "updated_at",
    )
    list_display_links = ("name",)
    list_filter = (
        "data_type",
        ListedFilter,
        "food_group",
        "data_source",
        HasMagnesiumFilter,
        "verified",
    )
    list_select_related = ("food_group", "data_source")
    # A barcode in any of its forms is looked up by `get_search_results`.
    search_fields = ("name", "brand", "=source_id")
    show_full_result_count = False  # a second COUNT(*) over every food on each page
    list_per_page = 50
    ordering = ("name",)
    actions = ("mark_verified", "mark_unverified")
    inlines = (FoodNutrientInline, AddFoodNutrientInline, PortionInline)
    history_list_display = ("verified", "magnesium_mg_per_100g")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "common_names",
                    "brand",
                    "scientific_name",
                    "food_group",
                    "barcode",
                    "verified",
                )
            },
        ),
        (
            "Label (branded products)",
            {
                "fields": (
                    "serving_size",
                    "serving_size_unit",
                    "household_serving",
                    "ingredients",
                    "published_on",
                    "discontinued_on",
                )
            },
        ),
        ("Per 100 g (from the nutrient values below)", {"fields": SUMMARY_FIELDS}),
        (
            "Origin",
            {
                "fields": (
                    "data_source",
                    "source_id",
                    "data_type",
                    "created_at",
                    "updated_at",
                    "recent_value_changes",
                )
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Food]:
        # A person's private foods and recipes are part of their diary: the
        # list, its search, the change page and bulk actions see public foods only.
        return super().get_queryset(request).public()

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Food], search_term: str):
        # A barcode scanned or typed as 12, 13 or 14 digits: one indexed equality on the
        # stored 14-digit form (or an FDC id of the same digits).
        code = canonical_gtin(search_term)
        if code is not None:
            return queryset.filter(Q(barcode=code) | Q(source_id=search_term.strip())), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="barcode", ordering="barcode")
    def shown_barcode(self, food: Food) -> str:
        return shown_gtin(food.barcode)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        _refuse_private(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id, **kwargs):
        _refuse_private(object_id)
        return super().history_form_view(request, object_id, version_id, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Food | None = None) -> tuple:
        fixed = (*SUMMARY_FIELDS, "created_at", "updated_at", "recent_value_changes")
        # A new food is always custom; where an existing one came from never changes here.
        return (*fixed, "data_source", "source_id", "data_type")

    def get_fieldsets(self, request: HttpRequest, obj: Food | None = None):
        if obj is None:  # the origin is filled in on save
            return self.fieldsets[:1]
        return self.fieldsets

    @admin.display(description="recent changes to nutrient values")
    def recent_value_changes(self, food: Food) -> str:
        records = (
            FoodNutrient.history.filter(food_id=food.pk)
            .select_related("history_user", "nutrient")
            .order_by("-history_date")[:20]
        )
        rows = [
            (
                f"{record.history_date:%Y-%m-%d %H:%M}",
                record.history_user or "(no user)",
                record.get_history_type_display().lower(),
                record.nutrient.name if record.nutrient else record.nutrient_id,
                record.amount_per_100g,
            )
            for record in records
        ]
        if not rows:
            return "None (values as imported)"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}: {} {} = {}</li>", rows))

    def save_model(self, request: HttpRequest, obj: Food, form, change: bool) -> None:
        services.food_save_from_admin(food=obj, user=request.user, created=not change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Values may have changed in the inlines: bring the per-food columns in line.
        services.food_refresh_summary(food=form.instance)

    @admin.action(description="Mark the selected foods verified", permissions=["change"])
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Food]) -> None:
        count = services.foods_set_verified(foods=queryset, verified=True, user=request.user)
        self.message_user(request, f"{count} food(s) marked verified.", messages.SUCCESS)

    @admin.action(description="Mark the selected foods not verified", permissions=["change"])
    def mark_unverified(self, request: HttpRequest, queryset: QuerySet[Food]) -> None:
        count = services.foods_set_verified(foods=queryset, verified=False, user=request.user)
        self.message_user(request, f"{count} food(s) marked not verified.", messages.SUCCESS)


@admin.register(FoodGroup)
class FoodGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    ordering = ("code",)


@admin.register(Nutrient)
class NutrientAdmin(admin.ModelAdmin):
    list_display = ("key", "usda_number", "name", "unit", "display_order", "decimals")
    search_fields = ("key", "=usda_number", "name")
    ordering = ("display_order", "usda_number")

    def get_readonly_fields(self, request: HttpRequest, obj: Nutrient | None = None) -> tuple:
        # Code across the project refers to nutrients by key and by USDA number.
        return ("key", "usda_number") if obj else ()


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "licence")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ("slug", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: DataSource | None = None) -> tuple:
        return ("slug",) if obj else ()


class FoodImportUploadForm(forms.ModelForm):
    """Starting an import: the zip of a FoodData Central CSV download, checked before anything
    is kept (nutrition.foods.uploads)."""

    archive = forms.FileField(
        label="FoodData Central download (zip)",
        help_text="The zip of a FoodData Central CSV download, as USDA offers it. The import "
        "runs in the background; this page shows its progress.",
    )

    class Meta:
        model = FoodImportRun
        fields: list[str] = []

    def clean_archive(self):
        upload = self.cleaned_data["archive"]
        imports.food_import_check(upload=upload)
        return upload


@admin.register(FoodImportRun)
class FoodImportRunAdmin(admin.ModelAdmin):
    """Start a FoodData Central import and follow it: the page refreshes itself (a meta
    refresh, no script) until the run has finished."""

    change_form_template = "admin/foods/foodimportrun/change_form.html"
    list_display = ("file_name", "status", "progress", "started_by", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("started_by",)
    readonly_fields = (
        "status",
        "progress",
        "summary",
        "error",
        "file_name",
        "file_size",
        "started_by",
        "created_at",
        "started_at",
        "finished_at",
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = FoodImportUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["archive"] if obj is None else list(self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    @admin.display(description="progress")
    def progress(self, run: FoodImportRun) -> str:
        label, percent = imports.progress_of(run)
        if run.status == FoodImportRun.Status.QUEUED:
            return "waiting for a worker"
        return f"{label}: {percent} %" if label else f"{percent} %"

    def save_model(self, request, obj, form, change):
        run = imports.food_import_start(user=request.user, upload=form.cleaned_data["archive"])
        obj.pk = run.pk
        obj.__dict__.update({k: v for k, v in run.__dict__.items() if not k.startswith("_")})

    def response_add(self, request, obj, post_url_continue=None):
        # Straight to the run's page, which follows its progress.
        self.message_user(request, f"The import of {obj.file_name} has started.")
        return HttpResponseRedirect(reverse("admin:foods_foodimportrun_change", args=[obj.pk]))

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a run is a record: started by an upload, changed by its job only
