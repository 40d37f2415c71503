"""Bounded writes: a day is never copied onto itself, a day holds at most 200 entries and 50
doses, and a person adds at most 60 entries (and 60 doses) a minute, however they add them:
the form, the API, a copy or a move to another day. A refused write saves nothing."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mgsite.limits import RateLimited
from nutrition.diary import services
from nutrition.diary.models import (
    MAX_DOSES_PER_DAY,
    MAX_ENTRIES_PER_DAY,
    MAX_NEW_DOSES_PER_MINUTE,
    MAX_NEW_ENTRIES_PER_MINUTE,
    DiaryEntry,
    Meal,
    SupplementIntake,
)
from tests.diary.factories import SupplementFactory, spinach_boiled
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SOURCE, TARGET = date(2026, 2, 3), date(2026, 2, 4)
COPY = "/api/v1/diary/copy/"
ENTRIES = "/api/v1/diary/entries/"
DOSES = "/api/v1/diary/supplement-intakes/"
ADD_FORM = {"meal": "lunch", "amount": "50", "unit": "g"}


@pytest.fixture
def food(db):
    return spinach_boiled()[0]


def _entries(user, food, day: date, count: int, *, meal: str = Meal.LUNCH, recent: bool = False):
    """`count` entries on `day`, made an hour ago (or just now, to fill the minute's limit)."""
    rows = DiaryEntry.objects.bulk_create(
        DiaryEntry(user=user, date=day, meal=meal, food=food, grams=100) for _ in range(count)
    )
    if not recent:
        DiaryEntry.objects.filter(pk__in=[r.pk for r in rows]).update(
            created_at=timezone.now() - timedelta(hours=1)
        )
    return rows


def _doses(user, day: date, count: int, *, recent: bool = False):
    supplement = SupplementFactory(user=user)
    rows = SupplementIntake.objects.bulk_create(
        SupplementIntake(user=user, date=day, supplement=supplement) for _ in range(count)
    )
    if not recent:
        SupplementIntake.objects.filter(pk__in=[r.pk for r in rows]).update(
            created_at=timezone.now() - timedelta(hours=1)
        )
    return supplement


def _entry_body(food, day: date = TARGET) -> dict:
    return {"date": day.isoformat(), "meal": "lunch", "food": food.pk, "grams": 50}


# --- Copying onto itself --------------------------------------------------------------------------


def test_api_refuses_copying_a_day_onto_itself(user_api, user, food):
    _entries(user, food, SOURCE, 3)
    r = user_api.post(COPY, {"source_date": "2026-02-03", "target_date": "2026-02-03"})
    assert r.status_code == 400
    assert "onto itself" in r.json()["target_date"][0]
    r = user_api.post(
        COPY, {"source_date": "2026-02-03", "target_date": "2026-02-03", "meal": "lunch"}
    )
    assert r.status_code == 400 and "target_date" in r.json()
    assert DiaryEntry.objects.count() == 3


def test_page_refuses_copying_a_day_onto_itself(user_client, user, food):
    _entries(user, food, SOURCE, 3)
    r = user_client.post("/diary/2026-02-03/copy/", {"source_day": "2026-02-03"})
    assert r.status_code == 400
    assert "copying a day onto itself would double it" in r.content.decode()
    r = user_client.post("/diary/2026-02-03/copy/", {"source_day": "2026-02-03", "meal": "lunch"})
    assert r.status_code == 400
    assert "copying a meal onto itself" in r.content.decode()
    assert DiaryEntry.objects.count() == 3


def test_a_meal_may_go_into_another_meal_of_the_same_day(user, food):
    _entries(user, food, SOURCE, 2, meal=Meal.LUNCH)
    copies = services.diary_copy(
        user=user, source_day=SOURCE, target_day=SOURCE, meal="lunch", target_meal="dinner"
    )
    assert len(copies.entries) == 2
    with pytest.raises(ValidationError) as refused:
        services.diary_copy(
            user=user, source_day=SOURCE, target_day=SOURCE, meal="lunch", target_meal="lunch"
        )
    assert "date" in refused.value.message_dict
    with pytest.raises(ValidationError):  # the whole day into one meal doubles it as well
        services.diary_copy(user=user, source_day=SOURCE, target_day=SOURCE, target_meal="snack")
    assert DiaryEntry.objects.count() == 4


# --- So many a day --------------------------------------------------------------------------------


def test_a_day_holds_at_most_200_entries(user_api, user_client, user, food):
    _entries(user, food, TARGET, MAX_ENTRIES_PER_DAY)
    r = user_api.post(ENTRIES, _entry_body(food))
    assert r.status_code == 400
    assert "at most 200 entries" in r.json()["date"][0]
    page = user_client.post(
        "/diary/2026-02-04/entries/",
        {"food": food.pk, "meal": "lunch", "amount": "50", "unit": "g"},
    )
    assert page.status_code == 400
    assert "at most 200 entries" in page.content.decode()
    assert DiaryEntry.objects.filter(date=TARGET).count() == MAX_ENTRIES_PER_DAY
    # The next day still takes entries.
    assert user_api.post(ENTRIES, _entry_body(food, TARGET + timedelta(days=1))).status_code == 201


def test_moving_an_entry_onto_a_full_day_is_refused(user_api, user, food):
    _entries(user, food, TARGET, MAX_ENTRIES_PER_DAY)
    (entry,) = _entries(user, food, SOURCE, 1)
    r = user_api.patch(f"{ENTRIES}{entry.pk}/", {"date": "2026-02-04"})
    assert r.status_code == 400 and "at most 200 entries" in r.json()["date"][0]
    assert DiaryEntry.objects.get(pk=entry.pk).date == SOURCE
    # Changing it without moving it is fine.
    assert user_api.patch(f"{ENTRIES}{entry.pk}/", {"grams": 60}).status_code == 200


def test_a_copy_past_the_day_limit_is_refused_whole(user_api, user_client, user, food):
    _entries(user, food, SOURCE, 30)
    _entries(user, food, TARGET, MAX_ENTRIES_PER_DAY - 20)
    r = user_api.post(COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04"})
    assert r.status_code == 400
    assert "at most 200 entries" in r.json()["target_date"][0]
    page = user_client.post("/diary/2026-02-04/copy/", {"source_day": "2026-02-03"})
    assert page.status_code == 400 and "Nothing was saved" in page.content.decode()
    assert DiaryEntry.objects.filter(date=TARGET).count() == MAX_ENTRIES_PER_DAY - 20


def test_a_copy_adds_at_most_a_minutes_worth(user_api, user, food):
    _entries(user, food, SOURCE, MAX_NEW_ENTRIES_PER_MINUTE + 1)
    r = user_api.post(COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04"})
    assert r.status_code == 400
    assert "copy one meal at a time" in r.json()["source_date"][0]
    assert not DiaryEntry.objects.filter(date=TARGET).exists()


def test_a_day_holds_at_most_50_doses(user_api, user_client, user):
    supplement = _doses(user, TARGET, MAX_DOSES_PER_DAY)
    body = {"date": "2026-02-04", "supplement": supplement.pk}
    r = user_api.post(DOSES, body)
    assert r.status_code == 400 and "at most 50 doses" in r.json()["date"][0]
    page = user_client.post("/diary/2026-02-04/doses/", {"supplement": supplement.pk, "units": "1"})
    assert page.status_code == 400 and "at most 50 doses" in page.content.decode()
    (other,) = SupplementIntake.objects.bulk_create(
        [SupplementIntake(user=user, date=SOURCE, supplement=supplement)]
    )
    r = user_api.patch(f"{DOSES}{other.pk}/", {"date": "2026-02-04"})
    assert r.status_code == 400
    assert SupplementIntake.objects.filter(date=TARGET).count() == MAX_DOSES_PER_DAY


# --- So many a minute -----------------------------------------------------------------------------


def test_more_than_60_new_entries_a_minute_is_a_429(user_api, user_client, user, food):
    _entries(user, food, SOURCE, MAX_NEW_ENTRIES_PER_MINUTE, recent=True)
    r = user_api.post(ENTRIES, _entry_body(food))
    assert r.status_code == 429
    assert "at most 60 diary entries a minute" in r.json()["detail"]
    assert 1 <= int(r["Retry-After"]) <= 60
    page = user_client.post(
        "/diary/2026-02-04/entries/",
        {"food": food.pk, "meal": "lunch", "amount": "50", "unit": "g"},
    )
    assert page.status_code == 429
    assert "at most 60 diary entries a minute" in page.content.decode()
    assert not DiaryEntry.objects.filter(date=TARGET).exists()
    # A minute later there is room again.
    DiaryEntry.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert user_api.post(ENTRIES, _entry_body(food)).status_code == 201


def test_copies_count_towards_the_minute(user_api, user_client, user, food):
    _entries(user, food, SOURCE, 10)
    _entries(user, food, date(2026, 1, 1), MAX_NEW_ENTRIES_PER_MINUTE - 5, recent=True)
    r = user_api.post(COPY, {"source_date": "2026-02-03", "target_date": "2026-02-04"})
    assert r.status_code == 429 and "Retry-After" in r
    page = user_client.post("/diary/2026-02-04/copy/", {"source_day": "2026-02-03"})
    assert page.status_code == 429 and "a minute" in page.content.decode()
    assert not DiaryEntry.objects.filter(date=TARGET).exists()


def test_a_dozen_copies_cannot_flood_a_day(user_api, user, food):
    """The attack that took the site down: copying a day onto others over and over."""
    _entries(user, food, SOURCE, 20)
    answers = [
        user_api.post(COPY, {"source_date": "2026-02-03", "target_date": f"2026-03-{d:02d}"})
        for d in range(1, 13)
    ]
    assert [a.status_code for a in answers].count(201) == 3  # 60 entries: the minute's worth
    assert {a.status_code for a in answers[3:]} == {429}
    assert DiaryEntry.objects.count() == 20 + MAX_NEW_ENTRIES_PER_MINUTE


def test_more_than_60_doses_a_minute_is_a_429(user_api, user):
    supplement = _doses(user, SOURCE, MAX_NEW_DOSES_PER_MINUTE, recent=True)
    r = user_api.post(DOSES, {"date": "2026-02-04", "supplement": supplement.pk})
    assert r.status_code == 429 and "doses a minute" in r.json()["detail"]
    assert not SupplementIntake.objects.filter(date=TARGET).exists()


def test_the_limits_are_per_person(user_api, user, food):
    _entries(UserFactory(), food, TARGET, MAX_ENTRIES_PER_DAY, recent=True)
    assert user_api.post(ENTRIES, _entry_body(food)).status_code == 201


def test_the_schema_documents_the_limits(user_api):
    schema = user_api.get("/api/schema/", {"format": "json"}).json()
    create = schema["paths"]["/api/v1/diary/entries/"]["post"]
    assert "at most 200 entries" in create["description"] and "429" in create["responses"]
    copy = schema["paths"]["/api/v1/diary/copy/"]["post"]
    assert "onto itself" in copy["description"]
    dose = schema["paths"]["/api/v1/diary/supplement-intakes/"]["post"]
    assert "at most 50 doses" in dose["description"]


# --- Concurrent requests (PostgreSQL row locks) ---------------------------------------------------


def _race(count: int, work) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def run():
        barrier.wait()
        try:
            work()
            outcomes.append("saved")
        except (ValidationError, RateLimited) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_never_pass_the_day_limit():
    if not connection.features.has_select_for_update:
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers instead")
    user, food = UserFactory(), spinach_boiled()[0]
    _entries(user, food, TARGET, MAX_ENTRIES_PER_DAY - 1)
    outcomes = _race(
        4,
        lambda: services.diary_entry_create(
            user=user, day=TARGET, meal="lunch", food_id=food.pk, grams="10"
        ),
    )
    assert outcomes.count("saved") == 1
    assert DiaryEntry.objects.filter(date=TARGET).count() == MAX_ENTRIES_PER_DAY


@pytest.mark.django_db(transaction=True)
def test_concurrent_copies_of_one_day_copy_it_once():
    """Three copies of the same day at once: the first copies it, the others find it copied
    and add nothing (without the lock each would see nothing copied yet)."""
    if not connection.features.has_select_for_update:
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers instead")
    user, food = UserFactory(), spinach_boiled()[0]
    _entries(user, food, SOURCE, 40)
    outcomes = _race(
        3, lambda: services.diary_copy(user=user, source_day=SOURCE, target_day=TARGET)
    )
    assert outcomes == ["saved"] * 3
    assert DiaryEntry.objects.filter(date=TARGET).count() == 40


@pytest.mark.django_db(transaction=True)
def test_concurrent_copies_of_different_days_never_pass_the_minute():
    if not connection.features.has_select_for_update:
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers instead")
    user, food = UserFactory(), spinach_boiled()[0]
    sources = [SOURCE - timedelta(days=n) for n in range(3)]
    for day in sources:
        _entries(user, food, day, 40)
    days = iter(sources)
    outcomes = _race(
        3, lambda: services.diary_copy(user=user, source_day=next(days), target_day=TARGET)
    )
    assert outcomes.count("saved") == 1
    assert DiaryEntry.objects.filter(date=TARGET).count() == 40
