"""The one arithmetic for amounts of nutrients: every page, API, export and job calls it.

The rules, in the order they apply:

1. An amount eaten is exact: grams × the food's value per 100 g / 100 (`in_grams`), or the
   figure a diary entry was imported with (`entry_magnesium`, the one rule for an entry); a
   supplement dose is units × elemental magnesium per unit (`dose`). Both are Decimals.
2. Sums add the exact amounts, never rounded ones.
3. What a person sees is rounded once, half-up, to 0.1 (`shown`): 78.25 mg shows as 78.3.
4. Figures shown side by side add up (`DayFigures`): a meal's total and the supplements'
   total are their exact sums rounded; the day's food figure is the sum of its meals and
   the day's total is food plus supplements. So 0.05 + 0.05 + 0.05 mg in one meal is a meal
   and a day of 0.2 mg, and "from food" plus "from supplements" is always the total.

Pure Python (no Django), like `reference.py`, so every layer may use it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
TENTH = Decimal("0.1")
ONE = Decimal("1")
HUNDRED = Decimal("100")
# The international avoirdupois ounce (1959): exact.
OUNCE_GRAMS = Decimal("28.349523125")
# What a US household measures with, as the first word of a portion's description (SR28 and
# FoodData Central write "cup, chopped", "tbsp", "oz", "fl oz", "tsp").
HOUSEHOLD_WORDS = frozenset(
    {
        "oz",
        "ounce",
        "ounces",
        "fl",
        "cup",
        "cups",
        "tbsp",
        "tablespoon",
        "tablespoons",
        "tsp",
        "teaspoon",
        "teaspoons",
    }
)


def in_grams(grams: Decimal, per_100g: Decimal | None) -> Decimal | None:
    """The exact amount of a nutrient in `grams` of a food; None when the food has no value
    (unknown is not zero)."""
    if per_100g is None:
        return None
    return grams * per_100g / HUNDRED


def entry_magnesium(
    grams: Decimal, per_100g: Decimal | None, recorded: Decimal | None = None
) -> Decimal | None:
    """The exact magnesium of a diary entry: the figure it was recorded with when it has one
    (an entry imported from another tracker keeps that tracker's own figure), else
    `in_grams` of the food's value; None when neither is known."""
    if recorded is not None:
        return recorded
    return in_grams(grams, per_100g)


def dose(units: Decimal, per_unit: Decimal) -> Decimal:
    """The exact magnesium in `units` of a supplement with `per_unit` mg each."""
    return units * per_unit


def portion_grams(quantity: Decimal, portion_amount: Decimal, portion_weight: Decimal) -> Decimal:
    """The weight of `quantity` of a household portion that weighs `portion_weight` grams
    for `portion_amount` of its unit ("0.5 cup" of "1 cup = 180 g" is 90 g); exact."""
    return quantity * portion_weight / portion_amount


def ounces(grams: Decimal) -> Decimal:
    """`grams` in avoirdupois ounces, exact (grams stay what is stored; ounces are shown)."""
    return grams / OUNCE_GRAMS


def is_household(description: str) -> bool:
    """Whether a portion is measured in US household units (oz, cups, tablespoons, teaspoons):
    "cup, chopped" and "tbsp" are, "slice" and "large" are not."""
    word = description.strip().lower().replace(",", " ").replace(".", " ").split(" ", 1)[0]
    return word in HOUSEHOLD_WORDS


def per_100g(amount: Decimal, grams: Decimal) -> Decimal:
    """A value per 100 g from the amount in `grams` of a food (a label's serving, a recipe's
    ingredients); exact. `grams` must be above 0."""
    return amount * HUNDRED / grams


def grams_for(amount: Decimal, per_100g_value: Decimal) -> Decimal:
    """The grams of a food that hold `amount` of a nutrient, exact; the value must be above 0."""
    return amount * HUNDRED / per_100g_value


def total(amounts: Iterable[Decimal | None]) -> Decimal:
    """The exact sum, leaving out unknown amounts."""
    return sum((a for a in amounts if a is not None), ZERO)


def shown(value: Decimal | None) -> Decimal | None:
    """The one display rule: half-up to 0.1."""
    if value is None:
        return None
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def shown_text(value: Decimal | None, *, missing: str = "–") -> str:
    """A shown amount as text with its one decimal ("78.3", "420.0")."""
    rounded = shown(value)
    return missing if rounded is None else f"{rounded:f}"


def whole(value: Decimal) -> Decimal:
    """Half-up to a whole number (grams suggested, targets)."""
    return value.quantize(ONE, rounding=ROUND_HALF_UP)


def round_up(value: Decimal, step: Decimal) -> Decimal:
    """The smallest multiple of `step` that is at least `value` (a quarter cup that covers)."""
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def stored(value: Decimal, places: str) -> Decimal:
    """Half-up to the places a database column keeps (callers bound the size first)."""
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percent(part: Decimal | None, whole_amount: Decimal | int | None) -> int | None:
    """`part` as a whole percentage of `whole_amount`, half-up; None without both."""
    if part is None or not whole_amount:
        return None
    return int(whole(part * HUNDRED / Decimal(whole_amount)))


def mean(values: Iterable[Decimal]) -> Decimal | None:
    """The exact mean, or None of nothing."""
    items = list(values)
    if not items:
        return None
    return sum(items, ZERO) / len(items)


@dataclass(frozen=True)
class DayFigures:
    """A day's shown magnesium, which adds up: meals → food, food + supplements → total."""

    meals: dict[str, Decimal]  # meal -> shown total (every meal given, 0.0 when empty)
    food: Decimal
    supplements: Decimal

    @property
    def total(self) -> Decimal:
        return self.food + self.supplements

    @classmethod
    def of(
        cls,
        food_by_meal: Mapping[str, Iterable[Decimal | None]],
        doses: Iterable[Decimal],
    ) -> "DayFigures":
        """From the exact amounts of each meal's entries (None for no value) and of each
        dose."""
        meals = {meal: shown(total(amounts)) for meal, amounts in food_by_meal.items()}
        return cls(
            meals=meals,
            food=sum(meals.values(), ZERO).quantize(TENTH),
            supplements=shown(total(doses)),
        )
