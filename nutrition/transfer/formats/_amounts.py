"""The weight in an amount as a tracker writes it: "80.00 g" is 80 g, "2 oz" is 56.7 g,
"1 x 30 g" is 30 g; "1 cup", "1.5 serving" and "1.00 full recipe" give no weight (a cup of
what? the importer matches the food by name instead).

Exact Decimals throughout: ounces and pounds convert with the international avoirdupois ounce
(nutrition.amounts.OUNCE_GRAMS, exact since 1959); a pound is 16 ounces.
"""

from __future__ import annotations

import re
from decimal import Decimal

from nutrition.amounts import OUNCE_GRAMS

POUND_GRAMS = OUNCE_GRAMS * 16  # 453.59237 g, exact
GRAMS_PER_UNIT: dict[str, Decimal] = {
    "g": Decimal(1),
    "gr": Decimal(1),
    "gram": Decimal(1),
    "grams": Decimal(1),
    "gramme": Decimal(1),
    "grammes": Decimal(1),
    "kg": Decimal(1000),
    "kgs": Decimal(1000),
    "kilogram": Decimal(1000),
    "kilograms": Decimal(1000),
    "mg": Decimal("0.001"),
    "milligram": Decimal("0.001"),
    "milligrams": Decimal("0.001"),
    "oz": OUNCE_GRAMS,
    "ounce": OUNCE_GRAMS,
    "ounces": OUNCE_GRAMS,
    "lb": POUND_GRAMS,
    "lbs": POUND_GRAMS,
    "pound": POUND_GRAMS,
    "pounds": POUND_GRAMS,
}

_NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_UNIT = r"([a-z]+)\.?"
# "80.00 g", "80g", "2 oz"
_WEIGHT = re.compile(rf"{_NUMBER}\s*{_UNIT}", re.ASCII)
# "1 x 30 g", "2 × 30g", "1.5 x 1 oz" (a count of portions of a stated weight)
_TIMES = re.compile(rf"{_NUMBER}\s*[x×*]\s*{_NUMBER}\s*{_UNIT}", re.ASCII)
# The largest weight believed (a day's food is far below): more is a typing slip, not grams.
MAX_GRAMS = Decimal(100_000)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def grams_in(amount_text: str) -> Decimal | None:
    """The weight the amount states, in grams, exact; None when it states none ("1 cup",
    "fl oz" is a volume) or when the figure cannot be a portion eaten."""
    text = " ".join(amount_text.strip().casefold().split())
    if not text:
        return None
    if match := _TIMES.fullmatch(text):
        count, each, unit = _decimal(match[1]), _decimal(match[2]), match[3]
    elif match := _WEIGHT.fullmatch(text):
        count, each, unit = Decimal(1), _decimal(match[1]), match[2]
    else:
        return None
    factor = GRAMS_PER_UNIT.get(unit)
    if factor is None:
        return None
    grams = count * each * factor
    if grams > MAX_GRAMS:
        return None
    return grams
