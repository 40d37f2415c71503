"""The day page's pickers, cached: recent and favourite foods with their portions, the
supplement list, and the magnesium-dense foods offered to close a gap.

The day itself (entries, doses, totals) is always read fresh. The pickers change only when the
person logs, stars or keeps something, so they are cached per person under their diary's
`revision` (`DiaryState`), which every such write raises (`mark_changed`) in its own transaction: a
changed diary is a new key in every server process, with no cache entry to delete. Changes
made elsewhere (an admin correcting a public food's name or values) show within
`CACHE_SECONDS`. Reading the pickers costs four queries; a cached read costs none.
"""

from dataclasses import dataclass

from django.db.models import F
from django.utils.safestring import SafeString

from accounts.models import User
from mgsite.caches import local_cache
from nutrition.diary import rows
from nutrition.diary.models import DiaryState
from nutrition.diary.selectors import (
    FoodBrief,
    Person,
    SupplementBrief,
    favourite_foods,
    generic_gap_foods,
    portions_by_food,
    recent_foods,
    supplement_briefs,
)
from nutrition.diary.signals import diary_state_ensure
from nutrition.foods.models import Portion

CACHE_SECONDS = 600
RECENT_LIMIT = 6
GAP_FOODS_KEY = "diary:gap-foods"


@dataclass(frozen=True)
class Pickers:
    recent: list[FoodBrief]
    favourites: list[FoodBrief]
    supplements: list[SupplementBrief]
    portions: dict[int, list[Portion]]  # for every food above
    unit_options: dict[int, SafeString]  # their add rows' unit pickers, made once


@dataclass(frozen=True)
class GapFoods:
    foods: list[FoodBrief]
    portions: dict[int, list[Portion]]


def _read(user: User, units: str) -> Pickers:
    recent = recent_foods(user=user, limit=RECENT_LIMIT)
    favourites = favourite_foods(user=user)
    food_ids = {food.id for food in recent + favourites}
    portions = portions_by_food(food_ids=food_ids) if food_ids else {}
    return Pickers(
        recent=recent,
        favourites=favourites,
        supplements=supplement_briefs(user=user),
        portions=portions,
        unit_options={pk: rows.unit_options(portions.get(pk, []), units) for pk in food_ids},
    )


def pickers_for(*, user: User, person: Person) -> Pickers:
    """The person's pickers, from the cache when their diary has not changed since (and
    their units neither: the unit pickers are made for them)."""
    key = f"diary:pickers:{user.pk}:{person.revision}:{person.units}"
    pickers = local_cache.get(key)
    if pickers is None:
        pickers = _read(user, person.units)
        local_cache.set(key, pickers, CACHE_SECONDS)
    return pickers


def gap_foods() -> GapFoods:
    """The magnesium-dense public foods that close-the-gap offers, with their portions (the
    same for everyone, so cached once)."""
    found = local_cache.get(GAP_FOODS_KEY)
    if found is None:
        foods = generic_gap_foods()
        portions = portions_by_food(food_ids={f.id for f in foods}) if foods else {}
        found = GapFoods(foods=foods, portions=portions)
        local_cache.set(GAP_FOODS_KEY, found, CACHE_SECONDS)
    return found


def mark_changed(user: User) -> None:
    """Call from every write that changes what the pickers show (entries, copies, favourites,
    supplement products, the person's own foods and recipes) and from the clinic's writes
    that the day shows (its notes and personal target are cached under the same revision)."""
    changed = DiaryState.objects.filter(user_id=user.pk).update(revision=F("revision") + 1)
    if not changed:  # an account from before the diary kept its state
        diary_state_ensure(user.pk)
        DiaryState.objects.filter(user_id=user.pk).update(revision=F("revision") + 1)
