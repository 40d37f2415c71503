"""The diary API per the contract: shapes, worked examples, bad input, owners only."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from nutrition.diary.models import DiaryEntry, Supplement, SupplementIntake
from tests.conftest import throttle_queries
from tests.diary.conftest import set_profile
from tests.diary.factories import (
    DiaryEntryFactory,
    FoodFactory,
    PortionFactory,
    SupplementFactory,
    SupplementIntakeFactory,
)

pytestmark = pytest.mark.django_db
DAY = "2026-02-03"
ENTRIES = "/api/v1/diary/entries/"
INTAKES = "/api/v1/diary/supplement-intakes/"
SUPPLEMENTS = "/api/v1/supplements/"


def test_entry_by_portion_and_by_grams(user_api, man_56, spinach):
    food, cup = spinach
    r = user_api.post(
        ENTRIES,
        {"date": DAY, "meal": "dinner", "food": food.pk, "portion": cup.pk, "quantity": 0.5},
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["magnesium_mg"] == 78.3
    assert body["grams_total"] == 90
    assert body["grams"] is None and body["portion"] == cup.pk and body["quantity"] == 0.5
    assert body["food_name"] == food.name and body["portion_description"] == "0.5 cup"
    r = user_api.post(ENTRIES, {"date": DAY, "meal": "lunch", "food": food.pk, "grams": 100})
    assert r.status_code == 201 and r.json()["magnesium_mg"] == 87.0
    assert r.json()["grams"] == 100 and r.json()["portion"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"grams": -1}, "grams"),
        ({"grams": 0}, "grams"),
        ({"grams": 5001}, "grams"),
        ({"grams": "lots"}, "grams"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"meal": "elevenses"}, "meal"),
        ({"food": 987654}, "food"),
        ({"food": None}, "food"),
    ],
)
def test_bad_entry_is_400_and_saves_nothing(user_api, spinach, payload, field):
    food, _ = spinach
    data = {"date": DAY, "meal": "lunch", "food": food.pk, "grams": 100, **payload}
    r = user_api.post(ENTRIES, data)
    assert r.status_code == 400
    assert field in r.json()
    assert DiaryEntry.objects.count() == 0


def test_portion_of_another_food_is_400(user_api, spinach):
    food, _ = spinach
    r = user_api.post(
        ENTRIES, {"date": DAY, "meal": "lunch", "food": food.pk, "portion": PortionFactory().pk}
    )
    assert r.status_code == 400 and "portion" in r.json()
    assert DiaryEntry.objects.count() == 0


def test_another_users_private_food_is_400(user_api, other_user):
    private = FoodFactory(owner=other_user)
    r = user_api.post(ENTRIES, {"date": DAY, "meal": "lunch", "food": private.pk, "grams": 10})
    assert r.status_code == 400 and "food" in r.json()


def test_user_field_is_ignored(user_api, user, other_user, spinach):
    food, _ = spinach
    r = user_api.post(
        ENTRIES,
        {"date": DAY, "meal": "lunch", "food": food.pk, "grams": 10, "user": other_user.pk},
    )
    assert r.status_code == 201
    assert DiaryEntry.objects.get().user == user


def test_patch_and_delete(user_api, user, spinach):
    food, cup = spinach
    entry = DiaryEntryFactory(user=user, food=food, portion=cup, quantity=1, grams=180)
    r = user_api.patch(f"{ENTRIES}{entry.pk}/", {"quantity": 0.5})
    assert r.status_code == 200 and r.json()["grams_total"] == 90
    r = user_api.patch(f"{ENTRIES}{entry.pk}/", {"grams": -3})
    assert r.status_code == 400
    entry.refresh_from_db()
    assert entry.grams == Decimal("90.00")
    assert user_api.put(f"{ENTRIES}{entry.pk}/", {}).status_code == 405
    assert user_api.delete(f"{ENTRIES}{entry.pk}/").status_code == 204
    assert not DiaryEntry.objects.exists()


def test_list_is_paginated_and_filtered(user_api, user, other_user):
    DiaryEntryFactory(user=user, date=date(2026, 2, 3))
    DiaryEntryFactory(user=user, date=date(2026, 2, 4))
    DiaryEntryFactory(user=other_user, date=date(2026, 2, 3))
    body = user_api.get(ENTRIES).json()
    assert {"count", "next", "previous", "results"} <= set(body) and body["count"] == 2
    assert user_api.get(ENTRIES, {"date": DAY}).json()["count"] == 1
    assert user_api.get(ENTRIES, {"start": "2026-02-04", "end": "2026-02-10"}).json()["count"] == 1
    assert user_api.get(ENTRIES, {"date": "2026-13-01"}).status_code == 400


def test_supplement_by_salt_weight_and_intake(user_api, man_56, spinach):
    r = user_api.post(
        SUPPLEMENTS, {"name": "Tablets", "form": "citrate", "compound_mg_per_unit": 500}
    )
    assert r.status_code == 201, r.json()
    supplement = r.json()
    assert supplement["elemental_mg_per_unit"] == 81.0
    r = user_api.post(INTAKES, {"date": DAY, "supplement": supplement["id"], "units": 2})
    assert r.status_code == 201 and r.json()["magnesium_mg"] == 162.0
    r = user_api.post(INTAKES, {"date": DAY, "supplement": supplement["id"]})
    assert r.status_code == 201 and r.json()["units"] == 1


def test_supplement_elemental_and_bad_input(user_api):
    r = user_api.post(SUPPLEMENTS, {"name": "Mix", "form": "other", "elemental_mg_per_unit": 120})
    assert r.status_code == 201 and r.json()["elemental_mg_per_unit"] == 120
    for bad in (
        {"name": "X", "form": "other", "compound_mg_per_unit": 500},
        {"name": "X", "form": "kryptonite", "elemental_mg_per_unit": 10},
        {"name": "X", "form": "oxide", "elemental_mg_per_unit": -10},
        {"name": "X", "form": "oxide"},
    ):
        assert user_api.post(SUPPLEMENTS, bad).status_code == 400
    assert Supplement.objects.count() == 1


def test_supplement_delete_archives_when_doses_exist(user_api, user):
    intake = SupplementIntakeFactory(supplement__user=user)
    r = user_api.delete(f"{SUPPLEMENTS}{intake.supplement_id}/")
    assert r.status_code == 204
    assert user_api.get(SUPPLEMENTS).json()["count"] == 0
    assert SupplementIntake.objects.filter(pk=intake.pk).exists()


def test_another_users_supplement_cannot_be_logged(user_api, other_user):
    theirs = SupplementFactory(user=other_user)
    r = user_api.post(INTAKES, {"date": DAY, "supplement": theirs.pk})
    assert r.status_code == 400 and "supplement" in r.json()
    assert not SupplementIntake.objects.exists()


def test_day_matches_the_worked_example(user_api, man_56, spinach):
    food, cup = spinach
    DiaryEntryFactory(
        user=man_56, date=date(2026, 2, 3), food=food, portion=cup, quantity=0.5, grams=90
    )
    DiaryEntryFactory(user=man_56, date=date(2026, 2, 3), food=food, grams=100)
    SupplementIntakeFactory(
        supplement__user=man_56,
        supplement__elemental_mg_per_unit=81,
        units=2,
        date=date(2026, 2, 3),
    )
    r = user_api.get(f"/api/v1/diary/days/{DAY}/")
    assert r.status_code == 200
    body = r.json()
    assert body["date"] == DAY
    assert body["magnesium"] == {
        "food_mg": 165.3,
        "supplement_mg": 162.0,
        "total_mg": 327.3,
        "rda_mg": 420,
        "percent_of_rda": 78,
        "supplement_ul_mg": 350,
        "basis": "RDA for a male aged 56 (IOM 1997)",
        "set_by": "reference",
    }
    assert [w["code"] for w in body["warnings"]] == ["medicine_timing"]
    assert len(body["entries"]) == 2 and len(body["supplement_intakes"]) == 1
    assert {n["key"] for n in body["nutrients"]} == {"energy_kcal", "carbohydrate", "protein"}


def test_day_warns_above_the_ul_and_with_kidney_disease(user_api, user):
    set_profile(user, kidney_disease=True)
    SupplementIntakeFactory(
        supplement__user=user,
        supplement__elemental_mg_per_unit=200,
        units=2,
        date=date(2026, 2, 3),
    )
    codes = [w["code"] for w in user_api.get(f"/api/v1/diary/days/{DAY}/").json()["warnings"]]
    assert codes == ["supplement_above_ul", "kidney_disease_supplement", "medicine_timing"]


def test_impossible_day_is_400(user_api):
    assert user_api.get("/api/v1/diary/days/2026-02-30/").status_code == 400
    assert user_api.get("/api/v1/diary/days/2026-2-3/").status_code == 404


@pytest.mark.parametrize("n_entries", [1, 40])
def test_day_api_query_count_is_constant(user_api, man_56, spinach, n_entries):
    food, cup = spinach
    for _ in range(n_entries):
        DiaryEntryFactory(
            user=man_56, date=date(2026, 2, 3), food=food, portion=cup, quantity=1, grams=180
        )
    SupplementIntakeFactory(supplement__user=man_56, date=date(2026, 2, 3))
    with CaptureQueriesContext(connection) as queries:
        r = user_api.get(f"/api/v1/diary/days/{DAY}/")
    assert r.status_code == 200 and len(r.json()["entries"]) == n_entries
    assert len(queries) == 5 + throttle_queries()  # verified e-mail + four for the day


def test_entries_list_query_count_is_constant(user_api, user, spinach):
    food, cup = spinach
    for _ in range(30):
        DiaryEntryFactory(user=user, food=food, portion=cup, quantity=1, grams=180)
    with CaptureQueriesContext(connection) as queries:
        r = user_api.get(ENTRIES, {"page_size": 100})
    assert r.status_code == 200 and len(r.json()["results"]) == 30
    assert len(queries) == 3 + throttle_queries()  # verified e-mail, count, page


def test_summary(user_api, man_56, spinach):
    food, _ = spinach
    DiaryEntryFactory(user=man_56, date=date(2026, 2, 1), food=food, grams=500)
    r = user_api.get("/api/v1/diary/summary/", {"start": "2026-02-01", "end": "2026-02-07"})
    assert r.status_code == 200
    body = r.json()
    assert len(body["days"]) == 7
    assert body["days"][0] == {
        "date": "2026-02-01",
        "food_mg": 435.0,
        "supplement_mg": 0.0,
        "total_mg": 435.0,
        "rda_mg": 420,
    }
    assert body["average_total_mg"] == 435.0 and body["days_meeting_rda"] == 1
    assert body["top_sources"] == [{"food": food.pk, "name": food.name, "magnesium_mg": 435.0}]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"start": "2026-02-01"},
        {"start": "2026-02-07", "end": "2026-02-01"},
        {"start": "2024-01-01", "end": "2026-01-01"},
        {"start": "2026-02-31", "end": "2026-03-01"},
    ],
)
def test_summary_bad_ranges_are_400(user_api, params):
    assert user_api.get("/api/v1/diary/summary/", params).status_code == 400


def test_targets_for_a_woman_of_35(user_api, user):
    set_profile(user, sex="female", birth_date=date(1990, 6, 15))
    r = user_api.get("/api/v1/me/targets/", {"date": "2026-01-10"})
    assert r.status_code == 200
    m = r.json()["magnesium"]
    assert (m["rda_mg"], m["supplement_ul_mg"], m["set_by"]) == (320, 350, "reference")
    assert "Institute of Medicine" in m["source"]


def test_targets_default_to_today_in_the_users_zone(user_api, user):
    set_profile(user, sex="female", birth_date=date(2008, 5, 2), timezone="Pacific/Auckland")
    with freeze_time("2027-05-01 13:00:00"):  # already 2 May in Auckland: she turns 19
        body = user_api.get("/api/v1/me/targets/").json()
    assert body["date"] == "2027-05-02" and body["magnesium"]["rda_mg"] == 310


def test_targets_bad_date(user_api):
    assert user_api.get("/api/v1/me/targets/", {"date": "2026-02-30"}).status_code == 400
