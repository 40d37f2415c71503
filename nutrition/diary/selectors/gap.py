"""Closing the gap: foods that would bring a day up to the target, with the amount needed."""

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User
from nutrition import amounts
from nutrition.diary.models import portion_label
from nutrition.diary.selectors.day import FoodBrief
from nutrition.diary.selectors.lists import (
    BRIEF_FIELDS,
    briefs,
    favourite_foods,
    portions_by_food,
)
from nutrition.foods.models import Food, Portion

# Magnesium-dense everyday foods from SR28, by NDB number (DOMAIN.md's seed foods).
GAP_FOOD_NDB_NUMBERS = (
    "12014",  # pumpkin seed kernels, dried
    "12006",  # chia seeds
    "12061",  # almonds
    "12087",  # cashews, raw
    "19904",  # dark chocolate, 70-85 % cacao
    "11458",  # spinach, boiled
    "11148",  # Swiss chard, boiled
    "16015",  # black beans, boiled
    "11212",  # edamame
    "20137",  # quinoa, cooked
    "16070",  # lentils, boiled
    "20037",  # brown rice, cooked
    "09037",  # avocado
)
MAX_SUGGESTED_GRAMS = Decimal("400")  # beyond this a food cannot sensibly close the gap
# Household counts go in quarters ("0.75 cup") up to this many, in whole units above it
# ("about 100 almonds" rather than "99.25").
QUARTERS_BELOW = Decimal("10")
QUARTER = Decimal("0.25")


@dataclass(frozen=True)
class Suggestion:
    food: FoodBrief
    grams: Decimal
    portion: Portion | None
    quantity: Decimal | None
    favourite: bool
    net_carbs_g: Decimal | None

    @property
    def portion_label(self) -> str | None:
        if self.portion is None:
            return None
        return portion_label(self.quantity, self.portion.description)


def household_count(exact: Decimal) -> Decimal:
    """How many of a household unit to suggest for an exact count: enough to cover it, in
    quarters below ten and whole units from ten up, at least a quarter."""
    step = QUARTER if exact < QUARTERS_BELOW else amounts.ONE
    return max(amounts.round_up(exact, step), QUARTER)


def _suggest(
    food: FoodBrief,
    portions: list[Portion],
    remaining_mg: Decimal,
    *,
    favourite: bool,
    net_carbs_budget_g: Decimal | None,
) -> Suggestion | None:
    per_100g = food.magnesium_mg_per_100g
    if not per_100g or per_100g <= 0:
        return None
    grams = max(amounts.whole(amounts.grams_for(remaining_mg, per_100g)), amounts.ONE)
    if grams > MAX_SUGGESTED_GRAMS:
        return None
    # The household measure that covers the gap with the least overshoot.
    portion, quantity, best_grams = None, None, None
    for candidate in portions:
        count = household_count(grams * candidate.amount / candidate.gram_weight)
        weight = amounts.portion_grams(count, candidate.amount, candidate.gram_weight)
        if best_grams is None or weight < best_grams:
            portion, quantity, best_grams = candidate, count, weight
    if best_grams is not None:
        grams = amounts.whole(best_grams)
    carbs = amounts.shown(amounts.in_grams(grams, food.net_carbs_g_per_100g))
    if net_carbs_budget_g is not None and (carbs is None or carbs > net_carbs_budget_g):
        return None
    return Suggestion(food, grams, portion, quantity, favourite, carbs)


def generic_gap_foods(limit: int = 5) -> list[FoodBrief]:
    """Magnesium-dense everyday foods, richest first (the richest public foods with household
    portions when SR28 is not loaded)."""
    generic = briefs(
        Food.objects.public()
        .filter(data_source__slug="usda-sr28", source_id__in=GAP_FOOD_NDB_NUMBERS)
        .order_by("-magnesium_mg_per_100g")
        .values_list(*BRIEF_FIELDS)
    )
    if not generic:
        generic = briefs(
            Food.objects.public()
            .filter(magnesium_mg_per_100g__gt=0, portions__isnull=False)
            .distinct()
            .order_by("-magnesium_mg_per_100g")
            .values_list(*BRIEF_FIELDS)[: limit * 2]
        )
    return generic


def gap_candidates(
    *,
    user: User,
    favourites: list[FoodBrief] | None = None,
    generic: list[FoodBrief] | None = None,
    limit: int = 5,
) -> list[tuple[FoodBrief, bool]]:
    """Foods that could close a gap, each with whether it is a favourite: the person's
    favourites first, then magnesium-dense everyday foods (`generic_gap_foods`). Pass either
    list when it was read already."""
    if favourites is None:
        favourites = favourite_foods(user=user)
    if generic is None:
        generic = generic_gap_foods(limit)
    seen: set[int] = set()
    candidates = []
    for food, is_favourite in [(f, True) for f in favourites] + [(f, False) for f in generic]:
        if food.pk not in seen:
            seen.add(food.pk)
            candidates.append((food, is_favourite))
    return candidates


def gap_suggestions(
    *,
    user: User,
    remaining_mg: Decimal,
    limit: int = 5,
    net_carbs_budget_g: Decimal | None = None,
    candidates: list[tuple[FoodBrief, bool]] | None = None,
    portions: dict[int, list[Portion]] | None = None,
) -> list[Suggestion]:
    """Foods that would cover `remaining_mg`, with the amount needed (see `gap_candidates`).

    Pass `candidates` and their `portions` when they were read already (the day page has
    them from its cached pickers)."""
    if remaining_mg <= 0:
        return []
    if candidates is None:
        candidates = gap_candidates(user=user, limit=limit)
    if portions is None:
        portions = portions_by_food(food_ids={food.pk for food, _ in candidates})
    suggestions = []
    for food, is_favourite in candidates:
        suggestion = _suggest(
            food,
            portions.get(food.pk, []),
            remaining_mg,
            favourite=is_favourite,
            net_carbs_budget_g=net_carbs_budget_g,
        )
        if suggestion is not None:
            suggestions.append(suggestion)
        if len(suggestions) == limit:
            break
    return suggestions
