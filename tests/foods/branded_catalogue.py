"""A seeded catalogue of branded products whose names compete with everyday searches, in the
style of FoodData Central's Branded Foods (upper-case names, brand apart, a GTIN and a label
serving). Used by the search tests to check generic foods still come first."""

import random
from decimal import Decimal

from nutrition.foods.barcodes import canonical_gtin
from nutrition.foods.models import DataSource, Food

BRANDS = [
    "KIND",
    "NATURE VALLEY",
    "KIRKLAND SIGNATURE",
    "GREAT VALUE",
    "365 EVERYDAY VALUE",
    "TRADER JOE'S",
    "DOLE",
    "CHIQUITA",
    "BIRDS EYE",
    "GREEN GIANT",
    "BLUE DIAMOND",
    "DIAMOND OF CALIFORNIA",
    "TILLAMOOK",
    "CABOT",
    "SARGENTO",
    "KRAFT",
    "BUSH'S BEST",
    "GOYA",
    "FOLGERS",
    "STARBUCKS",
    "HEINZ",
    "HUNT'S",
    "TROPICANA",
    "SIMPLY ORANGE",
    "EGGLAND'S BEST",
    "VITAL FARMS",
    "BUMBLE BEE",
    "STARKIST",
    "MANITOBA HARVEST",
    "NAVITAS",
    "EARTHBOUND FARM",
    "ORGANIC GIRL",
    "ALEXIA",
    "OCEAN SPRAY",
    "WONDERFUL",
    "PLANTERS",
]
# Names that share their words with the everyday queries (tests/foods/search-dev-queries.tsv).
PRODUCTS = [
    "ORGANIC BABY SPINACH",
    "SPINACH & KALE POWER GREENS",
    "CHOPPED SPINACH",
    "ALMONDS, ROASTED & SALTED",
    "WHOLE NATURAL ALMONDS",
    "SMOKEHOUSE ALMONDS",
    "ALMOND BREEZE ALMONDMILK",
    "BANANA CHIPS",
    "ORGANIC BANANAS",
    "BANANA NUT BREAD",
    "BANANA BREAD MIX",
    "BROCCOLI FLORETS",
    "STEAMFRESH BROCCOLI CUTS",
    "BROCCOLI & CHEESE SAUCE",
    "WALNUTS HALVES & PIECES",
    "CHOPPED WALNUTS",
    "CANDIED WALNUTS",
    "SHARP CHEDDAR CHEESE",
    "EXTRA SHARP WHITE CHEDDAR CHEESE",
    "MILD CHEDDAR CHEESE, SHREDDED",
    "CHEDDAR CHEESE CRACKERS",
    "SWEET POTATO FRIES",
    "SWEET POTATO CHIPS",
    "MASHED SWEET POTATOES",
    "ORANGE JUICE, NO PULP",
    "100% PURE SQUEEZED ORANGE JUICE",
    "ORANGE MARMALADE",
    "MANDARIN ORANGES IN LIGHT SYRUP",
    "WILD ALASKAN SOCKEYE SALMON",
    "ATLANTIC SALMON FILLETS",
    "SMOKED SALMON",
    "PINK SALMON",
    "LARGE GRADE A EGGS",
    "CAGE FREE BROWN EGGS",
    "EGG WHITES",
    "EGG NOODLES",
    "CHICKPEAS",
    "ORGANIC GARBANZO BEANS",
    "ROASTED CHICKPEAS, SEA SALT",
    "CHICKPEA PASTA",
    "HUMMUS, CLASSIC",
    "GROUND COFFEE, MEDIUM ROAST",
    "WHOLE BEAN COFFEE",
    "COLD BREW COFFEE",
    "COFFEE CREAMER",
    "TOMATO KETCHUP",
    "DICED TOMATOES",
    "TOMATO SAUCE",
    "TOMATO PASTE",
    "CHERRY TOMATOES",
    "SWISS CHEESE SLICES",
    "BABY SWISS CHEESE",
    "DARK RED KIDNEY BEANS",
    "LIGHT RED KIDNEY BEANS",
    "HEMP SEEDS",
    "SHELLED HEMP SEEDS",
    "HEMP HEARTS",
    "BLACK BEANS",
    "BROWN RICE",
    "SOYMILK, ORIGINAL",
    "PUMPKIN SEEDS",
    "DARK CHOCOLATE",
    "QUINOA",
    "AVOCADOS",
    "ALMOND BAR",
    "CRUNCHY ALMOND BAR",
    "ALMOND BUTTER BAR",
]
KIND_BARS = [
    "ALMOND & COCONUT BAR",
    "DARK CHOCOLATE NUTS & SEA SALT BAR",
    "ALMOND & APRICOT BAR",
    "HONEY ROASTED ALMOND BAR",
    "CARAMEL ALMOND & SEA SALT BAR",
]
HOUSEHOLD = ["1 bar", "1 cup", "2 tbsp", "1 oz", "1/4 cup", "3 oz", "1 slice", "1 egg"]


def _gtin(rng: random.Random) -> str:
    body = f"{rng.randrange(10**10, 10**11):011d}"  # an 11-digit UPC-A body
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return canonical_gtin(body + str((10 - total % 10) % 10))


def make_branded_foods(count: int = 400, *, seed: int = 16) -> list[Food]:
    """`count` branded products (seeded) and the KIND almond bars, saved in bulk."""
    rng = random.Random(seed)
    source, _ = DataSource.objects.get_or_create(
        slug="usda-fdc", defaults={"name": "USDA FoodData Central"}
    )
    rows = [(name, "KIND") for name in KIND_BARS]
    while len(rows) < count:
        name = rng.choice(PRODUCTS)
        if rng.random() < 0.3:
            name = f"{rng.choice(['ORGANIC', 'NATURAL', 'PREMIUM', 'ORIGINAL'])} {name}"
        rows.append((name, rng.choice(BRANDS[1:])))
    foods = [
        Food(
            data_source=source,
            source_id=str(1_900_000 + i),
            name=name,
            brand=brand,
            data_type=Food.DataType.BRANDED,
            barcode=_gtin(rng),
            serving_size=Decimal(rng.choice([28, 30, 40, 85, 120, 240])),
            serving_size_unit="g",
            household_serving=rng.choice(HOUSEHOLD),
            magnesium_mg_per_100g=Decimal(rng.randrange(0, 200)) if rng.random() < 0.6 else None,
        )
        for i, (name, brand) in enumerate(rows)
    ]
    return Food.objects.bulk_create(foods)
