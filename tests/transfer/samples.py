"""Realistic exports written for the tests (no real person's data).

`cronometer_servings_csv(days=90, seed=1)` is a Cronometer "Servings" export of `days` days
from `START`: three to seven foods a day in Breakfast, Lunch, Dinner, Snacks and, now and
then, Uncategorized; weighed amounts ("80.00 g"), household ones ("1.00 cup", "1.00 oz") and
recipes ("1.00 full recipe"); names with commas and quotes, blank Time cells, a few foods
without a magnesium value (a blank cell); by default a BOM and CRLF line ends, the harder of
the variants the readers take (`bom=False, crlf=False` for a plain file).
The same seed gives the same file.

`cronometer_servings_sample(...)` gives the text with what was written, computed while
writing (not by reading the file back): the rows, and per day the sum of the magnesium cells
as the Decimals written — so "per-day magnesium equals the file's sums" can be checked
against an independent figure.
"""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

START = date(2026, 3, 1)

# A real servings header with the nutrients of a typical account (Cronometer writes only the
# tracked ones); the reader looks at Day, Time, Group, Food Name, Amount, Energy (kcal) and
# Magnesium (mg).
HEADER = (
    "Day",
    "Time",
    "Group",
    "Food Name",
    "Amount",
    "Energy (kcal)",
    "Caffeine (mg)",
    "Water (g)",
    "B1 (Thiamine) (mg)",
    "B12 (Cobalamin) (µg)",
    "Folate (µg)",
    "Vitamin C (mg)",
    "Calcium (mg)",
    "Iron (mg)",
    "Magnesium (mg)",
    "Potassium (mg)",
    "Sodium (mg)",
    "Zinc (mg)",
    "Carbs (g)",
    "Fiber (g)",
    "Sugars (g)",
    "Fat (g)",
    "Saturated (g)",
    "Protein (g)",
    "Category",
)


@dataclass(frozen=True)
class SampleFood:
    name: str
    category: str
    kcal_100g: Decimal
    magnesium_100g: Decimal | None  # None: the food has no value (a blank cell)
    # How it is logged: (amount as Cronometer writes it, grams it weighs)
    portions: tuple[tuple[str, Decimal], ...]


def _d(text: str) -> Decimal:
    return Decimal(text)


FOODS: tuple[SampleFood, ...] = (
    SampleFood(
        "Oats, Rolled, Dry",
        "Cereal Grains",
        _d("379"),
        _d("138"),
        (("40.00 g", _d("40")), ("80.00 g", _d("80")), ("0.50 cup", _d("40.5"))),
    ),
    SampleFood(
        "Spinach, Raw",
        "Vegetables and Vegetable Products",
        _d("23"),
        _d("79"),
        (("1.00 cup", _d("30")), ("100.00 g", _d("100"))),
    ),
    SampleFood(
        "Almonds, Raw",
        "Nut and Seed Products",
        _d("579"),
        _d("270"),
        (("1.00 oz", _d("28.35")), ("20.00 g", _d("20"))),
    ),
    SampleFood(
        "Pumpkin Seeds, Roasted, Unsalted",
        "Nut and Seed Products",
        _d("574"),
        _d("550"),
        (("2.00 tbsp", _d("16")), ("30.00 g", _d("30"))),
    ),
    SampleFood(
        "Black Beans, Boiled",
        "Legumes and Legume Products",
        _d("132"),
        _d("70"),
        (("1.00 cup", _d("172")), ("150.00 g", _d("150"))),
    ),
    SampleFood(
        "Banana, Raw",
        "Fruits and Fruit Juices",
        _d("89"),
        _d("27"),
        (("1.00 medium", _d("118")),),
    ),
    SampleFood(
        "Salmon, Atlantic, Farmed, Cooked",
        "Finfish and Shellfish Products",
        _d("206"),
        _d("30"),
        (("150.00 g", _d("150")), ("6.00 oz", _d("170.1"))),
    ),
    SampleFood(
        "Yogurt, Greek, Plain, Nonfat",
        "Dairy and Egg Products",
        _d("59"),
        _d("11"),
        (("170.00 g", _d("170")), ("1.00 container", _d("170"))),
    ),
    SampleFood(
        "Dark Chocolate, 70-85% Cacao",
        "Sweets",
        _d("598"),
        _d("228"),
        (("20.00 g", _d("20")),),
    ),
    SampleFood(
        'Bread, "Ezekiel 4:9", Sprouted',
        "Baked Products",
        _d("250"),
        _d("55"),
        (("1.00 slice", _d("34")), ("2.00 slice", _d("68"))),
    ),
    SampleFood(
        "Coffee, Brewed",
        "Beverages",
        _d("1"),
        _d("3"),
        (("1.00 cup", _d("237")),),
    ),
    SampleFood(
        "Grandma's Lentil Soup",  # a custom recipe: no magnesium value known
        "",
        _d("95"),
        None,
        (("1.00 full recipe", _d("400")), ("1.00 serving", _d("250"))),
    ),
    SampleFood(
        "Rice, Brown, Long-Grain, Cooked",
        "Cereal Grains and Pasta",
        _d("123"),
        _d("39"),
        (("1.00 cup", _d("195")), ("150.00 g", _d("150"))),
    ),
    SampleFood(
        "Avocado, Raw, All Commercial Varieties",
        "Fruits and Fruit Juices",
        _d("160"),
        _d("29"),
        (("0.50 fruit", _d("100")),),
    ),
)
GROUPS = ("Breakfast", "Lunch", "Dinner", "Snacks")
TWO = Decimal("0.01")


def _two(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass
class Sample:
    text: str
    rows: int = 0
    # Per day, the sum of the magnesium cells written (blank cells left out).
    magnesium_by_day: dict[date, Decimal] = field(default_factory=dict)
    # (line, day, group, name, amount, magnesium as written or None), in file order
    lines: list[tuple[int, date, str, str, str, Decimal | None]] = field(default_factory=list)


def cronometer_servings_sample(
    days: int = 90,
    seed: int = 1,
    *,
    start: date = START,
    bom: bool = True,
    crlf: bool = True,
) -> Sample:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(HEADER)
    sums: dict[date, Decimal] = defaultdict(Decimal)
    lines = []
    line = 1
    for offset in range(days):
        day = start + timedelta(days=offset)
        for _ in range(rng.randint(3, 7)):
            food = rng.choice(FOODS)
            amount, grams = rng.choice(food.portions)
            group = "Uncategorized" if rng.random() < 0.08 else rng.choice(GROUPS)
            hour = {"Breakfast": 7, "Lunch": 12, "Dinner": 18}.get(group, rng.randint(9, 21))
            clock = f"{(hour - 1) % 12 + 1:02d}:{rng.randint(0, 59):02d}"
            time = "" if rng.random() < 0.2 else f"{clock} {'AM' if hour < 12 else 'PM'}"
            kcal = _two(grams * food.kcal_100g / 100)
            magnesium = (
                None if food.magnesium_100g is None else _two(grams * food.magnesium_100g / 100)
            )
            values = {
                "Day": day.isoformat(),
                "Time": time,
                "Group": group,
                "Food Name": food.name,
                "Amount": amount,
                "Energy (kcal)": f"{kcal}",
                "Magnesium (mg)": "" if magnesium is None else f"{magnesium}",
                "Category": food.category,
            }
            # The other nutrients: plausible figures the reader does not look at.
            row = [
                values.get(h, f"{_two(grams * Decimal(rng.randint(0, 90)) / 1000)}") for h in HEADER
            ]
            writer.writerow(row)
            line += 1
            lines.append((line, day, group, food.name, amount, magnesium))
            if magnesium is not None:
                sums[day] += magnesium
    text = out.getvalue()
    return Sample(
        text=("\ufeff" if bom else "") + text,
        rows=len(lines),
        magnesium_by_day=dict(sums),
        lines=lines,
    )


def cronometer_servings_csv(days: int = 90, seed: int = 1) -> str:
    """A Cronometer servings export of `days` days (see the module's docstring)."""
    return cronometer_servings_sample(days, seed).text
