"""Number formatting for the diary pages."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def plain(value: Decimal | float | int | None) -> str:
    """A number without trailing zeros: 0.500 -> 0.5, 180.00 -> 180."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def mg(value: Decimal | float | int | None) -> str:
    """Milligrams for reading: whole numbers from 10 up, one decimal below."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    places = Decimal("1") if abs(number) >= 10 else Decimal("0.1")
    return plain(number.quantize(places, rounding=ROUND_HALF_UP))


SOURCE_LABELS = {"usda-sr28": "USDA SR28", "usda-fdc": "USDA FoodData Central", "custom": "custom"}


@register.filter
def source_label(slug: str) -> str:
    """A short name for where a food's values come from."""
    return SOURCE_LABELS.get(slug, slug)
