"""On the full SR28 release: foods people cook are offered in the form they eat.

USDA lists legumes, grains, hot cereals, meat, fish and eggs both as bought (raw, dry) and
as eaten (cooked, boiled, dry heat); the search puts the cooked form first or right beside
the raw one, by food group, and still answers "rice" with white rice.
"""

import pytest

from nutrition.foods import search

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def ranked(query: str, limit: int = 20) -> list[str]:
    return [f.source_id for f in search.search_foods(query, limit=limit)]


def test_black_beans_cooked_at_or_above_raw(sr28):
    found = ranked("black beans")
    # Beans, black, mature seeds, cooked, boiled, without salt / …, raw
    assert "16015" in found[:2]
    assert found.index("16015") < found.index("16014")


def test_oatmeal_is_the_cooked_cereal(sr28):
    found = ranked("oatmeal")
    # Cereals, oats, regular and quick, unenriched, cooked with water …, without salt
    assert "08121" in found[:2]
    # …above the dry oats it is made from (Cereals, oats, regular and quick, not fortified, dry)
    assert "08120" not in found or found.index("08121") < found.index("08120")


def test_salmon_cooked_next_to_raw(sr28):
    found = ranked("salmon")
    names = [f.name for f in search.search_foods("salmon", limit=2)]
    assert any("cooked" in n for n in names), names
    # Fish, salmon, Atlantic, farmed, cooked, dry heat near Fish, salmon, Atlantic, farmed, raw
    assert abs(found.index("15237") - found.index("15236")) <= 2


def test_rice_is_cooked_white_rice(sr28):
    assert search.search_foods("rice", limit=1)[0].name == (
        "Rice, white, long-grain, regular, enriched, cooked"
    )
    # Asking for brown rice still gives brown rice, cooked first.
    assert search.search_foods("brown rice", limit=1)[0].name == "Rice, brown, long-grain, cooked"


def test_foods_eaten_raw_keep_the_raw_form_first(sr28):
    assert search.search_foods("spinach", limit=1)[0].name == "Spinach, raw"
    assert search.search_foods("banana", limit=1)[0].name == "Bananas, raw"


def test_still_three_queries(sr28, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert search.search_foods("black beans")
