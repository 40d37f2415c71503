"""The seeded 3-month Cronometer servings sample (tests/transfer/samples.py) reads back to what
was written: the importer's "per-day magnesium equals the file's sums" rests on it."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from nutrition.transfer.formats import CRONOMETER_SERVINGS, parse
from tests.transfer.samples import START, cronometer_servings_csv, cronometer_servings_sample


def test_three_months_read_with_per_day_magnesium_equal_to_the_files_sums():
    sample = cronometer_servings_sample(days=90, seed=1)
    parsed = parse(sample.text)
    assert parsed.format == CRONOMETER_SERVINGS
    assert parsed.rows == sample.rows == len(parsed.foods)
    assert parsed.skipped == [] and parsed.notes == []
    by_day: dict = defaultdict(Decimal)
    for food in parsed.foods:
        if food.magnesium_mg is not None:
            by_day[food.day] += food.magnesium_mg
    assert by_day == sample.magnesium_by_day
    assert {f.day for f in parsed.foods} == {START + timedelta(days=n) for n in range(90)}
    assert [
        (f.line, f.day, f.group, f.name, f.amount_text, f.magnesium_mg) for f in parsed.foods
    ] == (sample.lines)


def test_the_sample_has_what_real_exports_have():
    text = cronometer_servings_csv()
    assert text.startswith("\ufeffDay,Time,Group,Food Name,Amount,Energy (kcal),")
    assert "\r\n" in text
    parsed = parse(text)
    assert any(f.group == "Uncategorized" for f in parsed.foods)
    assert any("," in f.name for f in parsed.foods)
    assert any('"' in f.name for f in parsed.foods)
    assert any(f.magnesium_mg is None for f in parsed.foods)  # a recipe without a value
    assert any(f.grams is None for f in parsed.foods)  # "1.00 cup", "1.00 full recipe"
    assert any(f.grams is not None for f in parsed.foods)
    assert ",," in text  # blank Time cells


def test_the_same_seed_gives_the_same_file_and_another_seed_another():
    assert cronometer_servings_csv(days=10, seed=7) == cronometer_servings_csv(days=10, seed=7)
    assert cronometer_servings_csv(days=10, seed=7) != cronometer_servings_csv(days=10, seed=8)


def test_without_bom_and_crlf_the_same_foods_are_read():
    plain = cronometer_servings_sample(days=20, seed=3, bom=False, crlf=False)
    usual = cronometer_servings_sample(days=20, seed=3)
    assert not plain.text.startswith("\ufeff") and "\r" not in plain.text
    assert parse(plain.text) == parse(usual.text)
