"""Number formatting for the diary pages."""

from decimal import Decimal

from django import template

from nutrition import amounts

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
    """An amount as shown everywhere: half-up to 0.1 (`nutrition.amounts.shown`)."""
    if value is None or value == "":
        return "–"
    return amounts.shown_text(Decimal(str(value)))


SOURCE_LABELS = {"usda-sr28": "USDA SR28", "usda-fdc": "USDA FoodData Central", "custom": "custom"}


@register.filter
def source_label(slug: str) -> str:
    """A short name for where a food's values come from."""
    return SOURCE_LABELS.get(slug, slug)
