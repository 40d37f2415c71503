"""Number formatting for food pages: amounts at a sensible precision, without noise."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from nutrition import amounts
from nutrition.foods.barcodes import shown_gtin
from nutrition.foods.templatetags.units import weight_text

register = template.Library()


def _plain(value: Decimal) -> str:
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def amount(value, decimals=1) -> str:
    """`value` rounded to `decimals` places, trailing zeros dropped: 79.000 → "79"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
        places = max(0, min(int(decimals), 6))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return _plain(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@register.filter
def mg(value) -> str:
    """Milligrams as shown everywhere: half-up to 0.1 (`nutrition.amounts.shown`)."""
    if value is None or value == "":
        return ""
    return amounts.shown_text(Decimal(str(value)))


@register.filter
def portion_label(portion, units: str | None = None) -> str:
    """ "1 cup (30 g)", "0.5 cup, chopped (90 g)"; with US household units
    "1 cup (30 g, 1.1 oz)" (`units.weight_text`)."""
    grams = weight_text(
        portion.gram_weight, units, inner=True, grams_text=amount(portion.gram_weight, 1)
    )
    return f"{amount(portion.amount, 3)} {portion.description} ({grams})"


@register.filter
def barcode(value: str) -> str:
    """A stored 14-digit GTIN as printed on the pack (UPC-A or EAN-13)."""
    return shown_gtin(value or "")


@register.filter
def serving(food) -> str:
    """A branded product's label serving: "40 g (1 bar)", "1 bar", or "" when none."""
    size = getattr(food, "serving_size", None)
    household = getattr(food, "household_serving", "") or ""
    if size is None:
        return household
    text = f"{_plain(Decimal(size))} {food.serving_size_unit or 'g'}"
    return f"{text} ({household})" if household else text
