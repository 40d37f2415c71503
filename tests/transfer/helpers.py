"""Foods in the test database under the names the sample files use, and small export files."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from nutrition.transfer.formats._amounts import grams_in
from tests.foods.factories import FoodFactory, PortionFactory
from tests.transfer.samples import FOODS

IMPORTS = "/api/v1/me/imports/"

SERVINGS_HEADER = "Day,Time,Group,Food Name,Amount,Energy (kcal),Magnesium (mg),Category"
NO_MAGNESIUM_HEADER = "Day,Group,Food Name,Amount,Energy (kcal)"
BIOMETRICS_HEADER = "Day,Time,Group,Metric,Unit,Amount"
MYFITNESSPAL_HEADER = "Date,Meal,Calories,Fat (g),Protein (g),Carbohydrates (g),Note"


def sample_foods() -> dict[str, object]:
    """The sample's foods (tests/transfer/samples.py) as foods of the site, with a portion for
    each household amount the sample logs ("1.00 cup" of spinach weighs 30 g)."""
    made = {}
    for sample in FOODS:
        food = FoodFactory(
            name=sample.name,
            magnesium_mg_per_100g=sample.magnesium_100g,
            energy_kcal_per_100g=sample.kcal_100g,
        )
        seen = set()
        for seq, (amount, grams) in enumerate(sample.portions, start=1):
            if grams_in(amount) is not None:
                continue
            quantity, unit = amount.split(" ", 1)
            if unit in seen:
                continue
            seen.add(unit)
            PortionFactory(
                food=food,
                seq=seq,
                amount=1,
                description=unit,
                gram_weight=grams / Decimal(quantity),
            )
        made[sample.name] = food
    return made


def csv_file(text: str, name: str = "servings.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def servings(*rows: str, header: str = SERVINGS_HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def upload(api, text: str, name: str = "servings.csv", **extra):
    return api.post(IMPORTS, {"file": csv_file(text, name), **extra}, format="multipart")
