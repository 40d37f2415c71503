"""Reads of the food database: search results, one food with its values, rankings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404

from nutrition.foods import search
from nutrition.foods.barcodes import canonical_gtin
from nutrition.foods.categories import BY_SLUG
from nutrition.foods.models import MAGNESIUM_USDA_NUMBER, Food, FoodGroup, FoodNutrient, Portion

# A search answers at most this many foods: enough to page through, cheap to rank.
SEARCH_RESULTS_MAX = 100

ORDERINGS = {
    "magnesium": (F("magnesium_mg_per_100g").asc(nulls_last=True), "name", "id"),
    "-magnesium": (F("magnesium_mg_per_100g").desc(nulls_last=True), "name", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
}


def _summaries(qs: QuerySet[Food]) -> QuerySet[Food]:
    return qs.select_related("food_group", "data_source")


class RankedFoods(Sequence):
    """Search results as ids in rank order; only the slice a page shows is loaded."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            ids = self.ids[index]
            foods = _summaries(Food.objects.all()).in_bulk(ids)
            return [foods[i] for i in ids if i in foods]
        return self[index : index + 1][0] if index >= 0 else self[len(self) + index]


def food_list(
    *,
    user=None,
    search_text: str = "",
    group: str = "",
    source: str = "",
    source_id: str = "",
    ordering: str = "",
) -> QuerySet[Food] | RankedFoods:
    """Foods `user` may see, filtered; best match first when there is a search text.

    With a search the answer is a `RankedFoods` (ranked in Python, at most
    SEARCH_RESULTS_MAX foods); without one a queryset in `ordering` (name by default).
    Either way a page of it loads only its own foods.
    """
    if search_text.strip():
        ids = search.search_food_ids(
            search_text,
            user=user,
            limit=SEARCH_RESULTS_MAX,
            group=group or None,
            source=source or None,
        )
        if ids and (source_id or ordering):
            # Re-order or narrow the ranked ids in the database, keeping rank as tie-breaker.
            rank = {food_id: i for i, food_id in enumerate(ids)}
            qs = Food.objects.filter(id__in=ids)
            if source_id:
                qs = qs.filter(source_id=source_id.strip())
            rows = list(qs.values_list("id", "magnesium_mg_per_100g", "name"))
            if ordering in ("magnesium", "-magnesium"):
                sign = -1 if ordering.startswith("-") else 1
                rows.sort(key=lambda r: (r[1] is None, sign * (r[1] or 0), rank[r[0]]))
            elif ordering in ("name", "-name"):
                rows.sort(key=lambda r: r[2].lower(), reverse=ordering.startswith("-"))
            else:
                rows.sort(key=lambda r: rank[r[0]])
            ids = [r[0] for r in rows]
        return RankedFoods(ids)
    qs = _summaries(Food.objects.visible_to(user))
    if group:
        qs = qs.filter(food_group__code=group)
    if source:
        qs = qs.filter(data_source__slug=source)
    if source_id:
        qs = qs.filter(source_id=source_id.strip())
    return qs.order_by(*ORDERINGS.get(ordering or "name", ORDERINGS["name"]))


def foods_by_barcode(*, code: str, user=None) -> QuerySet[Food]:
    """The foods `user` may see whose barcode is `code` (any of its 8/12/13/14-digit forms):
    products still on sale first, then the most recently published. An equality on the
    indexed 14-digit column, so one index probe however many products there are."""
    canonical = canonical_gtin(code)
    if canonical is None:
        return Food.objects.none()
    return (
        _summaries(Food.objects.visible_to(user))
        .filter(barcode=canonical)
        .order_by(
            F("discontinued_on").desc(nulls_first=True),
            F("published_on").desc(nulls_last=True),
            "id",
        )
    )


def food_detail(*, food_id: int, user=None) -> Food:
    """One food `user` may see, with its nutrient values (display order) and portions.

    Raises Http404 for an unknown id and for another person's private food alike.
    """
    values = FoodNutrient.objects.select_related("nutrient").order_by(
        "nutrient__display_order", "nutrient__usda_number"
    )
    qs = _summaries(Food.objects.visible_to(user)).prefetch_related(
        Prefetch("nutrient_values", queryset=values),
        Prefetch("portions", queryset=Portion.objects.order_by("seq", "id")),
    )
    try:
        return qs.get(pk=food_id)
    except Food.DoesNotExist:
        raise Http404("No such food.") from None


def nutrient_rows(food: Food) -> list[FoodNutrient]:
    """The food's values with magnesium first (the prefetched list, no query)."""
    values = list(food.nutrient_values.all())
    values.sort(key=lambda v: v.nutrient.usda_number != MAGNESIUM_USDA_NUMBER)
    return values


# --- Magnesium-rich rankings ---------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str


MEASURES: tuple[Measure, ...] = (
    Measure("per_100g", "per 100 g", "mg"),
    Measure("per_portion", "per portion", "mg"),
    Measure("per_100kcal", "per 100 kcal", "mg"),
    Measure("per_g_net_carb", "per g net carbs", "mg"),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)


def _real(field: str) -> Cast:
    # Ratios for sorting and display: floating point on every database (SQLite would
    # otherwise divide stored whole numbers as integers).
    return Cast(field, FloatField())


# Below these a ratio says more about the denominator than about magnesium (black coffee has
# 1 kcal per 100 g, fish almost no carbohydrate): such foods get no value for that measure.
MIN_KCAL_PER_100G = Decimal(10)
MIN_NET_CARBS_G_PER_100G = Decimal(1)


def generic_foods() -> QuerySet[Food]:
    """Public, unbranded foods outside the baby, fast-food and restaurant groups."""
    return (
        Food.objects.public()
        .exclude(data_type=Food.DataType.BRANDED)
        .filter(brand="")
        .exclude(food_group__code__in=search.DEPRIORITISED_GROUP_CODES)
    )


# Spices and Herbs: eaten by the pinch, so their magnesium per 100 g says nothing of a meal.
NOT_EVERYDAY_GROUP_CODES = ("0200",)
# Names of ingredients and products rather than foods on a plate: brans and germs, flours
# and meals, by-products, industrial and baking ingredients, freeze-dried herbs, gelling
# agents, and supplement-like powders and drink mixes (cocoa, a dry powder, stays).
NOT_EVERYDAY_NAME_PHRASES = (
    "flour",
    " meal,",
    "defatted",
    "by-products",
    "industrial",
    "leavening",
    "freeze-dried",
    ", agar,",
    "protein isolate",
    "powder isolate",
    "protein concentrate",
    "protein powder",
    "protein supplement",
    "shake mix",
    "drink mix",
    "beverage mix",
    "cocoa mix",
    "chocolate powder",
    "cottonseed",
    "instant breakfast",
    ", powder",
    "dried, powder",
)
# A first name segment ending in "bran" or "germ": "Rice bran, crude", "Wheat germ, crude"
# (not "Bread, oat bran"). Written without \b, which PostgreSQL reads differently.
_BRAN_OR_GERM = r"^([^,]* )?(bran|germ)(,|$)"


def everyday_condition() -> Q:
    """Foods people eat by the portion: the default of the magnesium rankings.

    Spices, herbs, brans, flours, by-products, industrial ingredients and supplement-like
    powders top a ranking per 100 g (basil has 700 mg, rice bran 780 mg) yet nobody eats
    100 g of them; they stay one click away ("show all foods").
    """
    hidden = Q(food_group__code__in=NOT_EVERYDAY_GROUP_CODES) | Q(name__iregex=_BRAN_OR_GERM)
    for phrase in NOT_EVERYDAY_NAME_PHRASES:
        hidden |= Q(name__icontains=phrase)
    return ~hidden


def magnesium_rich_foods(
    *, sort: str = "per_100g", group: str = "", category: str = "", everyday: bool = False
) -> QuerySet[Food]:
    """Generic foods with a magnesium value, ranked by `sort` (one of MEASURE_KEYS);
    with `everyday`, only foods eaten by the portion (`everyday_condition`).

    Each food carries `per_100g`, `per_portion` (its first household portion, with
    `portion_description`, `portion_amount` and `portion_grams`), `per_100kcal` and
    `per_g_net_carb`; a measure that cannot be computed (no portion, no energy, no net
    carbohydrate) is None and sorts last.
    """
    first_portion = Portion.objects.filter(food=OuterRef("pk")).order_by("seq", "id")
    qs = (
        _summaries(generic_foods())
        .filter(magnesium_mg_per_100g__isnull=False)
        .annotate(
            portion_description=Subquery(first_portion.values("description")[:1]),
            portion_amount=Subquery(first_portion.values("amount")[:1]),
            portion_grams=Subquery(first_portion.values("gram_weight")[:1]),
        )
        .annotate(
            per_100g=F("magnesium_mg_per_100g"),
            per_portion=ExpressionWrapper(
                _real("magnesium_mg_per_100g") * _real("portion_grams") / 100,
                output_field=FloatField(),
            ),
            per_100kcal=Case(
                When(
                    energy_kcal_per_100g__gte=MIN_KCAL_PER_100G,
                    then=_real("magnesium_mg_per_100g") * 100 / _real("energy_kcal_per_100g"),
                ),
                output_field=FloatField(),
            ),
            per_g_net_carb=Case(
                When(
                    net_carbs_g_per_100g__gte=MIN_NET_CARBS_G_PER_100G,
                    then=_real("magnesium_mg_per_100g") / _real("net_carbs_g_per_100g"),
                ),
                output_field=FloatField(),
            ),
        )
    )
    if group:
        qs = qs.filter(food_group__code=group)
    if category in BY_SLUG:
        qs = qs.filter(BY_SLUG[category].q())
    if everyday:
        qs = qs.filter(everyday_condition())
    key = sort if sort in MEASURE_KEYS else "per_100g"
    return qs.order_by(F(key).desc(nulls_last=True), "name", "id")


def food_groups() -> QuerySet[FoodGroup]:
    return FoodGroup.objects.order_by("name")
