"""Weights as a person reads them: the one display rule for grams and US household units.

Grams are what is stored; a person who chose "US household" (the profile's `units`) sees
ounces beside them, "85 g (3.0 oz)", and gets household portions (cups, tablespoons, ounces)
offered first. The arithmetic is `nutrition.amounts` (`ounces`, `is_household`); every page
(the day's rows, the food page, recipes, a person's own foods) formats through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol, TypeVar

from django import template

from nutrition import amounts

register = template.Library()

US = "us"
METRIC = "metric"


class _Described(Protocol):
    description: str


P = TypeVar("P", bound=_Described)


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_us(units: str | None) -> bool:
    return units == US


def weight_text(
    grams: Decimal | float | int | None,
    units: str | None,
    *,
    inner: bool = False,
    grams_text: str | None = None,
) -> str:
    """ "85 g", or for US household units "85 g (3.0 oz)" ("85 g, 3.0 oz" with `inner`, for
    text that is already in brackets). Ounces are rounded once, half-up to 0.1. `grams_text`
    is the grams as a page already writes them ("1,250"), when it has its own precision."""
    if grams is None or grams == "":
        return ""
    number = Decimal(str(grams))
    text = f"{_plain(number) if grams_text is None else grams_text} g"
    if not is_us(units):
        return text
    oz = amounts.shown_text(amounts.ounces(number))
    return f"{text}, {oz} oz" if inner else f"{text} ({oz} oz)"


def household_first(portions: Iterable[P], units: str | None) -> list[P]:
    """A food's portions, the household ones (oz, cups, tablespoons) first for US household
    units, each group in its stored order; unchanged for metric."""
    items = list(portions)
    if not is_us(units):
        return items
    return sorted(items, key=lambda p: not amounts.is_household(p.description))


@register.filter
def weight(grams, units: str | None = None) -> str:
    """`{{ grams|weight:units }}`: see `weight_text`."""
    return weight_text(grams, units)


@register.filter
def weight_inner(grams, units: str | None = None) -> str:
    """`{{ grams|weight_inner:units }}` inside brackets: "30 g, 1.1 oz"."""
    return weight_text(grams, units, inner=True)


@register.filter(name="household_first")
def household_first_filter(portions, units: str | None = None) -> list:
    return household_first(portions, units)
