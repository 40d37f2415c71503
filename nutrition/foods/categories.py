"""The magnesium-rich food categories of the site's seed article, as data.

Each category is a set of USDA food groups and the name patterns that pick its foods out of
them (USDA names start with the food's head noun: "Spinach, raw", "Nuts, almonds"). A food
belongs to a category when it is in one of the groups, its name starts with one of the
prefixes or contains one of the phrases, and it contains none of the exclusions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    group_codes: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def q(self) -> Q:
        """The condition on `Food` rows (case-insensitive on names)."""
        names = [Q(name__istartswith=p) for p in self.prefixes]
        names += [Q(name__icontains=p) for p in self.phrases]
        condition = Q(food_group__code__in=self.group_codes)
        if names:
            condition &= reduce(or_, names)
        for phrase in self.exclude:
            condition &= ~Q(name__icontains=phrase)
        return condition


CATEGORIES: tuple[Category, ...] = (
    Category(
        slug="leafy-greens",
        name="Leafy greens",
        group_codes=("1100",),
        prefixes=(
            "Spinach",
            "Chard",
            "Kale",
            "Collards",
            "Beet greens",
            "Turnip greens",
            "Mustard greens",
            "Dandelion greens",
            "Amaranth leaves",
            "Arugula",
            "Watercress",
            "Lettuce",
            "Cabbage, chinese",
            "Chrysanthemum",
            "Lambsquarters",
            "Purslane",
        ),
        exclude=("souffle",),
    ),
    Category(
        slug="nuts-and-seeds",
        name="Nuts and seeds",
        group_codes=("1200", "1600"),
        prefixes=("Nuts,", "Seeds,", "Peanuts,"),
        exclude=("oil", "milk", "water", "cream", "flour", "meal", "candied", "chocolate"),
    ),
    Category(
        slug="legumes",
        name="Legumes",
        group_codes=("1600", "1100"),
        prefixes=(
            "Beans,",
            "Lentils",
            "Chickpeas",
            "Peas, split",
            "Soybeans",
            "Edamame",
            "Cowpeas",
            "Lupins",
            "Mung beans",
            "Broadbeans",
            "Hummus",
            "Tofu",
            "Tempeh",
            "Natto",
        ),
        exclude=("snap", "sprouted", "soup", "baked"),
    ),
    Category(
        slug="whole-grains",
        name="Whole grains",
        group_codes=("2000", "0800"),
        prefixes=(
            "Quinoa",
            "Rice, brown",
            "Wild rice",
            "Oats",
            "Cereals, oats",
            "Buckwheat",
            "Bulgur",
            "Barley, hulled",
            "Millet",
            "Amaranth grain",
            "Teff",
            "Sorghum grain",
            "Spelt",
            "Wheat, hard red",
            "Wheat, soft",
            "Wheat, durum",
            "Wheat bran",
            "Rye grain",
            "Triticale",
        ),
        phrases=("whole-wheat", "whole wheat", "whole-grain", "whole grain"),
        exclude=("flour",),
    ),
    Category(
        slug="avocado",
        name="Avocado",
        group_codes=("0900",),
        prefixes=("Avocados",),
    ),
    Category(
        slug="dark-chocolate",
        name="Dark chocolate and cocoa",
        group_codes=("1900",),
        prefixes=("Chocolate, dark", "Cocoa, dry powder", "Baking chocolate, unsweetened"),
        phrases=("dark chocolate",),
    ),
)

BY_SLUG = {c.slug: c for c in CATEGORIES}
