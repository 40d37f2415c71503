"""The day page's forms over htmx: a change swaps in only what it changes (out of band), says
so with an Undo that puts back exactly what was there (once, for its owner), and a refused
add or edit comes back beside its field with what was typed. Without JavaScript the same
forms post, redirect and show the same errors and Undo."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutrition.diary import services
from nutrition.diary.models import DiaryEntry, FavouriteFood, SupplementIntake
from tests.conftest import HttpsClient
from tests.diary.factories import (
    DiaryEntryFactory,
    FoodFactory,
    SupplementFactory,
    SupplementIntakeFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 3)
DAY_URL = "/diary/2026-02-03/"
HTMX = {"HTTP_HX_REQUEST": "true"}
BOOSTED = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}
# Queries of the partial answers (the page itself costs 7, and 12 after a change, when the
# pickers are read again). An add: the site's 3, the food, its portion, the lock, the rate and
# day counts, the revision, the insert; then the day (4), the favourites (1) and, for the
# close-the-gap suggestions, their portions (1; the everyday foods' are cached).
QUERIES_ADD = 18
QUERIES_DELETE = 15  # the entry, the delete, the revision, the day, favourites, portions


def _token(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "no Undo in the answer"
    return match.group(1)


def _oob_ids(html: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"[^>]*hx-swap-oob=', html))


def _add(client, food, **extra):
    data = {"food": food.pk, "meal": "lunch", "amount": "0.5", "unit": "", "q": "spinach"}
    return client.post(f"{DAY_URL}entries/", {**data, **extra}, **HTMX)


def _values(entry: DiaryEntry) -> tuple:
    return (
        entry.pk,
        entry.date,
        entry.meal,
        entry.food_id,
        entry.portion_id,
        entry.quantity,
        entry.grams,
        entry.created_at,
    )


def test_add_swaps_in_only_what_changed(user_client, man_56, spinach):
    food, cup = spinach
    r = _add(user_client, food, unit=str(cup.pk))
    assert r.status_code == 200 and r["HX-Reswap"] == "none"
    html = r.content.decode()
    entry = DiaryEntry.objects.get(user=man_56)
    # Every meal's entries and total, the summary with its warnings, the supplements, the
    # other nutrients and top sources, out of band; no page, no search boxes, no pickers.
    assert {"entries-lunch", "meal-total-lunch", "day-summary", "supplements-total"} <= (
        _oob_ids(html)
    )
    assert {"dose-list", "day-nutrients", "day-contributors", "gap-body"} <= _oob_ids(html)
    assert "covers the 341.7 mg still to go" in html  # 420 - 78.3
    assert 'id="day-status" hx-swap-oob="innerHTML"' in html
    assert "<html" not in html and 'id="diary-day"' not in html
    assert 'id="search-lunch"' not in html and "Favourites and recent foods" not in html
    # The new row is marked; the totals are the day's.
    assert f'<li class="entry entry-new" id="entry-{entry.pk}">' in html
    assert "78.3 mg" in html and "of your 420 mg target" in html
    assert "Added Spinach, cooked, boiled, drained, without salt to lunch." in html
    assert ">Undo<" in html


def test_partial_answers_cost_fewer_queries_than_the_page(user_client, man_56, spinach):
    food, cup = spinach
    DiaryEntryFactory(user=man_56, date=DAY, food=food, grams=10, meal="dinner")
    seeds = FoodFactory(name="Seeds, pumpkin", magnesium_mg_per_100g=Decimal("592"))
    FavouriteFood.objects.create(user=man_56, food=seeds)
    user_client.get(DAY_URL)  # the session is recorded, the pickers cached

    def count(**headers) -> int:
        with CaptureQueriesContext(connection) as queries:
            r = user_client.post(
                f"{DAY_URL}entries/",
                {"food": food.pk, "meal": "lunch", "amount": "1", "unit": str(cup.pk)},
                **headers,
            )
        assert r.status_code == 200
        return len(queries)

    boosted = count(**BOOSTED)  # the whole day, as a boosted form gets it
    partial = count(**HTMX)
    assert partial == QUERIES_ADD
    assert partial < boosted
    entry = DiaryEntry.objects.filter(meal="lunch").first()
    with CaptureQueriesContext(connection) as queries:
        r = user_client.post(f"/diary/entries/{entry.pk}/delete/", **HTMX)
    assert r.status_code == 200 and len(queries) == QUERIES_DELETE


def test_undo_an_add_removes_it_once_and_only_for_its_owner(user_client, man_56, spinach):
    food, cup = spinach
    token = _token(_add(user_client, food, unit=str(cup.pk)).content.decode())
    assert DiaryEntry.objects.count() == 1

    stranger = HttpsClient()
    stranger.force_login(UserFactory())
    assert stranger.post("/diary/undo/", {"token": token}, **HTMX).status_code == 404
    assert stranger.post("/diary/undo/", {"token": token}).status_code == 404
    assert DiaryEntry.objects.count() == 1

    r = user_client.post("/diary/undo/", {"token": token}, **HTMX)
    assert r.status_code == 200 and not DiaryEntry.objects.exists()
    html = r.content.decode()
    assert "Undone: the entry is removed." in html and 'id="day-summary"' in html
    assert ">0.0</span>" in html  # the total is back to nothing

    again = user_client.post("/diary/undo/", {"token": token}, **HTMX)
    assert again.status_code == 400 and "undone already" in again.content.decode()
    assert again["HX-Retarget"] == "#day-status"
    assert user_client.post("/diary/undo/", {"token": token + "x"}, **HTMX).status_code == 404
    assert user_client.post("/diary/undo/", {"token": ""}, **HTMX).status_code == 404


def test_undo_a_delete_brings_back_exactly_the_entry(user_client, man_56, spinach):
    food, cup = spinach
    entry = DiaryEntryFactory(
        user=man_56,
        date=DAY,
        food=food,
        portion=cup,
        quantity=Decimal("0.5"),
        grams=Decimal("90"),
        meal="dinner",
    )
    entry.refresh_from_db()
    before = _values(entry)
    r = user_client.post(f"/diary/entries/{entry.pk}/delete/", **HTMX)
    assert r.status_code == 200 and not DiaryEntry.objects.exists()
    html = r.content.decode()
    assert "Removed Spinach" in html and f'id="entry-{entry.pk}"' not in html
    token = _token(html)

    r = user_client.post("/diary/undo/", {"token": token}, **HTMX)
    assert r.status_code == 200
    assert _values(DiaryEntry.objects.get()) == before  # the same id, values and place
    assert f'<li class="entry entry-new" id="entry-{entry.pk}">' in r.content.decode()
    # Once: a second undo changes nothing, even after the entry is deleted again.
    user_client.post(f"/diary/entries/{entry.pk}/delete/", **HTMX)
    assert user_client.post("/diary/undo/", {"token": token}, **HTMX).status_code == 400
    assert not DiaryEntry.objects.exists()


def test_undo_an_edit_gives_back_the_old_values(user_client, man_56, spinach):
    food, cup = spinach
    entry = DiaryEntryFactory(user=man_56, date=DAY, food=food, grams=Decimal("50"), meal="lunch")
    entry.refresh_from_db()
    before = _values(entry)
    r = user_client.post(
        f"/diary/entries/{entry.pk}/",
        {"meal": "dinner", "amount": "1", "unit": str(cup.pk)},
        **HTMX,
    )
    assert r.status_code == 200 and r["HX-Reswap"] == "none"
    html = r.content.decode()
    # Moving it to dinner swaps both meals.
    assert {"entries-lunch", "entries-dinner"} <= _oob_ids(html)
    assert f'<li class="entry entry-new" id="entry-{entry.pk}">' in html
    entry.refresh_from_db()
    assert (entry.meal, entry.grams) == ("dinner", Decimal("180.00"))
    r = user_client.post("/diary/undo/", {"token": _token(html)}, **HTMX)
    assert r.status_code == 200
    entry.refresh_from_db()
    assert _values(entry) == before


def test_doses_over_htmx_and_their_undo(user_client, man_56):
    supplement = SupplementFactory(user=man_56, elemental_mg_per_unit=Decimal("81"))
    r = user_client.post(f"{DAY_URL}doses/", {"supplement": supplement.pk, "units": "2"}, **HTMX)
    assert r.status_code == 200 and r["HX-Reswap"] == "none"
    intake = SupplementIntake.objects.get()
    html = r.content.decode()
    assert f'class="entry entry-new" id="dose-{intake.pk}"' in html and "162.0 mg" in html
    assert user_client.post("/diary/undo/", {"token": _token(html)}, **HTMX).status_code == 200
    assert not SupplementIntake.objects.exists()

    intake = SupplementIntakeFactory(supplement=supplement, user=man_56, date=DAY, units=3)
    intake.refresh_from_db()
    before = (intake.pk, intake.date, intake.supplement_id, intake.units, intake.created_at)
    r = user_client.post(f"/diary/doses/{intake.pk}/delete/", **HTMX)
    assert r.status_code == 200 and not SupplementIntake.objects.exists()
    assert user_client.post("/diary/undo/", {"token": _token(r.content.decode())}, **HTMX)
    back = SupplementIntake.objects.get()
    assert (back.pk, back.date, back.supplement_id, back.units, back.created_at) == before


def test_a_bad_dose_comes_back_as_the_form_with_the_error_beside_the_field(user_client, man_56):
    supplement = SupplementFactory(user=man_56)
    r = user_client.post(f"{DAY_URL}doses/", {"supplement": supplement.pk, "units": "lots"}, **HTMX)
    assert r.status_code == 400 and not SupplementIntake.objects.exists()
    html = r.content.decode()
    assert html.startswith('<form method="post"') and 'id="dose-form"' in html
    assert 'value="lots"' in html and 'aria-invalid="true"' in html
    assert html.index('id="dose-units"') < html.index('id="dose-units-error"')


def test_another_persons_entry_or_dose_is_404(user_client, other_user, spinach):
    food, _ = spinach
    theirs = DiaryEntryFactory(user=other_user, date=DAY, food=food)
    dose = SupplementIntakeFactory(supplement__user=other_user, user=other_user, date=DAY)
    assert user_client.post(f"/diary/entries/{theirs.pk}/delete/", **HTMX).status_code == 404
    r = user_client.post(
        f"/diary/entries/{theirs.pk}/", {"meal": "lunch", "amount": "1", "unit": "g"}, **HTMX
    )
    assert r.status_code == 404
    assert user_client.post(f"/diary/doses/{dose.pk}/delete/", **HTMX).status_code == 404
    assert DiaryEntry.objects.count() == 1 and SupplementIntake.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [("lots", "Enter a number"), ("0", "Enter an amount above 0 g."), ("6000", "more than 5 kg")],
)
def test_a_refused_add_comes_back_in_its_row_with_what_was_typed(
    user_client, spinach, amount, message
):
    food, _ = spinach
    r = _add(user_client, food, amount=amount, unit="g")
    assert r.status_code == 400 and not DiaryEntry.objects.exists()
    html = r.content.decode()
    # Only the row (htmx swaps it for the one sent), the typed amount and grams kept, the
    # error right after the amount and tied to it, the search kept for the next try.
    assert html.startswith(f'<li class="result" id="add-lunch-{food.pk}">')
    assert html.count("<li") == 1
    assert f'name="amount" value="{amount}"' in html
    assert '<option value="g" selected>g</option>' in html
    assert f'aria-describedby="add-error-lunch-{food.pk}"' in html
    assert f'<p class="error add-error" id="add-error-lunch-{food.pk}">' in html
    assert message in html.split("add-error-lunch")[2]
    assert 'name="q" value="spinach"' in html


def test_a_full_day_is_said_beside_the_add_button(user_client, spinach, monkeypatch):
    food, cup = spinach
    monkeypatch.setattr(services, "MAX_ENTRIES_PER_DAY", 0)
    r = _add(user_client, food, unit=str(cup.pk))
    assert r.status_code == 400 and not DiaryEntry.objects.exists()
    html = r.content.decode()
    assert "A diary day holds at most 0 entries" in html
    assert f'<option value="{cup.pk}" selected>' in html and 'value="0.5"' in html


def test_a_food_not_found_is_said_in_the_status_line(user_client, spinach):
    r = user_client.post(
        f"{DAY_URL}entries/",
        {"food": "999999", "meal": "lunch", "amount": "1", "unit": "g", "q": "x"},
        **HTMX,
    )
    assert r.status_code == 400 and r["HX-Retarget"] == "#day-status"
    assert "Choose a food from the search results." in r.content.decode()


def test_a_refused_edit_comes_back_in_its_row(user_client, user, spinach):
    food, _ = spinach
    entry = DiaryEntryFactory(user=user, date=DAY, food=food, grams=100)
    r = user_client.post(
        f"/diary/entries/{entry.pk}/", {"meal": "lunch", "amount": "0", "unit": "g"}, **HTMX
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert html.startswith(f'<li class="entry" id="entry-{entry.pk}">') and "<html" not in html
    assert 'name="amount" size="5" class="amount" value="0"' in html
    assert f'id="edit-amount-{entry.pk}-error"' in html and "above 0 g" in html
    entry.refresh_from_db()
    assert entry.grams == 100


# --- Without JavaScript ---------------------------------------------------------------------------


def test_without_javascript_an_add_redirects_and_offers_undo_once(user_client, spinach):
    food, cup = spinach
    r = user_client.post(
        f"{DAY_URL}entries/",
        {"food": food.pk, "meal": "dinner", "amount": "0.5", "unit": str(cup.pk)},
    )
    assert r.status_code == 302 and r["Location"] == f"{DAY_URL}#meal-dinner"
    html = user_client.get(DAY_URL).content.decode()
    status = html.split('id="day-status"')[1]
    assert "Added Spinach" in status and ">Undo<" in status
    token = _token(status)
    # Said once: the next view of the day has no Undo.
    assert 'name="token"' not in user_client.get(DAY_URL).content.decode()
    r = user_client.post("/diary/undo/", {"token": token})
    assert r.status_code == 302 and r["Location"] == DAY_URL
    assert not DiaryEntry.objects.exists()
    assert "Undone: the entry is removed." in user_client.get(DAY_URL).content.decode()


def test_without_javascript_a_refused_add_keeps_the_search_and_lands_on_the_error(
    user_client, spinach
):
    food, _ = spinach
    r = user_client.get(DAY_URL, {"q": "spinach", "meal": "lunch"})
    action = re.search(r'<form method="post" action="([^"]+)" class="add-food"', r.content.decode())
    # The form's address carries the row's anchor, so the browser lands on the row again.
    assert action.group(1) == f"{DAY_URL}entries/#add-lunch-{food.pk}"
    r = user_client.post(
        f"{DAY_URL}entries/",
        {"food": food.pk, "meal": "lunch", "amount": "lots", "unit": "g", "q": "spinach"},
    )
    assert r.status_code == 400 and not DiaryEntry.objects.exists()
    html = r.content.decode()
    assert 'id="search-lunch" type="search" name="q" value="spinach"' in html
    row = html.split(f'id="add-lunch-{food.pk}"')[1].split("</li>")[0]
    assert 'name="amount" value="lots"' in row and 'aria-invalid="true"' in row
    assert "Enter a number" in row


def test_without_javascript_a_delete_can_be_undone(user_client, user, spinach):
    food, cup = spinach
    entry = DiaryEntryFactory(user=user, date=DAY, food=food, portion=cup, quantity=1, grams=180)
    entry.refresh_from_db()
    before = _values(entry)
    r = user_client.post(f"/diary/entries/{entry.pk}/delete/")
    assert r.status_code == 302 and not DiaryEntry.objects.exists()
    token = _token(user_client.get(DAY_URL).content.decode())
    r = user_client.post("/diary/undo/", {"token": token})
    assert r.status_code == 302 and r["Location"] == f"{DAY_URL}#entry-{entry.pk}"
    assert _values(DiaryEntry.objects.get()) == before


def test_a_refused_quick_pick_keeps_its_meal_and_amount(user_client, user, spinach):
    food, cup = spinach
    DiaryEntryFactory(user=user, date=date(2026, 2, 1), food=food)  # a recent food
    data = {"food": food.pk, "meal": "dinner", "amount": "-2", "unit": str(cup.pk)}
    r = user_client.post(f"{DAY_URL}entries/", {**data, "slot": "quick"}, **HTMX)
    assert r.status_code == 400
    html = r.content.decode()
    assert html.startswith(f'<li class="result" id="add-quick-{food.pk}">')
    assert '<option value="dinner" selected>' in html and 'value="-2"' in html
    assert f'<option value="{cup.pk}" selected>' in html
    # Without JavaScript the quick picks on the page show it the same way.
    r = user_client.post(f"{DAY_URL}entries/", {**data, "slot": "quick"})
    assert r.status_code == 400
    row = r.content.decode().split(f'id="add-quick-{food.pk}"')[1].split("</li>")[0]
    assert 'value="-2"' in row and "add-error" in row and 'id="add-form"' not in row
