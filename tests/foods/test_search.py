"""Search on small, factory-made food lists: what the ranking does and why.

The full release is judged in test_search_sr28.py (slow); these run in milliseconds.
"""

import pytest
from django.db import connection

from nutrition.foods import search
from tests.factories import UserFactory
from tests.foods.factories import DataSourceFactory, FoodFactory, FoodGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    return {
        "veg": FoodGroupFactory(code="1100", name="Vegetables and Vegetable Products"),
        "fruit": FoodGroupFactory(code="0900", name="Fruits and Fruit Juices"),
        "baby": FoodGroupFactory(code="0300", name="Baby Foods"),
        "legumes": FoodGroupFactory(code="1600", name="Legumes and Legume Products"),
        "grains": FoodGroupFactory(code="2000", name="Cereal Grains and Pasta"),
        "nuts": FoodGroupFactory(code="1200", name="Nut and Seed Products"),
        "fats": FoodGroupFactory(code="0400", name="Fats and Oils"),
        "fast": FoodGroupFactory(code="2100", name="Fast Foods"),
    }


def food(name, group, **kwargs):
    return FoodFactory(name=name, food_group=group, data_source=DataSourceFactory(), **kwargs)


def names(query, **kwargs):
    return [f.name for f in search.search_foods(query, **kwargs)]


@pytest.fixture
def pantry(groups):
    """A few foods in USDA's naming style, with the traps the ranking must avoid."""
    foods = [
        food("Babyfood, vegetables, spinach, creamed", groups["baby"]),
        food("Spinach souffle", groups["veg"]),
        food("Spinach, raw", groups["veg"]),
        food("Spinach, canned, regular pack, drained solids", groups["veg"]),
        food("Spaghetti, spinach, dry", groups["grains"]),
        food("Spinach dip, ready-to-eat", groups["veg"], brand="Acme Foods"),
        food("Bananas, raw", groups["fruit"]),
        food("Pie, banana cream, prepared from recipe", groups["fast"]),
        food("Rice, brown, long-grain, cooked", groups["grains"]),
        food("Rice, white, long-grain, regular, cooked", groups["grains"]),
        food("Chickpeas (garbanzo beans, bengal gram), mature seeds, raw", groups["legumes"]),
        food("Soymilk, original and vanilla, unfortified", groups["legumes"]),
        food("Nuts, walnuts, english", groups["nuts"]),
        food("Oil, walnut", groups["fats"]),
        food("Tomatoes, red, ripe, raw, year round average", groups["veg"]),
        food("Tomato products, canned, paste, without salt added", groups["veg"]),
    ]
    search.refresh_index()
    return foods


def test_the_generic_food_comes_before_baby_foods_brands_and_dishes(pantry):
    found = names("spinach")
    assert found[0] == "Spinach, raw"
    assert found.index("Spinach, raw") < found.index("Spinach souffle")
    assert found.index("Spinach, canned, regular pack, drained solids") < found.index(
        "Babyfood, vegetables, spinach, creamed"
    )
    assert found.index("Spaghetti, spinach, dry") > found.index("Spinach, raw")
    assert found[-2:] != ["Spinach, raw"]  # the branded dip and baby food trail
    assert set(found[-2:]) == {
        "Spinach dip, ready-to-eat",
        "Babyfood, vegetables, spinach, creamed",
    }


def test_word_order_does_not_matter(pantry):
    assert names("brown rice")[0] == "Rice, brown, long-grain, cooked"
    assert names("rice brown")[0] == "Rice, brown, long-grain, cooked"


def test_plurals_and_singulars_meet(pantry):
    assert names("banana")[0] == "Bananas, raw"
    assert names("bananas")[0] == "Bananas, raw"
    assert names("tomatoes")[0] == "Tomatoes, red, ripe, raw, year round average"
    assert names("walnut")[0] == "Nuts, walnuts, english"


def test_a_class_heading_defers_to_the_food_it_names(pantry):
    # "Nuts, walnuts" is a walnut; "Oil, walnut" is an oil.
    found = names("walnuts")
    assert found.index("Nuts, walnuts, english") < found.index("Oil, walnut")


@pytest.mark.parametrize("typo", ["bannana", "banan", "bananna", "spinich", "spinnach"])
def test_common_misspellings_still_find_the_food(pantry, typo):
    expected = "Bananas, raw" if typo.startswith("ban") else "Spinach, raw"
    assert names(typo)[0] == expected


def test_synonyms_and_compounds(pantry):
    chickpeas = "Chickpeas (garbanzo beans, bengal gram), mature seeds, raw"
    assert names("garbanzo beans")[0] == chickpeas
    assert names("chickpeas")[0] == chickpeas
    assert names("chick peas")[0] == chickpeas
    assert names("soy milk")[0] == "Soymilk, original and vanilla, unfortified"
    assert names("soya milk")[0] == "Soymilk, original and vanilla, unfortified"


def test_search_as_you_type_completes_the_last_word(pantry):
    assert names("spin")[0] == "Spinach, raw"
    assert names("brown ri")[0] == "Rice, brown, long-grain, cooked"


def test_a_food_added_later_is_found_without_a_refresh(groups, pantry):
    kale = food("Kale, raw", groups["veg"])
    assert names("kale") == ["Kale, raw"]
    kale.name = "Collards, raw"
    kale.save()
    assert names("kale") == []
    assert names("collards") == ["Collards, raw"]
    kale.delete()
    assert names("collards") == []


def test_private_foods_only_for_their_owner(groups, pantry):
    owner, stranger = UserFactory(), UserFactory()
    food("Spinach smoothie, homemade", groups["veg"], owner=owner)
    assert "Spinach smoothie, homemade" in names("spinach smoothie", user=owner)
    assert "Spinach smoothie, homemade" not in names("spinach smoothie", user=stranger)
    assert "Spinach smoothie, homemade" not in names("spinach smoothie")


def test_group_and_source_narrow_the_search(groups, pantry):
    sr28 = DataSourceFactory(slug="usda-sr28")
    FoodFactory(name="Spinach, frozen, unprepared", food_group=groups["veg"], data_source=sr28)
    assert names("spinach", source="usda-sr28") == ["Spinach, frozen, unprepared"]
    assert names("spinach", group="0300") == ["Babyfood, vegetables, spinach, creamed"]


def test_limit(pantry):
    assert len(names("spinach", limit=2)) == 2


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        '"',
        "spinach*",
        "spinach AND",
        "NEAR(spinach",
        "-spinach",
        "a'b",
        "x" * 500,
    ],
)
def test_odd_input_is_harmless(pantry, query):
    # Full-text operators and quotes are never passed through as syntax.
    result = search.search_foods(query)
    assert isinstance(result, list)


def test_no_match_gives_an_empty_list(pantry):
    assert names("xylophone") == []


def test_index_structures_follow_migrations():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name IN ('foods_food_search_insert', 'foods_food_search_update', "
                "'foods_food_search_delete')"
            )
            assert cursor.fetchone()[0] == 3
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'foods_food_search'")
            assert cursor.fetchone()[0] == 1


def test_search_runs_three_queries(pantry, django_assert_max_num_queries):
    # Vocabulary, candidates (one statement over every pool), the foods themselves.
    with django_assert_max_num_queries(3):
        assert names("spinach")


def test_stemming_rules():
    assert [search.stem(w) for w in ["berries", "tomatoes", "peaches", "leaves", "oats"]] == [
        "berry",
        "tomato",
        "peach",
        "leaf",
        "oat",
    ]
    assert search.stem("hummus") == "hummus"
    assert search.stem("swiss") == "swiss"


def test_edit_distance_counts_a_swap_as_one():
    assert search.damerau_levenshtein("quinao", "quinoa") == 1
    assert search.damerau_levenshtein("bannana", "banana") == 1
    assert search.damerau_levenshtein("apple", "zebra", limit=2) == 3
