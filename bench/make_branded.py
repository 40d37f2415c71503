"""Write a synthetic FoodData Central Branded Foods download of N products (seeded).

    python bench/make_branded.py 1000000 /tmp/fdc-branded-1m [--seed 16]

The folder gets the files `load_usda --format fdc` reads, in USDA's own CSV layout (every
field quoted, columns named as in the real download): food.csv, branded_food.csv,
food_nutrient.csv, nutrient.csv, measure_unit.csv, food_category.csv and an empty
food_portion.csv. Names are built to compete with everyday searches ("ORGANIC BABY SPINACH",
"ALMONDS, ROASTED & SALTED", "KIND DARK CHOCOLATE NUTS & SEA SALT BAR"); barcodes come in
their 12-, 13- and 14-digit forms; each product has about twenty label nutrients, magnesium
for two in three. The same seed gives the same files, byte for byte. Keep the output out of
the repository (1,000,000 products is about 1.5 GB).
"""

import argparse
import csv
import random
import sys
import time
from pathlib import Path

# FoodData Central nutrient ids, names, units and SR numbers of the label nutrients.
NUTRIENTS = [
    ("1003", "Protein", "G", "203", "600"),
    ("1004", "Total lipid (fat)", "G", "204", "800"),
    ("1005", "Carbohydrate, by difference", "G", "205", "1110"),
    ("1008", "Energy", "KCAL", "208", "300"),
    ("1079", "Fiber, total dietary", "G", "291", "1200"),
    ("2000", "Sugars, total including NLEA", "G", "269", "1510"),
    ("1235", "Sugars, added", "G", "539", "1540"),
    ("1087", "Calcium, Ca", "MG", "301", "5300"),
    ("1089", "Iron, Fe", "MG", "303", "5400"),
    ("1090", "Magnesium, Mg", "MG", "304", "5500"),
    ("1091", "Phosphorus, P", "MG", "305", "5600"),
    ("1092", "Potassium, K", "MG", "306", "5700"),
    ("1093", "Sodium, Na", "MG", "307", "5800"),
    ("1095", "Zinc, Zn", "MG", "309", "5900"),
    ("1104", "Vitamin A, IU", "IU", "318", "7500"),
    ("1162", "Vitamin C, total ascorbic acid", "MG", "401", "6300"),
    ("1110", "Vitamin D (D2 + D3), International Units", "IU", "324", "8650"),
    ("1253", "Cholesterol", "MG", "601", "15700"),
    ("1257", "Fatty acids, total trans", "G", "605", "15400"),
    ("1258", "Fatty acids, total saturated", "G", "606", "9700"),
    ("1165", "Thiamin", "MG", "404", "6400"),
    ("1166", "Riboflavin", "MG", "405", "6500"),
]

BRANDS = [
    ("KIND", "KIND LLC"),
    ("NATURE'S PATH", "Nature's Path Foods"),
    ("BLUE DIAMOND", "Blue Diamond Growers"),
    ("WONDERFUL", "Wonderful Pistachios & Almonds"),
    ("EARTHBOUND FARM", "Earthbound Farm"),
    ("GREAT VALUE", "Walmart Inc."),
    ("KIRKLAND SIGNATURE", "Costco Wholesale Corporation"),
    ("365 EVERYDAY VALUE", "Whole Foods Market"),
    ("TRADER JOE'S", "Trader Joe's"),
    ("QUAKER", "The Quaker Oats Company"),
    ("BOB'S RED MILL", "Bob's Red Mill Natural Foods"),
    ("CLIF BAR", "Clif Bar & Company"),
    ("LARABAR", "General Mills"),
    ("BIRDS EYE", "Conagra Brands"),
    ("GOYA", "Goya Foods"),
    ("BUSH'S BEST", "Bush Brothers & Company"),
    ("SIMPLY ORGANIC", "Frontier Co-op"),
    ("LINDT", "Lindt & Sprungli"),
    ("GHIRARDELLI", "Ghirardelli Chocolate Company"),
    ("SILK", "Danone"),
    ("CHOBANI", "Chobani LLC"),
    ("FAGE", "Fage USA"),
    ("DOLE", "Dole Packaged Foods"),
    ("DEL MONTE", "Del Monte Foods"),
    ("", "Private Label Holdings"),  # owner only: brand = brand_owner
]

# (name template pieces, category, serving grams, household serving, magnesium mg/100 g range)
PRODUCTS = [
    ("BABY SPINACH", "Pre-Packaged Fruit & Vegetables", 85, "3 cups", (60, 90)),
    ("SPINACH", "Frozen Vegetables", 85, "1 cup", (50, 85)),
    (
        "ALMONDS, ROASTED & SALTED",
        "Popcorn, Peanuts, Seeds & Related Snacks",
        28,
        "1/4 cup",
        (250, 290),
    ),
    ("ALMONDS", "Popcorn, Peanuts, Seeds & Related Snacks", 28, "23 almonds", (250, 290)),
    ("ALMOND BUTTER", "Nut & Seed Butters", 32, "2 tbsp", (250, 300)),
    ("PUMPKIN SEEDS", "Popcorn, Peanuts, Seeds & Related Snacks", 30, "1/4 cup", (450, 600)),
    ("DARK CHOCOLATE NUTS & SEA SALT BAR", "Snack, Energy & Granola Bars", 40, "1 bar", (90, 140)),
    ("DARK CHOCOLATE 70% CACAO", "Chocolate", 40, "4 squares", (150, 230)),
    ("OATMEAL", "Cereal", 40, "1/2 cup", (120, 140)),
    ("ROLLED OATS", "Cereal", 40, "1/2 cup", (130, 150)),
    ("BLACK BEANS", "Canned & Bottled Beans", 130, "1/2 cup", (40, 70)),
    ("CHICKPEAS", "Canned & Bottled Beans", 130, "1/2 cup", (25, 50)),
    ("BROWN RICE", "Rice", 45, "1/4 cup", (40, 140)),
    ("QUINOA", "Grains", 45, "1/4 cup", (150, 200)),
    ("GREEK YOGURT, PLAIN", "Yogurt", 170, "1 container", (10, 15)),
    ("ALMONDMILK, UNSWEETENED", "Plant Based Milk", 240, "1 cup", (5, 10)),
    ("BANANA CHIPS", "Snack, Energy & Granola Bars", 30, "1/3 cup", (60, 80)),
    ("AVOCADO", "Pre-Packaged Fruit & Vegetables", 50, "1/3 avocado", (25, 30)),
    (
        "CASHEWS, HALVES & PIECES",
        "Popcorn, Peanuts, Seeds & Related Snacks",
        28,
        "1/4 cup",
        (250, 300),
    ),
    ("PEANUT BUTTER, CREAMY", "Nut & Seed Butters", 32, "2 tbsp", (150, 180)),
    ("WHOLE WHEAT BREAD", "Breads & Buns", 43, "1 slice", (70, 90)),
    ("GRANOLA, HONEY ALMOND", "Cereal", 55, "2/3 cup", (80, 120)),
    ("FROZEN BROCCOLI FLORETS", "Frozen Vegetables", 85, "1 cup", (18, 25)),
    ("KALE CHIPS", "Chips, Pretzels & Snacks", 28, "1 oz", (60, 100)),
    ("SALMON FILLETS", "Frozen Fish & Seafood", 113, "1 fillet", (25, 35)),
    ("TOFU, EXTRA FIRM", "Other Meats", 85, "3 oz", (30, 60)),
    ("ORANGE JUICE", "Fruit & Vegetable Juice, Nectars & Fruit Drinks", 240, "8 fl oz", (8, 12)),
    ("CHIA SEEDS", "Popcorn, Peanuts, Seeds & Related Snacks", 12, "1 tbsp", (300, 340)),
    ("TRAIL MIX", "Popcorn, Peanuts, Seeds & Related Snacks", 30, "3 tbsp", (100, 160)),
    ("POTATO CHIPS, SEA SALT", "Chips, Pretzels & Snacks", 28, "1 oz", (50, 70)),
]
QUALIFIERS = [
    "",
    "",
    "ORGANIC ",
    "ORGANIC ",
    "NATURAL ",
    "LIGHTLY SALTED ",
    "UNSALTED ",
    "FAMILY SIZE ",
    "NON-GMO ",
    "GLUTEN FREE ",
    "PREMIUM ",
]
SUFFIXES = ["", "", "", ", VALUE PACK", ", SNACK SIZE", " 12 OZ", " (2 PACK)", ", ORIGINAL"]
INGREDIENTS = [
    "ALMONDS",
    "SEA SALT",
    "DARK CHOCOLATE (CHOCOLATE LIQUOR, CANE SUGAR, COCOA BUTTER)",
    "HONEY",
    "ORGANIC BABY SPINACH",
    "ROLLED OATS",
    "SUNFLOWER OIL",
    "RICE FLOUR",
    "NATURAL FLAVOR",
    "CHICORY ROOT FIBER",
    "PEANUTS",
    "WATER",
    "SOY LECITHIN",
    "VITAMIN E (MIXED TOCOPHEROLS)",
]


def _gtin(rng: random.Random, n: int) -> str:
    """A GS1 code with a valid check digit, written in its 12-, 13- or 14-digit form."""
    body = f"{rng.randrange(10**10):010d}" + f"{n % 10}"  # 11 digits of a UPC-A
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    upc = body + str((10 - total % 10) % 10)
    return ("", "0", "00")[n % 3] + upc


def _quote(values) -> str:
    return ",".join(f'"{v}"' for v in values) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--first-id", type=int, default=3_000_000)
    args = parser.parse_args(argv)
    if (Path(__file__).resolve().parent.parent in args.folder.resolve().parents) or (
        args.folder.resolve() == Path(__file__).resolve().parent.parent
    ):
        sys.exit("write the data outside the repository")
    rng = random.Random(args.seed)
    folder = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    with (folder / "nutrient.csv").open("w", encoding="utf-8") as f:
        f.write(_quote(["id", "name", "unit_name", "nutrient_nbr", "rank"]))
        for row in NUTRIENTS:
            f.write(_quote(row))
    with (folder / "measure_unit.csv").open("w", encoding="utf-8") as f:
        f.write(_quote(["id", "name"]))
        f.write(_quote(["1000", "cup"]))
        f.write(_quote(["9999", "undetermined"]))
    with (folder / "food_category.csv").open("w", encoding="utf-8") as f:
        f.write(_quote(["id", "code", "description"]))
        f.write(_quote(["11", "1100", "Vegetables and Vegetable Products"]))
    with (folder / "food_portion.csv").open("w", encoding="utf-8") as f:
        f.write(
            _quote(
                [
                    "id",
                    "fdc_id",
                    "seq_num",
                    "amount",
                    "measure_unit_id",
                    "portion_description",
                    "modifier",
                    "gram_weight",
                    "data_points",
                    "footnote",
                    "min_year_acquired",
                ]
            )
        )

    food_header = ["fdc_id", "data_type", "description", "food_category_id", "publication_date"]
    branded_header = [
        "fdc_id",
        "brand_owner",
        "brand_name",
        "subbrand_name",
        "gtin_upc",
        "ingredients",
        "not_a_significant_source_of",
        "serving_size",
        "serving_size_unit",
        "household_serving_fulltext",
        "branded_food_category",
        "data_source",
        "package_weight",
        "modified_date",
        "available_date",
        "market_country",
        "discontinued_date",
        "preparation_state_code",
        "trade_channel",
        "short_description",
    ]
    value_header = [
        "id",
        "fdc_id",
        "nutrient_id",
        "amount",
        "data_points",
        "derivation_id",
        "min",
        "max",
        "median",
        "loq",
        "footnote",
        "min_year_acquired",
        "percent_daily_value",
    ]
    value_id = 30_000_000
    with (
        (folder / "food.csv").open("w", encoding="utf-8", newline="") as foods,
        (folder / "branded_food.csv").open("w", encoding="utf-8", newline="") as branded_file,
        (folder / "food_nutrient.csv").open("w", encoding="utf-8") as values,
    ):
        food_csv = csv.writer(foods, quoting=csv.QUOTE_ALL, lineterminator="\n")
        branded_csv = csv.writer(branded_file, quoting=csv.QUOTE_ALL, lineterminator="\n")
        food_csv.writerow(food_header)
        branded_csv.writerow(branded_header)
        values.write(_quote(value_header))
        for n in range(args.count):
            fdc_id = args.first_id + n
            brand, owner = rng.choice(BRANDS)
            name, category, grams, household, (mg_low, mg_high) = rng.choice(PRODUCTS)
            description = f"{rng.choice(QUALIFIERS)}{name}{rng.choice(SUFFIXES)}"
            if brand == "KIND" and rng.random() < 0.5:
                description = f"KIND {description}"
            published = f"20{rng.randrange(19, 25)}-{rng.randrange(1, 13):02d}-15"
            food_csv.writerow([fdc_id, "branded_food", description, category, published])
            unit = "ml" if "JUICE" in name or "MILK" in name else "g"
            ingredients = ", ".join(rng.sample(INGREDIENTS, rng.randrange(2, 7)))
            branded_csv.writerow(
                [
                    fdc_id,
                    owner,
                    brand,
                    "",
                    _gtin(rng, n),
                    ingredients,
                    "",
                    grams,
                    unit,
                    household,
                    category,
                    "GDSN" if n % 4 else "LI",
                    "",
                    published,
                    published,
                    "United States",
                    "",
                    "",
                    "",
                    "",
                ]
            )
            magnesium = rng.random() < 0.66
            carbs = round(rng.uniform(0, 70), 2)
            fat = round(rng.uniform(0, min(60, 100 - carbs)), 2)
            protein = round(rng.uniform(0, max(0, 100 - carbs - fat)), 2)
            amounts = {
                "1003": protein,
                "1004": fat,
                "1005": carbs,
                "1008": round(4 * carbs + 4 * protein + 9 * fat),
                "1079": round(rng.uniform(0, carbs / 3), 1),
                "2000": round(rng.uniform(0, carbs / 2), 2),
                "1235": round(rng.uniform(0, carbs / 3), 2),
                "1087": rng.randrange(0, 300),
                "1089": round(rng.uniform(0, 8), 2),
                "1091": rng.randrange(0, 600),
                "1092": rng.randrange(0, 900),
                "1093": rng.randrange(0, 1200),
                "1095": round(rng.uniform(0, 5), 2),
                "1104": rng.randrange(0, 5000),
                "1162": round(rng.uniform(0, 60), 1),
                "1110": rng.randrange(0, 200),
                "1253": rng.randrange(0, 80),
                "1257": 0,
                "1258": round(fat * rng.uniform(0.05, 0.5), 2),
                "1165": round(rng.uniform(0, 1), 3),
            }
            if magnesium:
                amounts["1090"] = rng.randrange(mg_low, mg_high + 1)
            lines = []
            for nutrient_id, amount in amounts.items():
                value_id += 1
                lines.append(
                    f'"{value_id}","{fdc_id}","{nutrient_id}","{amount}","","75","","","","","","",""\n'
                )
            values.write("".join(lines))
            if n and n % 100_000 == 0:
                print(f"{n:,} products, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(f"{args.count:,} products in {folder} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
