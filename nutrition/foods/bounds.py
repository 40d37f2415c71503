"""Physical bounds of the values a food may store, checked before any save (custom foods,
recipes, the admin, imports) and mirrored by CHECK constraints in the database.

100 g of a food cannot hold more than 100 g of anything; the energy of pure fat is about
900 kcal per 100 g (USDA's highest value is 902 kcal, lard). Magnesium above 1,000 mg per
100 g is a typing mistake in practice (USDA's highest is 781 mg, rice bran): only an admin
may store it, after confirming it.
"""

from decimal import Decimal

# The most 100 g of a food may hold, by the nutrient's unit (SR28 units).
PER_100G_LIMITS: dict[str, Decimal] = {
    "g": Decimal("100"),
    "mg": Decimal("100000"),
    "µg": Decimal("100000000"),
    "kcal": Decimal("1000"),
    "kJ": Decimal("4200"),
}
# The column's own capacity (12 digits, 4 places) bounds any other unit (IU), and µg too.
COLUMN_LIMIT = Decimal("99999999.9999")
MAGNESIUM_CONFIRM_ABOVE_MG = Decimal("1000")
MAGNESIUM_LIMIT_MG = PER_100G_LIMITS["mg"]
# The per-food summary columns (10 digits, 3 places) follow these nutrients' values: whatever
# unit a nutrient row says, the figure kept on the food stays within its column's bound.
SUMMARY_LIMITS: dict[str, Decimal] = {
    "magnesium": MAGNESIUM_LIMIT_MG,  # magnesium_mg_per_100g
    "energy_kcal": PER_100G_LIMITS["kcal"],  # energy_kcal_per_100g
    "carbohydrate": PER_100G_LIMITS["g"],  # net_carbs_g_per_100g (carbohydrate − fibre)
    "fiber": PER_100G_LIMITS["g"],
}
# Household portions and servings: a dash of salt weighs 0.1 g in SR28; 10 kg is no portion.
MIN_PORTION_GRAMS = Decimal("0.1")
MAX_PORTION_GRAMS = Decimal("10000")
# "amount × description": SR28's largest count is 240; ten thousand of anything is a typo.
MAX_PORTION_AMOUNT = Decimal("10000")


def per_100g_limit(unit: str, key: str | None = None) -> Decimal:
    """The most 100 g of a food may hold of nutrient `key` measured in `unit`."""
    limit = min(PER_100G_LIMITS.get(unit, COLUMN_LIMIT), COLUMN_LIMIT)
    if key in SUMMARY_LIMITS:
        limit = min(limit, SUMMARY_LIMITS[key])
    return limit


def per_100g_problem(
    *, key: str, unit: str, amount: Decimal, confirmed_high_magnesium: bool = False
) -> str | None:
    """Why `amount` (per 100 g, in `unit`) cannot be stored for nutrient `key`, or None."""
    if not amount.is_finite() or amount < 0:
        return "Enter an amount of 0 or more."
    limit = per_100g_limit(unit, key)
    if amount > limit:
        return (
            f"100 g of a food cannot hold {amount.normalize():f} {unit} (at most {limit:,} {unit})."
        )
    if key == "magnesium" and amount > MAGNESIUM_CONFIRM_ABOVE_MG and not confirmed_high_magnesium:
        return (
            f"{amount.normalize():f} mg of magnesium per 100 g is more than any known food "
            f"(above {MAGNESIUM_CONFIRM_ABOVE_MG:,} mg). Check the amount and the serving weight."
        )
    return None


def portion_grams_problem(grams: Decimal) -> str | None:
    """Why a portion or serving of `grams` (as it would be stored) cannot be saved, or None."""
    if not grams.is_finite() or grams < MIN_PORTION_GRAMS:
        return f"Enter a weight of at least {MIN_PORTION_GRAMS} g."
    if grams > MAX_PORTION_GRAMS:
        return f"Enter a weight of at most {MAX_PORTION_GRAMS:,} g."
    return None


def portion_amount_problem(amount: Decimal) -> str | None:
    """Why a portion's count ("0.5" cup) as it would be stored cannot be saved, or None."""
    if not amount.is_finite() or amount <= 0:
        return "Enter an amount above 0."
    if amount > MAX_PORTION_AMOUNT:
        return f"Enter an amount of at most {MAX_PORTION_AMOUNT:,}."
    return None
