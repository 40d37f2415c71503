"""The person's own lists: entries and doses, supplement products, favourite and recent
foods, their own foods and recipes. Every query starts from the person, so another person's
row is never found (a 404 to the caller)."""

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from nutrition.diary.models import (
    DiaryEntry,
    FavouriteFood,
    OwnFood,
    Recipe,
    RecipeIngredient,
    Supplement,
    SupplementIntake,
)
from nutrition.diary.selectors.day import FoodBrief, SupplementBrief
from nutrition.foods.models import Food, Portion

# The fields of a food that a `FoodBrief` holds, in its order.
BRIEF_FIELDS = (
    "id",
    "name",
    "magnesium_mg_per_100g",
    "private",
    "data_source__slug",
    "net_carbs_g_per_100g",
)
RECENT_WINDOW = 60  # the latest entries looked through for recent foods


def briefs(rows) -> list[FoodBrief]:
    return [FoodBrief(*row) for row in rows]


# --- Which foods a person may use ---------------------------------------------------------------


def own_food_ids(user: User) -> QuerySet:
    """The ids of the person's own foods and recipes, as a lazy query (the foods app asks
    for it through the registry: it keeps private foods but knows no people)."""
    return OwnFood.objects.filter(user_id=user.pk).values("food_id")


def visible_food(user: User, prefix: str = "") -> Q:
    """A food the person may log: a public one or one of their own (`prefix` reaches the
    food from another model, e.g. "food__")."""
    return Q(**{f"{prefix}private": False}) | Q(**{f"{prefix}own_food__user": user})


def visible_foods(user: User) -> QuerySet[Food]:
    return Food.objects.filter(visible_food(user))


def own_foods(*, user: User, kind: str | None = None) -> QuerySet[Food]:
    """The person's own foods and recipes (or one `kind`: Food.DataType.CUSTOM or RECIPE),
    by name, with their portions (the first is the serving)."""
    foods = Food.objects.filter(own_food__user=user)
    if kind is not None:
        foods = foods.filter(data_type=kind)
    return foods.prefetch_related(
        Prefetch("portions", queryset=Portion.objects.order_by("seq", "id"))
    ).order_by("name", "id")


def own_food(*, user: User, food_id: int) -> Food:
    """One of the person's own foods; another person's is Food.DoesNotExist."""
    return Food.objects.get(pk=food_id, own_food__user=user)


def recipes_for(*, user: User) -> QuerySet[Recipe]:
    return (
        Recipe.objects.filter(food__own_food__user=user)
        .select_related("food")
        .prefetch_related(
            Prefetch("ingredients", RecipeIngredient.objects.select_related("food")),
            Prefetch("food__portions", queryset=Portion.objects.order_by("seq", "id")),
        )
        .order_by("food__name", "food_id")
    )


def recipe_for(*, user: User, food_id: int) -> Recipe:
    """One of the person's recipes with its ingredients; another person's is DoesNotExist."""
    return recipes_for(user=user).get(food_id=food_id)


def ingredient_for(*, user: User, pk: int, recipe_food_id: int | None = None) -> RecipeIngredient:
    """An ingredient of one of the person's recipes; DoesNotExist otherwise."""
    found = RecipeIngredient.objects.select_related("recipe__food").filter(
        pk=pk, recipe__food__own_food__user=user
    )
    if recipe_food_id is not None:
        found = found.filter(recipe__food_id=recipe_food_id)
    return found.get()


# --- Entries and doses ----------------------------------------------------------------------------


def entries_for(
    *, user: User, day: date | None = None, start: date | None = None, end: date | None = None
) -> QuerySet[DiaryEntry]:
    """The person's entries (newest day first), with food and portion."""
    entries = DiaryEntry.objects.for_user(user).select_related("food", "portion")
    if day is not None:
        entries = entries.on_day(day)
    if start is not None:
        entries = entries.filter(date__gte=start)
    if end is not None:
        entries = entries.filter(date__lte=end)
    return entries.order_by("-date", "created_at", "id")


def entry_for(*, user: User, pk: int) -> DiaryEntry:
    """One of the person's entries; another person's is DoesNotExist (a 404)."""
    return DiaryEntry.objects.for_user(user).select_related("food", "portion").get(pk=pk)


def intakes_for(*, user: User, day: date | None = None) -> QuerySet[SupplementIntake]:
    intakes = SupplementIntake.objects.for_user(user).select_related("supplement")
    if day is not None:
        intakes = intakes.on_day(day)
    return intakes.order_by("-date", "taken_at", "id")


def intake_for(*, user: User, pk: int) -> SupplementIntake:
    return SupplementIntake.objects.for_user(user).select_related("supplement").get(pk=pk)


# --- Supplement products --------------------------------------------------------------------------


def current_supplements(*, user: User) -> QuerySet[Supplement]:
    """The products on the person's list (archived ones keep their doses but are off it)."""
    return Supplement.objects.filter(user=user, archived=False)


def supplement_for(*, user: User, pk: int) -> Supplement:
    """One product on the person's list; DoesNotExist otherwise."""
    return current_supplements(user=user).get(pk=pk)


def supplement_briefs(*, user: User) -> list[SupplementBrief]:
    """The person's current supplement products as plain values, for the dose picker."""
    return [
        SupplementBrief(*row)
        for row in current_supplements(user=user).values_list(
            "id", "name", "form", "elemental_mg_per_unit"
        )
    ]


# --- Favourite and recent foods -------------------------------------------------------------------


def favourites_for(*, user: User) -> QuerySet[FavouriteFood]:
    """The person's favourites whose food they may still use, newest first."""
    return (
        FavouriteFood.objects.filter(user=user)
        .filter(visible_food(user, "food__"))
        .select_related("food")
        .order_by("-created_at", "-id")
    )


def is_favourite(*, user: User, food_id: int) -> bool:
    return FavouriteFood.objects.filter(user=user, food_id=food_id).exists()


def favourite_ids(*, user: User, food_ids: set[int]) -> set[int]:
    """Which of these foods are the person's favourites (one query; the rows a change
    swaps in show their star without reading the cached pickers again)."""
    if not food_ids:
        return set()
    return set(
        FavouriteFood.objects.filter(user=user, food_id__in=food_ids).values_list(
            "food_id", flat=True
        )
    )


def addable_food(*, user: User, pk: int) -> Food | None:
    """A food the person may log, with its data source (an add row shows it again)."""
    return visible_foods(user).select_related("data_source").filter(pk=pk).first()


def favourite_foods(*, user: User) -> list[FoodBrief]:
    """The person's favourite foods as plain values, newest first."""
    return briefs(favourites_for(user=user).values_list(*(f"food__{f}" for f in BRIEF_FIELDS)))


def recent_foods(*, user: User, limit: int = 8) -> list[FoodBrief]:
    """Foods from the person's latest entries, newest first, each once (one query that reads
    a bounded window of entries, so a long diary costs no more than a short one)."""
    rows = (
        DiaryEntry.objects.for_user(user)
        .order_by("-created_at", "-id")
        .values_list(*(f"food__{name}" for name in BRIEF_FIELDS))[:RECENT_WINDOW]
    )
    foods: dict[int, FoodBrief] = {}
    for row in rows:
        if row[0] not in foods:
            foods[row[0]] = FoodBrief(*row)
            if len(foods) == limit:
                break
    return list(foods.values())


def portions_by_food(*, food_ids: set[int]) -> dict[int, list[Portion]]:
    """The household portions of several foods in one query, for the pickers."""
    portions: dict[int, list[Portion]] = defaultdict(list)
    for portion in Portion.objects.filter(food_id__in=food_ids).order_by("food_id", "seq"):
        portions[portion.food_id].append(portion)
    return dict(portions)


def support_counts(user: User) -> dict[str, int]:
    """How much a person keeps in their diary, for support staff: counts, never contents
    (the admin's user page asks through the registry, "accounts.support_counts")."""
    return {
        "diary entries": DiaryEntry.objects.filter(user=user).count(),
        "doses": SupplementIntake.objects.filter(user=user).count(),
        "supplements": Supplement.objects.filter(user=user).count(),
        "own foods": OwnFood.objects.filter(user=user).count(),
    }
