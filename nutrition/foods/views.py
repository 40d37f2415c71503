"""Food pages: search (as you type, or as a plain GET form), a food, magnesium rankings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from mgsite import registry
from mgsite.text import clean_query
from nutrition import amounts
from nutrition.foods import search, selectors
from nutrition.foods.barcodes import looks_like_barcode
from nutrition.foods.categories import CATEGORIES
from nutrition.foods.models import MAGNESIUM_USDA_NUMBER, Food, FoodNutrient, Portion
from nutrition.foods.templatetags import units

# The Daily Value on US labels for adults and children from 4 years (FDA, 21 CFR 101.9).
DAILY_VALUE_MG = Decimal(420)
SEARCH_PAGE_RESULTS = 25
RANKING_PAGE_SIZE = 50


def _magnesium_target(request: HttpRequest) -> tuple[Decimal, str]:
    """The daily magnesium amount percentages on food pages refer to, and how to name it:
    the signed-in person's own target (the diary answers through the registry, since foods
    does not import it), else the 420 mg Daily Value."""
    found = registry.first("foods.magnesium_target", request.user)
    return found or (DAILY_VALUE_MG, "the 420 mg Daily Value")


def _units(request: HttpRequest) -> str:
    """The units the visitor reads weights in ("metric" or "us"): their profile's choice,
    which the diary answers through the registry; metric for everyone else."""
    return registry.first("foods.units", request.user) or units.METRIC


def _barcode_lookup(request: HttpRequest, typed: str) -> HttpResponse:
    """`/foods/?barcode=`: the product's page when one food has the code; otherwise the
    search page saying the code is not a barcode, or not known (with the products when
    several share it)."""
    code = clean_query(typed, 40).strip()
    context: dict = {"q": "", "results": [], "limit": SEARCH_PAGE_RESULTS, "barcode": code}
    if not looks_like_barcode(code):
        context["barcode_error"] = (
            "That is not a barcode: type the 8, 12 or 13 digits printed under the bars."
        )
        return render(request, "foods/search.html", context, status=400)
    foods = list(selectors.foods_by_barcode(code=code, user=request.user)[:SEARCH_PAGE_RESULTS])
    if len(foods) == 1:
        return redirect("foods:detail", food_id=foods[0].pk)
    context["barcode_results"] = foods
    return render(request, "foods/search.html", context)


@login_not_required
@require_GET
def food_search(request: HttpRequest) -> HttpResponse:
    if "barcode" in request.GET:
        return _barcode_lookup(request, request.GET["barcode"])
    query = clean_query(request.GET.get("q")).strip()
    results = search.search_foods(query, user=request.user, limit=SEARCH_PAGE_RESULTS)
    context = {"q": query, "results": results, "limit": SEARCH_PAGE_RESULTS}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        # Search as you type: only the results region is replaced.
        return render(request, "foods/search.html#results", context)
    return render(request, "foods/search.html", context)


@dataclass(frozen=True)
class NutrientRow:
    value: FoodNutrient
    per_portion: Decimal | None

    @property
    def is_magnesium(self) -> bool:
        return self.value.nutrient.usda_number == MAGNESIUM_USDA_NUMBER


def _chosen_portion(request: HttpRequest, portions: list[Portion]) -> Portion | None:
    """The portion picked with `?portion=<id>`; the food's first one by default;
    None for "100 g" (`?portion=100g`) or when the food has no household portions."""
    wanted = request.GET.get("portion", "")
    if wanted == "100g" or not portions:
        return None
    for portion in portions:
        if str(portion.pk) == wanted:
            return portion
    return portions[0]


@login_not_required
@require_GET
def food_detail(request: HttpRequest, food_id: int) -> HttpResponse:
    food: Food = selectors.food_detail(food_id=food_id, user=request.user)
    visitor_units = _units(request)
    portions = units.household_first(food.portions.all(), visitor_units)
    portion = _chosen_portion(request, portions)
    grams = portion.gram_weight if portion else None
    rows = [
        NutrientRow(value, amounts.in_grams(grams, value.amount_per_100g) if grams else None)
        for value in selectors.nutrient_rows(food)
    ]
    magnesium_row = next((r for r in rows if r.is_magnesium), None)
    magnesium = magnesium_row.value.amount_per_100g if magnesium_row else food.magnesium_mg_per_100g
    magnesium_portion = amounts.in_grams(grams, magnesium) if grams else None
    target, target_label = _magnesium_target(request)
    # A label's serving is in grams or millilitres, and USDA gives branded values per 100 of
    # the same unit, so the serving's magnesium is the same proportion either way.
    magnesium_serving = (
        amounts.in_grams(food.serving_size, magnesium) if food.serving_size else None
    )
    context = {
        "food": food,
        "portions": portions,
        "portion": portion,
        "units": visitor_units,
        "rows": [r for r in rows if not r.is_magnesium],
        "magnesium": magnesium,
        "magnesium_portion": magnesium_portion,
        "target": target,
        "target_label": target_label,
        # Percentages of the amounts as shown, so the figures on the page agree.
        "percent_100g": amounts.percent(amounts.shown(magnesium), target),
        "percent_portion": amounts.percent(amounts.shown(magnesium_portion), target),
        "branded": food.data_type == Food.DataType.BRANDED,
        "magnesium_serving": magnesium_serving,
        "percent_serving": amounts.percent(amounts.shown(magnesium_serving), target),
        "source": food.data_source,
        "panels": registry.collect(
            "foods.food_page",
            request,
            food=food,
            portion=portion,
            portions=portions,
            units=visitor_units,
        ),
    }
    return render(request, "foods/detail.html", context)


@login_not_required
@require_GET
def magnesium_rich(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "per_100g")
    if sort not in selectors.MEASURE_KEYS:
        sort = "per_100g"
    groups = list(selectors.food_groups())
    group = request.GET.get("group", "")
    if group not in {g.code for g in groups}:
        group = ""
    category = request.GET.get("category", "")
    if category not in {c.slug for c in CATEGORIES}:
        category = ""
    # Everyday foods by default; `?all=1` shows every food ("show all foods").
    show_all = request.GET.get("all") == "1"
    foods = selectors.magnesium_rich_foods(
        sort=sort, group=group, category=category, everyday=not show_all
    )
    page = Paginator(foods, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sort": sort,
        "measures": selectors.MEASURES,
        "groups": groups,
        "group": group,
        "categories": CATEGORIES,
        "category": category,
        "show_all": show_all,
        "min_kcal": selectors.MIN_KCAL_PER_100G,
        "min_net_carbs": selectors.MIN_NET_CARBS_G_PER_100G,
    }
    return render(request, "foods/magnesium_rich.html", context)
