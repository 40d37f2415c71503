"""US household units: ounces beside grams and household portions offered first; grams
stay what is stored, and a metric person sees the pages as before."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutrition import amounts
from nutrition.diary import custom_foods
from nutrition.diary.models import DiaryEntry
from tests.diary.conftest import set_profile
from tests.diary.factories import DiaryEntryFactory, FoodFactory, PortionFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 3)
DAY_URL = "/diary/2026-02-03/"
HTMX = {"HTTP_HX_REQUEST": "true"}
QUERIES_DAY_PAGE = 7  # as in tests/diary/test_views.py: the units come with the person


@pytest.fixture
def almonds(db):
    """Stored portions: a piece first, then household ones (cup, tbsp, oz)."""
    food = FoodFactory(name="Almonds", magnesium_mg_per_100g=Decimal("270"))
    piece = PortionFactory(food=food, seq=1, amount=1, description="almond", gram_weight="1.2")
    cup = PortionFactory(food=food, seq=2, amount=1, description="cup, whole", gram_weight=143)
    tbsp = PortionFactory(food=food, seq=3, amount=1, description="tbsp", gram_weight=9)
    PortionFactory(food=food, seq=4, amount=1, description="oz (23 whole kernels)", gram_weight=28)
    return food, piece, cup, tbsp


@pytest.fixture
def us_person(user):
    set_profile(user, units="us")
    return user


@pytest.fixture
def metric_person(user):
    set_profile(user, units="metric")
    return user


def _entries(user, food, piece):
    DiaryEntryFactory(user=user, date=DAY, food=food, grams=Decimal("85"), meal="lunch")
    DiaryEntryFactory(
        user=user,
        date=DAY,
        food=food,
        portion=piece,
        quantity=Decimal("10"),
        grams=Decimal("12"),
        meal="snack",
    )


def _select(html: str, select_id: str) -> list[tuple[str, bool, str]]:
    """The options of one select: (value, selected, text)."""
    found = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert found, select_id
    return [
        (value, bool(selected), text)
        for value, selected, text in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', found.group(1)
        )
    ]


def test_ounces_are_exact_and_shown_once_rounded():
    assert amounts.ounces(amounts.OUNCE_GRAMS) == 1
    assert amounts.shown_text(amounts.ounces(Decimal("85"))) == "3.0"
    assert amounts.is_household("cup, chopped") and amounts.is_household("tbsp")
    assert amounts.is_household("oz (23 whole kernels)") and not amounts.is_household("slice")


def test_us_person_sees_ounces_beside_grams_on_the_day_page(user_client, us_person, almonds):
    food, piece, _, _ = almonds
    _entries(us_person, food, piece)
    html = user_client.get(DAY_URL).content.decode()
    assert "85 g (3.0 oz)" in html
    assert "10 almond (12 g, 0.4 oz)" in html


def test_metric_person_sees_the_day_page_as_before(user_client, metric_person, almonds):
    food, piece, _, _ = almonds
    _entries(metric_person, food, piece)
    html = user_client.get(DAY_URL).content.decode()
    assert '<span class="entry-amount">85 g</span>' in html
    assert "10 almond (12 g)" in html
    assert " oz)" not in html.replace("oz (23 whole kernels)", "")
    # The quick picks offer the portions in their stored order.
    options = _select(html, f"unit-quick-{food.pk}")
    assert options[0][2] == "almond (1.2 g)"


def test_us_person_gets_household_portions_first_in_the_add_rows(user_client, us_person, almonds):
    food, piece, cup, tbsp = almonds
    _entries(us_person, food, piece)
    html = user_client.get(DAY_URL).content.decode()
    options = _select(html, f"unit-quick-{food.pk}")
    assert [value for value, _, _ in options[:3]] == [str(cup.pk), str(tbsp.pk), options[2][0]]
    assert options[0][2] == "cup, whole (143 g, 5.0 oz)"  # the first, so the one chosen
    assert options[-1][0] == "g" and options[-2][0] == str(piece.pk)
    # The search results of a meal (htmx) too.
    r = user_client.get(f"{DAY_URL}search/", {"q": "almonds", "meal": "lunch"}, **HTMX)
    options = _select(r.content.decode(), f"unit-lunch-{food.pk}")
    assert options[0][0] == str(cup.pk)


def test_the_cached_pickers_follow_a_change_of_units(user_client, metric_person, almonds):
    food, piece, cup, _ = almonds
    _entries(metric_person, food, piece)
    html = user_client.get(DAY_URL).content.decode()
    assert _select(html, f"unit-quick-{food.pk}")[0][0] == str(piece.pk)
    set_profile(metric_person, units="us")  # no diary change: the same revision
    html = user_client.get(DAY_URL).content.decode()
    assert _select(html, f"unit-quick-{food.pk}")[0][0] == str(cup.pk)
    assert "85 g (3.0 oz)" in html


def test_us_person_food_page_offers_and_preselects_a_household_portion(
    user_client, us_person, almonds
):
    food, _, cup, tbsp = almonds
    html = user_client.get(f"/foods/{food.pk}/").content.decode()
    picker = _select(html, "portion")
    assert picker[0][0] == "100g" and picker[0][2] == "100 g (3.5 oz)"
    assert picker[1] == (str(cup.pk), True, "1 cup, whole (143 g, 5.0 oz)")
    assert picker[2][0] == str(tbsp.pk)
    assert "per 1 cup, whole (143 g, 5.0 oz)" in html
    add = _select(html, "add-unit")
    assert add[0][0] == str(cup.pk) and add[0][1]
    # Asking for 100 g still shows 100 g.
    html = user_client.get(f"/foods/{food.pk}/?portion=100g").content.decode()
    assert _select(html, "portion")[0][1] and _select(html, "add-unit")[-1][1]


def test_metric_person_food_page_is_unchanged(user_client, metric_person, almonds):
    food, piece, _, _ = almonds
    html = user_client.get(f"/foods/{food.pk}/").content.decode()
    picker = _select(html, "portion")
    assert picker[0][2] == "100 g"
    assert picker[1] == (str(piece.pk), True, "1 almond (1.2 g)")
    assert " oz)" not in html and ", 5.0 oz" not in html


def test_visitor_food_page_is_metric(client, almonds):
    food, piece, _, _ = almonds
    html = client.get(f"/foods/{food.pk}/").content.decode()
    assert _select(html, "portion")[1][0] == str(piece.pk)
    assert "5.0 oz" not in html


def test_adding_a_household_portion_stores_grams(user_client, us_person, almonds):
    food, _, cup, _ = almonds
    r = user_client.post(
        f"{DAY_URL}entries/",
        {"food": food.pk, "meal": "lunch", "amount": "0.5", "unit": cup.pk},
    )
    assert r.status_code in (200, 302, 303)
    entry = DiaryEntry.objects.get(user=us_person)
    assert entry.grams == Decimal("71.5") and entry.quantity == Decimal("0.5")
    html = user_client.get(DAY_URL).content.decode()
    assert "0.5 cup, whole (71.5 g, 2.5 oz)" in html
    entry.refresh_from_db()
    assert entry.grams == Decimal("71.5")  # showing ounces stores nothing


def test_us_day_page_costs_no_extra_query(user_client, us_person, almonds):
    food, piece, _, _ = almonds
    _entries(us_person, food, piece)
    user_client.get(DAY_URL)  # caches the pickers and gap foods
    with CaptureQueriesContext(connection) as queries:
        r = user_client.get(DAY_URL)
    assert r.status_code == 200
    assert "85 g (3.0 oz)" in r.content.decode()
    assert len(queries) == QUERIES_DAY_PAGE


def test_us_person_sees_ounces_on_recipes_and_own_foods(user_client, us_person, almonds):
    food, _, cup, _ = almonds
    recipe = custom_foods.recipe_create(user=us_person, name="Almond bowl", servings=2)
    custom_foods.recipe_ingredient_add(user=us_person, recipe=recipe, food_id=food.pk, grams="85")
    html = user_client.get(f"/diary/recipes/{recipe.food_id}/").content.decode()
    assert "85 g (3.0 oz)" in html  # the ingredient
    assert "42.5 g (1.5 oz), one of 2 servings" in html
    html = user_client.get(f"/diary/recipes/{recipe.food_id}/?q=almonds").content.decode()
    assert _select(html, f"ing-unit-{food.pk}")[0][0] == str(cup.pk)
    html = user_client.get("/diary/foods/").content.decode()
    assert "1 serving = 42.5 g (1.5 oz)" in html


def test_us_person_sees_ounces_in_the_close_the_gap_suggestions(user_client, us_person, almonds):
    food, piece, _, _ = almonds
    _entries(us_person, food, piece)  # 97 g of almonds: 261.9 mg, short of 420 mg
    html = user_client.get(DAY_URL).content.decode()
    suggestions = html.split('id="gap-title"')[1]
    assert re.search(r"about [^<]*\(\d+ g, \d+\.\d oz\)|about \d+ g \(\d+\.\d oz\)", suggestions)


def test_a_heavy_portion_keeps_its_thousands_separator(user_client, us_person):
    cake = FoodFactory(name="Sponge cake", magnesium_mg_per_100g=Decimal("12"))
    PortionFactory(food=cake, seq=1, amount=1, description="cake", gram_weight=1250)
    html = user_client.get(f"/foods/{cake.pk}/").content.decode()
    assert "1 cake (1,250 g, 44.1 oz)" in html


def test_an_htmx_add_shows_ounces_to_a_us_person(user_client, us_person, almonds):
    food = almonds[0]
    response = user_client.post(
        f"{DAY_URL}entries/",
        {"food": food.pk, "meal": "lunch", "amount": "85", "unit": "g"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "85 g (3.0 oz)" in response.content.decode()
