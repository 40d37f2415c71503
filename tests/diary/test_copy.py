"""Copying a day is idempotent: copying the same source again adds nothing and says so
(asking whether to copy it again: tests/diary/test_copy_again.py)."""

from datetime import date

import pytest

from nutrition.diary import services
from nutrition.diary.models import DiaryEntry, Meal
from tests.diary.factories import DiaryEntryFactory, spinach_boiled

SOURCE, TARGET = date(2026, 2, 3), date(2026, 2, 4)
COPY = "/api/v1/diary/copy/"


@pytest.fixture
def source_day(user):
    food, _cup = spinach_boiled()
    for meal, grams in [(Meal.BREAKFAST, 100), (Meal.LUNCH, 90), (Meal.LUNCH, 45)]:
        DiaryEntryFactory(user=user, date=SOURCE, meal=meal, food=food, grams=grams)


def on_target(user) -> list[tuple[str, int]]:
    return sorted((e.meal, int(e.grams)) for e in DiaryEntry.objects.filter(user=user, date=TARGET))


@pytest.mark.django_db
def test_the_api_copies_a_day_once(user_api, user, source_day):
    body = {"source_date": "2026-02-03", "target_date": "2026-02-04"}
    first = user_api.post(COPY, body)
    assert first.status_code == 201
    assert (first.json()["count"], first.json()["already_copied"]) == (3, 0)
    again = user_api.post(COPY, body)
    assert again.status_code == 200
    body = again.json()
    assert (body["count"], body["already_copied"], body["entries"]) == (0, 3, [])
    # New beside the old contract: no doses asked for, and when the first copy was made.
    assert (body["doses_count"], body["doses"]) == (0, [])
    assert body["copied_before_at"] is not None
    assert on_target(user) == [("breakfast", 100), ("lunch", 45), ("lunch", 90)]


@pytest.mark.django_db
def test_the_page_says_nothing_new_was_copied(user_client, user, source_day):
    url = "/diary/2026-02-04/copy/"
    assert user_client.post(url, {"source_day": "2026-02-03"}).status_code == 302
    page = user_client.post(url, {"source_day": "2026-02-03"}, follow=True).content.decode()
    assert "Nothing new to copy: everything from Tuesday 3 February is here already." in page
    assert "You copied this already on" in page
    assert len(on_target(user)) == 3


@pytest.mark.django_db
def test_a_copy_removed_since_is_copied_again_and_the_rest_not(user, source_day):
    services.diary_copy(user=user, source_day=SOURCE, target_day=TARGET)
    DiaryEntry.objects.filter(user=user, date=TARGET, grams=45).delete()
    copied = services.diary_copy(user=user, source_day=SOURCE, target_day=TARGET)
    assert [int(e.grams) for e in copied.entries] == [45] and copied.already == 2
    assert len(on_target(user)) == 3


@pytest.mark.django_db
def test_a_meal_may_be_copied_into_another_meal_as_well(user, source_day):
    """The same lunch as lunch and as dinner on the next day: two different copies."""
    services.diary_copy(user=user, source_day=SOURCE, target_day=TARGET, meal=Meal.LUNCH)
    as_dinner = services.diary_copy(
        user=user, source_day=SOURCE, target_day=TARGET, meal=Meal.LUNCH, target_meal=Meal.DINNER
    )
    assert len(as_dinner.entries) == 2
    again = services.diary_copy(
        user=user, source_day=SOURCE, target_day=TARGET, meal=Meal.LUNCH, target_meal=Meal.DINNER
    )
    assert (again.entries, again.already) == ([], 2)
    assert on_target(user) == [("dinner", 45), ("dinner", 90), ("lunch", 45), ("lunch", 90)]


@pytest.mark.django_db
def test_a_copy_of_a_copy_is_a_new_source(user, source_day):
    """Day 3 → 4 → 5: each day's entries are copied from the day before, once."""
    services.diary_copy(user=user, source_day=SOURCE, target_day=TARGET)
    further = date(2026, 2, 5)
    assert len(services.diary_copy(user=user, source_day=TARGET, target_day=further).entries) == 3
    assert services.diary_copy(user=user, source_day=TARGET, target_day=further).entries == []
    assert DiaryEntry.objects.filter(user=user, date=further).count() == 3
