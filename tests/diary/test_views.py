"""The diary pages: the day, adding and editing without JavaScript and with htmx, access."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from mgsite.caches import local_cache
from nutrition.diary import pickers
from nutrition.diary.models import DiaryEntry, DiaryState, Supplement, SupplementIntake
from tests.conftest import HttpsClient
from tests.diary.conftest import set_profile
from tests.diary.factories import (
    DiaryEntryFactory,
    FoodFactory,
    PortionFactory,
    SupplementFactory,
    SupplementIntakeFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 3)
DAY_URL = "/diary/2026-02-03/"
HTMX = {"HTTP_HX_REQUEST": "true"}
QUERIES_DAY_PAGE = 7  # 3 site-wide, 4 for the day, pickers cached (see the query-count test)


def test_day_page_shows_the_number_first(user_client, man_56, spinach):
    food, cup = spinach
    DiaryEntryFactory(
        user=man_56,
        date=DAY,
        food=food,
        portion=cup,
        quantity=Decimal("0.5"),
        grams=90,
        meal="dinner",
    )
    SupplementIntakeFactory(
        supplement__user=man_56, supplement__elemental_mg_per_unit=81, units=2, date=DAY
    )
    r = user_client.get(DAY_URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index("240") < html.index("Breakfast")  # the total comes before the meals
    assert "of your 420 mg target" in html and "57 %" in html
    assert "78.3 mg" in html and "162.0 mg" in html
    assert "0.5 cup (90 g)" in html
    assert 'data-code="medicine_timing"' in html
    assert "style=" not in html and "<script>" not in html


def test_today_uses_the_users_time_zone(user_client, user):
    set_profile(user, timezone="Pacific/Auckland")
    with freeze_time("2026-02-03 12:30:00"):
        r = user_client.get("/diary/")
    assert "Wednesday 4 February 2026" in r.content.decode()


def test_date_picker_jumps_to_the_day(user_client):
    r = user_client.get("/diary/", {"date": "2026-02-03"})
    assert r.status_code == 302 and r["Location"] == DAY_URL
    assert user_client.get("/diary/", {"date": "2026-02-30"}).status_code == 200


def test_impossible_date_is_404(user_client):
    assert user_client.get("/diary/2026-02-30/").status_code == 404


def test_search_without_javascript_shows_results_in_the_meal(user_client, spinach):
    food, cup = spinach
    r = user_client.get(DAY_URL, {"q": "spinach", "meal": "dinner"})
    html = r.content.decode()
    assert food.name in html
    assert f'value="{cup.pk}"' in html


def test_search_fragment_for_htmx(user_client, spinach):
    food, _ = spinach
    r = user_client.get(f"{DAY_URL}search/", {"q": "spinach", "meal": "lunch"}, **HTMX)
    assert r.status_code == 200
    html = r.content.decode()
    assert food.name in html and "<html" not in html
    assert "87.0 mg per 100 g · USDA SR28" in html  # where the value comes from
    r = user_client.get(f"{DAY_URL}search/", {"q": "zzzz", "meal": "lunch"}, **HTMX)
    assert "No food matches" in r.content.decode()


def test_add_by_portion_without_javascript(user_client, user, spinach):
    food, cup = spinach
    r = user_client.post(
        f"{DAY_URL}entries/",
        {"food": food.pk, "meal": "dinner", "amount": "0.5", "unit": str(cup.pk)},
    )
    assert r.status_code == 302 and r["Location"] == f"{DAY_URL}#meal-dinner"
    entry = DiaryEntry.objects.get(user=user)
    assert (entry.grams, entry.magnesium_mg) == (Decimal("90.00"), Decimal("78.3"))
    assert "Added" in user_client.get(r["Location"]).content.decode()


def test_add_with_htmx_returns_what_changed(user_client, user, spinach):
    food, _ = spinach
    r = user_client.post(
        f"{DAY_URL}entries/",
        {"food": food.pk, "meal": "lunch", "amount": "100", "unit": "g"},
        **HTMX,
    )
    assert r.status_code == 200 and r["HX-Reswap"] == "none"  # tests/diary/test_day_htmx.py
    html = r.content.decode()
    assert 'id="diary-day"' not in html and "87.0 mg" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "-1", "unit": "g"}, "Enter an amount above 0 g."),
        ({"amount": "0", "unit": "g"}, "Enter an amount above 0 g."),
        ({"amount": "6000", "unit": "g"}, "more than 5 kg"),
        ({"amount": "lots", "unit": "g"}, "Enter a number"),
        ({"amount": "1", "unit": "other-food"}, "Choose grams or one of the portions."),
    ],
)
def test_bad_add_shows_the_error_and_saves_nothing(user_client, spinach, data, message):
    food, _ = spinach
    r = user_client.post(f"{DAY_URL}entries/", {"food": food.pk, "meal": "lunch", **data})
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not DiaryEntry.objects.exists()


def test_portion_of_another_food_is_a_form_error(user_client, spinach):
    food, _ = spinach
    r = user_client.post(
        f"{DAY_URL}entries/",
        {"food": food.pk, "meal": "lunch", "amount": "1", "unit": str(PortionFactory().pk)},
    )
    assert r.status_code == 400 and not DiaryEntry.objects.exists()


def test_edit_and_delete_inline(user_client, user, spinach):
    food, cup = spinach
    entry = DiaryEntryFactory(user=user, date=DAY, food=food, grams=100)
    r = user_client.post(
        f"/diary/entries/{entry.pk}/", {"meal": "snack", "amount": "2", "unit": str(cup.pk)}
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert (entry.meal, entry.grams) == ("snack", Decimal("360.00"))
    r = user_client.post(
        f"/diary/entries/{entry.pk}/", {"meal": "snack", "amount": "0", "unit": "g"}
    )
    assert r.status_code == 400 and "Enter an amount above 0 g." in r.content.decode()
    assert user_client.post(f"/diary/entries/{entry.pk}/delete/").status_code == 302
    assert not DiaryEntry.objects.exists()


def test_supplement_product_and_dose(user_client, user):
    r = user_client.post(
        f"{DAY_URL}supplements/",
        {"name": "Citrate", "form": "citrate", "amount": "500", "amount_kind": "compound"},
    )
    assert r.status_code == 302
    supplement = Supplement.objects.get(user=user)
    assert supplement.elemental_mg_per_unit == Decimal("81.0")
    r = user_client.post(f"{DAY_URL}doses/", {"supplement": supplement.pk, "units": "5"})
    assert r.status_code == 302
    html = user_client.get(DAY_URL).content.decode()
    assert 'data-code="supplement_above_ul"' in html and "405.0 mg" in html
    intake = SupplementIntake.objects.get()
    assert user_client.post(f"/diary/doses/{intake.pk}/delete/").status_code == 302
    assert not SupplementIntake.objects.exists()


def test_bad_supplement_and_dose_show_errors(user_client, user, other_user):
    r = user_client.post(
        f"{DAY_URL}supplements/",
        {"name": "Mix", "form": "other", "amount": "500", "amount_kind": "compound"},
    )
    assert r.status_code == 400 and "elemental magnesium" in r.content.decode()
    theirs = SupplementFactory(user=other_user)
    r = user_client.post(f"{DAY_URL}doses/", {"supplement": theirs.pk, "units": "1"})
    assert r.status_code == 400 and not SupplementIntake.objects.exists()


def test_copy_yesterday(user_client, user):
    DiaryEntryFactory(user=user, date=date(2026, 2, 2), meal="breakfast")
    r = user_client.post(f"{DAY_URL}copy/", {"source_day": "2026-02-02", "meal": ""})
    assert r.status_code == 302
    assert DiaryEntry.objects.filter(user=user, date=DAY).count() == 1
    r = user_client.post(f"{DAY_URL}copy/", {"source_day": "2026-01-01", "meal": ""})
    assert r.status_code == 400 and "nothing to copy" in r.content.decode()


def test_favourites_and_recent_foods_are_one_tap_away(user_client, user):
    food = FoodFactory(name="Pumpkin seeds")
    DiaryEntryFactory(user=user, date=date(2026, 2, 1), food=food)
    html = user_client.get(DAY_URL).content.decode()
    assert "Favourites and recent foods" in html and "Pumpkin seeds" in html
    r = user_client.post(f"/diary/favourites/{food.pk}/", {"favourite": "1", "day": "2026-02-03"})
    assert r.status_code == 302 and user.favourite_foods.filter(food=food).exists()


def test_close_the_gap_suggests_an_amount(user_client, man_56):
    _pumpkin_seeds()
    html = user_client.get(DAY_URL).content.decode()
    assert "Close the gap" in html and "Seeds, pumpkin" in html
    assert "about 2.75 oz (78 g)" in html  # 420 mg / 5.92 mg per g = 71 g, in quarter oz
    html = user_client.get(DAY_URL, {"carbs": "1"}).content.decode()
    assert "No single food fits that carbohydrate budget" in html


def _pumpkin_seeds():
    rich = FoodFactory(
        name="Seeds, pumpkin",
        magnesium_mg_per_100g=Decimal("592"),
        net_carbs_g_per_100g=Decimal("4.7"),
    )
    PortionFactory(food=rich, amount=1, description="oz", gram_weight=Decimal("28.35"))
    return rich


def test_carb_budget_is_saved_and_applies_to_every_day(user_client, man_56):
    _pumpkin_seeds()  # 78 g cover the gap, with 3.7 g of net carbohydrate
    r = user_client.post(f"{DAY_URL}carb-budget/", {"carbs": "2"})
    assert r.status_code == 302 and r["Location"].endswith("#gap-title")
    assert DiaryState.objects.get(user=man_56).net_carbs_budget_g == 2
    html = user_client.get("/diary/2026-02-10/").content.decode()
    assert "within 2 g of net carbohydrate" in html
    assert "No single food fits that carbohydrate budget" in html
    assert 'name="carbs" inputmode="decimal" size="5" value="2"' in html
    user_client.post(f"{DAY_URL}carb-budget/", {"carbs": ""})
    html = user_client.get(DAY_URL).content.decode()
    assert "about 2.75 oz (78 g)" in html and "within" not in html.split("Close the gap")[1][:200]


@pytest.mark.parametrize(
    ("value", "message"),
    [("lots", "Enter a number of grams"), ("-3", "from 0 to 1000 g"), ("5000", "from 0 to 1000 g")],
)
def test_carb_budget_refuses_bad_input_and_saves_nothing(user_client, man_56, value, message):
    _pumpkin_seeds()
    DiaryState.objects.filter(user=man_56).update(net_carbs_budget_g=Decimal("40"))
    r = user_client.post(f"{DAY_URL}carb-budget/", {"carbs": value})
    assert r.status_code == 400
    assert message in r.content.decode()
    assert DiaryState.objects.get(user=man_56).net_carbs_budget_g == 40


def test_carb_budget_over_htmx_swaps_the_day_in_place(user_client, man_56):
    _pumpkin_seeds()
    r = user_client.post(f"{DAY_URL}carb-budget/", {"carbs": "10"}, **HTMX)
    assert r.status_code == 200 and r["HX-Push-Url"] == "false"
    assert "Suggestions now stay within 10 g of net carbohydrate." in r.content.decode()


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        r = client.get(DAY_URL)
    assert r.status_code == 200
    return len(queries)


@pytest.mark.parametrize("n_entries", [1, 40])
def test_day_page_query_count_is_constant(user_client, man_56, spinach, n_entries):
    food, cup = spinach
    for i in range(n_entries):
        DiaryEntryFactory(
            user=man_56,
            date=DAY,
            food=food,
            portion=cup,
            quantity=Decimal("0.01"),
            grams=Decimal("1.8"),  # small, so the gap suggestions run in both cases
            meal=["breakfast", "lunch", "dinner", "snack"][i % 4],
        )
    SupplementIntakeFactory(supplement__user=man_56, date=DAY)
    user_client.get(DAY_URL)  # records the signed-in session; caches pickers and gap foods
    # 3 for the site: session, user, verified e-mail. 4 for the day: the profile (with the
    # latest eGFR and serum magnesium from the health record), entries,
    # doses, other nutrients.
    assert _count_queries(user_client) == QUERIES_DAY_PAGE
    # After a change to the diary, what is cached under its revision is read again: recent
    # foods, favourites, supplements, their portions, notes from a dietitian.
    pickers.mark_changed(man_56)
    assert _count_queries(user_client) == QUERIES_DAY_PAGE + 5
    # With nothing cached, the close-the-gap foods and their portions too.
    pickers.mark_changed(man_56)
    local_cache.delete(pickers.GAP_FOODS_KEY)
    assert _count_queries(user_client) == QUERIES_DAY_PAGE + 7


def test_pickers_follow_every_change_to_the_diary(user_client, man_56, spinach):
    """The cached quick picks and supplement list change as soon as the person acts."""
    food, cup = spinach
    seeds = FoodFactory(name="Pumpkin seeds, dried", magnesium_mg_per_100g=Decimal("592"))
    assert "Favourites and recent foods" not in user_client.get(DAY_URL).content.decode()
    user_client.post(
        f"{DAY_URL}entries/", {"food": food.pk, "meal": "lunch", "amount": "1", "unit": cup.pk}
    )
    quick = user_client.get(DAY_URL).content.decode().split('id="quick-title"')[1]
    assert "Spinach, cooked, boiled" in quick and "Pumpkin seeds" not in quick
    user_client.post(f"/diary/favourites/{seeds.pk}/", {"favourite": "1", "day": "2026-02-03"})
    quick = user_client.get(DAY_URL).content.decode().split('id="quick-title"')[1]
    assert quick.index("Pumpkin seeds") < quick.index("Spinach")  # favourites first
    user_client.post(
        f"{DAY_URL}supplements/",
        {
            "name": "Glycinate caps",
            "form": "glycinate",
            "amount": "120",
            "amount_kind": "elemental",
        },
    )
    assert "Glycinate caps (120.0 mg)" in user_client.get(DAY_URL).content.decode()
    entry = DiaryEntry.objects.get(user=man_56)
    user_client.post(f"/diary/entries/{entry.pk}/delete/")
    user_client.post(f"/diary/favourites/{seeds.pk}/", {"favourite": "0", "day": "2026-02-03"})
    html = user_client.get(DAY_URL).content.decode()
    assert "Favourites and recent foods" not in html


def test_pickers_are_never_shared_between_people(user_client, man_56, spinach):
    food, cup = spinach
    DiaryEntryFactory(user=man_56, date=DAY, food=food, portion=cup, quantity=1, grams=180)
    SupplementFactory(user=man_56, name="Mine only")
    user_client.get(DAY_URL)  # man_56's pickers are cached now
    stranger = UserFactory()
    other = HttpsClient()
    other.force_login(stranger)
    html = other.get(DAY_URL).content.decode()
    assert "Favourites and recent foods" not in html and "Mine only" not in html


# --- Access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client):
    r = client.get(DAY_URL)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_unverified_user_is_asked_to_verify(client):
    c = HttpsClient()
    c.force_login(UserFactory(verified=False))
    r = c.get(DAY_URL)
    html = r.content.decode()
    assert 'id="diary-day"' not in html and "verif" in html.lower()


@pytest.mark.parametrize(
    "url",
    [
        "/diary/entries/{entry}/",
        "/diary/entries/{entry}/delete/",
        "/diary/doses/{dose}/delete/",
        "/diary/supplements/{supplement}/delete/",
    ],
)
def test_another_users_things_are_404(user_client, other_user, url):
    entry = DiaryEntryFactory(user=other_user)
    dose = SupplementIntakeFactory(supplement__user=other_user)
    supplement = SupplementFactory(user=other_user)
    r = user_client.post(
        url.format(entry=entry.pk, dose=dose.pk, supplement=supplement.pk),
        {"meal": "lunch", "amount": "1", "unit": "g"},
    )
    assert r.status_code == 404
    assert DiaryEntry.objects.filter(pk=entry.pk, grams=entry.grams).exists()
    assert SupplementIntake.objects.filter(pk=dose.pk).exists()


def test_pages_are_private_and_need_csrf(user):
    c = HttpsClient(enforce_csrf_checks=True)
    c.force_login(user)
    assert "no-store" in c.get(DAY_URL)["Cache-Control"]
    assert c.post(f"{DAY_URL}copy/", {"source_day": "2026-02-02"}).status_code == 403
    assert c.get(f"{DAY_URL}entries/").status_code == 405


def test_supplements_page(user_client, user):
    SupplementFactory(user=user, name="Evening tablets")
    r = user_client.get("/diary/supplements/")
    html = r.content.decode()
    assert r.status_code == 200 and "Evening tablets" in html and "16.2 %" in html
    r = user_client.post(
        "/diary/supplements/",
        {"name": "Glycinate", "form": "glycinate", "amount": "100", "amount_kind": "elemental"},
    )
    assert r.status_code == 302 and Supplement.objects.filter(name="Glycinate").exists()


@pytest.mark.parametrize("url", ["/diary/9999-12-31/", "/diary/0001-01-01/", "/diary/1899-12-31/"])
def test_days_outside_the_calendar_are_404(user_client, url):
    assert user_client.get(url).status_code == 404


# --- Escaping in the rows built in Python -----------------------------------------------------

HOSTILE = '<img src=x onerror="alert(1)"> & \'Tom\'s\' "pie"'


def test_food_names_and_portions_are_escaped_in_every_row(user_client, man_56):
    food = FoodFactory(name=HOSTILE, magnesium_mg_per_100g=Decimal("50"))
    portion = PortionFactory(food=food, amount=1, description='<b>slice</b>"', gram_weight=30)
    DiaryEntryFactory(
        user=man_56, date=DAY, food=food, portion=portion, quantity=Decimal("2"), grams=60
    )
    user_client.post(f"/diary/favourites/{food.pk}/", {"favourite": "1", "day": "2026-02-03"})
    pages = [
        user_client.get(DAY_URL).content.decode(),  # entry row and quick pick
        user_client.get(DAY_URL, {"q": "onerror", "meal": "lunch"}).content.decode(),
        user_client.get(
            f"{DAY_URL}search/", {"q": "onerror", "meal": "lunch"}, **HTMX
        ).content.decode(),
    ]
    escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#x27;Tom&#x27;s&#x27;"
    for html in pages:
        assert "<img" not in html and "<b>slice" not in html
        assert escaped in html
    assert "2 &lt;b&gt;slice&lt;/b&gt;&quot; (60 g)" in pages[0]
    assert pages[0].count('class="entry" id="entry-') == 1


def test_entry_row_links_and_forms_point_at_the_entry(user_client, man_56, spinach):
    food, cup = spinach
    entry = DiaryEntryFactory(
        user=man_56, date=DAY, food=food, portion=cup, quantity=Decimal("0.5"), grams=90
    )
    html = user_client.get(DAY_URL).content.decode()
    assert f'href="/diary/entries/{entry.pk}/" hx-get="/diary/entries/{entry.pk}/"' in html
    assert f'action="/diary/entries/{entry.pk}/delete/"' in html
    assert f'action="/diary/favourites/{food.pk}/"' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 3
