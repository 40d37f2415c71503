"""Copying any earlier day, or one meal of it, with its supplement doses when asked; a second
copy of the same source asks first, and copies again only once the person confirms. The
limits of tests/diary/test_write_limits.py hold for every copy."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from nutrition.diary.models import (
    MAX_DOSES_PER_DAY,
    MAX_ENTRIES_PER_DAY,
    MAX_NEW_ENTRIES_PER_MINUTE,
    DiaryEntry,
    Meal,
    Supplement,
    SupplementIntake,
)
from tests.diary.factories import (
    DiaryEntryFactory,
    SupplementFactory,
    SupplementIntakeFactory,
    spinach_boiled,
)

pytestmark = pytest.mark.django_db

SOURCE, TARGET = date(2026, 1, 20), date(2026, 2, 4)
PAGE = "/diary/2026-02-04/copy/"
API = "/api/v1/diary/copy/"
ASKS = "You copied this already on"


@pytest.fixture
def source(user):
    """Breakfast and two lunch entries, and two doses, two weeks before the target."""
    food, _cup = spinach_boiled()
    for meal, grams in [(Meal.BREAKFAST, 100), (Meal.LUNCH, 90), (Meal.LUNCH, 45)]:
        DiaryEntryFactory(user=user, date=SOURCE, meal=meal, food=food, grams=grams)
    supplement = SupplementFactory(user=user, elemental_mg_per_unit=Decimal("120.0"))
    SupplementIntakeFactory(supplement=supplement, date=SOURCE, units=2, taken_at=time(8, 0))
    SupplementIntakeFactory(supplement=supplement, date=SOURCE, units=1)
    return food


def entries(user, day=TARGET) -> list[tuple[str, int]]:
    rows = DiaryEntry.objects.filter(user=user, date=day)
    return sorted((e.meal, int(e.grams)) for e in rows)


def doses(user, day=TARGET) -> list[int]:
    return sorted(int(d.units) for d in SupplementIntake.objects.filter(user=user, date=day))


def _old(model, user) -> None:
    """Move the rows made so far out of the minute's window."""
    model.objects.filter(user=user).update(created_at=timezone.now() - timedelta(hours=1))


# --- The page -------------------------------------------------------------------------------------


def test_the_day_page_offers_a_date_a_meal_and_supplements(user_client):
    page = user_client.get("/diary/2026-02-04/").content.decode()
    assert 'id="copy-source-day" type="date" name="source_day" value="2026-02-03"' in page
    assert '<label for="copy-meal">What to copy</label>' in page
    assert '<label for="copy-supplements">Include supplements</label>' in page


def test_the_page_copies_a_chosen_day_without_its_supplements(user_client, user, source):
    r = user_client.post(PAGE, {"source_day": "2026-01-20"})
    assert r.status_code == 302
    assert entries(user) == [("breakfast", 100), ("lunch", 45), ("lunch", 90)]
    assert doses(user) == []
    page = user_client.get(r.url).content.decode()
    assert "Copied 3 entries from Tuesday 20 January." in page


def test_the_page_copies_one_meal_with_the_days_supplements(user_client, user, source):
    body = {"source_day": "2026-01-20", "meal": "lunch", "include_supplements": "on"}
    r = user_client.post(PAGE, body, follow=True)
    assert "Copied 2 entries and 2 supplement doses from Tuesday 20 January." in r.content.decode()
    assert entries(user) == [("lunch", 45), ("lunch", 90)]
    assert doses(user) == [1, 2]
    copies = SupplementIntake.objects.filter(user=user, date=TARGET)
    originals = SupplementIntake.objects.filter(user=user, date=SOURCE)
    assert {c.copied_from_id for c in copies} == {o.pk for o in originals}
    assert {c.taken_at for c in copies} == {time(8, 0), None}


def test_a_second_copy_asks_first_and_adds_nothing(user_client, user, source):
    user_client.post(PAGE, {"source_day": "2026-01-20", "include_supplements": "on"})
    r = user_client.post(PAGE, {"source_day": "2026-01-20", "include_supplements": "on"})
    assert r.status_code == 200
    page = r.content.decode()
    assert ASKS in page and "copy again?" in page
    assert "Nothing new to copy: everything from Tuesday 20 January is here already." in page
    assert "Yes, copy again" in page and "No, keep this day as it is" in page
    # The question carries what to copy again, and says so.
    assert '<input type="hidden" name="again" value="on">' in page
    assert '<input type="hidden" name="include_supplements" value="on">' in page
    assert len(entries(user)) == 3 and len(doses(user)) == 2


def test_confirming_copies_again_as_new_copies(user_client, user, source):
    user_client.post(PAGE, {"source_day": "2026-01-20", "include_supplements": "on"})
    _old(DiaryEntry, user)
    confirm = {"source_day": "2026-01-20", "include_supplements": "on", "again": "on"}
    r = user_client.post(PAGE, confirm, follow=True)
    assert "Copied 3 entries and 2 supplement doses from Tuesday 20 January." in r.content.decode()
    assert entries(user) == [("breakfast", 100)] * 2 + [("lunch", 45)] * 2 + [("lunch", 90)] * 2
    assert doses(user) == [1, 1, 2, 2]
    originals = set(DiaryEntry.objects.filter(user=user, date=SOURCE).values_list("pk", flat=True))
    copies = DiaryEntry.objects.filter(user=user, date=TARGET)
    assert all(c.copied_from_id in originals for c in copies)
    # Asked once more, it asks once more.
    r = user_client.post(PAGE, {"source_day": "2026-01-20", "include_supplements": "on"})
    assert r.status_code == 200 and ASKS in r.content.decode()
    assert len(entries(user)) == 6


def test_a_meal_copied_before_asks_for_that_meal_only(user_client, user, source):
    user_client.post(PAGE, {"source_day": "2026-01-20", "meal": "lunch"})
    r = user_client.post(PAGE, {"source_day": "2026-01-20", "meal": "breakfast"})
    assert r.status_code == 302  # breakfast was never copied: no question
    r = user_client.post(PAGE, {"source_day": "2026-01-20", "meal": "lunch"})
    assert ASKS in r.content.decode()
    assert '<input type="hidden" name="meal" value="lunch">' in r.content.decode()


def test_supplements_asked_for_later_are_copied_without_a_question(user_client, user, source):
    user_client.post(PAGE, {"source_day": "2026-01-20"})
    r = user_client.post(PAGE, {"source_day": "2026-01-20", "include_supplements": "on"})
    assert r.status_code == 302
    assert len(entries(user)) == 3 and doses(user) == [1, 2]


def test_doses_of_a_product_taken_off_the_list_are_not_copied(user_client, user, source):
    Supplement.objects.filter(user=user).update(archived=True)
    r = user_client.post(PAGE, {"source_day": "2026-01-20", "include_supplements": "on"})
    assert r.status_code == 302
    assert len(entries(user)) == 3 and doses(user) == []


# --- Whose day: always the person's own ---------------------------------------------------------


def test_another_persons_day_is_never_the_source(user_client, user_api, user, other_user):
    food, _cup = spinach_boiled()
    DiaryEntryFactory(user=other_user, date=SOURCE, meal=Meal.LUNCH, food=food, grams=80)
    SupplementIntakeFactory(supplement=SupplementFactory(user=other_user), date=SOURCE)
    r = user_client.post(PAGE, {"source_day": "2026-01-20", "include_supplements": "on"})
    assert r.status_code == 400
    assert "There is nothing to copy from that day." in r.content.decode()
    body = {"source_date": "2026-01-20", "target_date": "2026-02-04", "include_supplements": True}
    r = user_api.post(API, body, format="json")
    assert r.status_code == 400 and "nothing to copy" in r.json()["source_date"][0]
    assert not DiaryEntry.objects.filter(date=TARGET).exists()
    assert not SupplementIntake.objects.filter(date=TARGET).exists()


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "Enter a real date to copy from"),
        ("yesterday", "Enter a real date to copy from"),
        ("", "Choose a day to copy from."),
        ("1850-01-01", "between"),
    ],
)
def test_a_bad_date_is_a_form_error(user_client, user, source, value, message):
    r = user_client.post(PAGE, {"source_day": value, "include_supplements": "on"})
    assert r.status_code == 400
    page = r.content.decode()
    assert message in page and 'aria-invalid="true"' in page
    assert not DiaryEntry.objects.filter(date=TARGET).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source_date": "2026-02-30"}, "source_date"),
        ({"source_date": "2026-01-20", "again": "perhaps"}, "again"),
        ({"source_date": "2026-01-20", "include_supplements": [1]}, "include_supplements"),
        (
            {"source_date": "2026-02-04", "include_supplements": True, "meal": "lunch"},
            "target_date",
        ),
    ],
)
def test_the_api_refuses_bad_input_with_a_400(user_api, user, source, body, field):
    r = user_api.post(API, {"target_date": "2026-02-04", **body}, format="json")
    assert r.status_code == 400 and field in r.json()
    assert not DiaryEntry.objects.filter(date=TARGET).exists()


# --- The API --------------------------------------------------------------------------------------


def test_the_api_copies_again_only_when_asked(user_api, user, source):
    body = {"source_date": "2026-01-20", "target_date": "2026-02-04", "include_supplements": True}
    first = user_api.post(API, body, format="json")
    assert first.status_code == 201
    made = first.json()
    assert (made["count"], made["doses_count"], made["copied_before_at"]) == (3, 2, None)
    assert sorted(d["units"] for d in made["doses"]) == [1, 2]
    repeat = user_api.post(API, body, format="json")
    assert repeat.status_code == 200
    said = repeat.json()
    assert (said["count"], said["already_copied"], said["doses_already_copied"]) == (0, 3, 2)
    assert said["copied_before_at"] is not None
    _old(DiaryEntry, user)
    again = user_api.post(API, {**body, "again": True}, format="json")
    assert again.status_code == 201
    assert (again.json()["count"], again.json()["doses_count"]) == (3, 2)
    assert len(entries(user)) == 6 and len(doses(user)) == 4


def test_the_schema_documents_again_and_supplements(user_api):
    schema = user_api.get("/api/schema/", {"format": "json"}).json()
    copy = schema["paths"]["/api/v1/diary/copy/"]["post"]
    assert "`again: true`" in copy["description"]
    assert f"{MAX_DOSES_PER_DAY} doses" in copy["description"]
    ref = copy["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert {"again", "include_supplements"} <= request.keys()


# --- The limits hold ------------------------------------------------------------------------------


def test_copying_again_past_the_days_limit_is_refused_whole(user_client, user_api, user, source):
    user_client.post(PAGE, {"source_day": "2026-01-20", "include_supplements": "on"})
    food = source
    DiaryEntry.objects.bulk_create(
        DiaryEntry(user=user, date=TARGET, meal=Meal.DINNER, food=food, grams=10)
        for _ in range(MAX_ENTRIES_PER_DAY - 3 - 2)
    )
    _old(DiaryEntry, user)
    confirm = {"source_day": "2026-01-20", "include_supplements": "on", "again": "on"}
    r = user_client.post(PAGE, confirm)
    assert r.status_code == 400 and "Nothing was saved" in r.content.decode()
    assert DiaryEntry.objects.filter(date=TARGET).count() == MAX_ENTRIES_PER_DAY - 2
    assert len(doses(user)) == 2  # the doses of the refused copy are not saved either


def test_copying_supplements_past_the_days_doses_is_refused_whole(user_api, user, source):
    supplement = SupplementFactory(user=user)
    SupplementIntake.objects.bulk_create(
        SupplementIntake(user=user, date=TARGET, supplement=supplement)
        for _ in range(MAX_DOSES_PER_DAY - 1)
    )
    body = {"source_date": "2026-01-20", "target_date": "2026-02-04", "include_supplements": True}
    r = user_api.post(API, body, format="json")
    assert r.status_code == 400 and "at most 50 doses" in r.json()["target_date"][0]
    assert entries(user) == []  # all or nothing: the entries stay out too


def test_copying_again_counts_towards_the_minutes_limit(user_api, user, source):
    body = {"source_date": "2026-01-20", "target_date": "2026-02-04"}
    assert user_api.post(API, body, format="json").status_code == 201
    food = source
    DiaryEntry.objects.bulk_create(
        DiaryEntry(user=user, date=date(2026, 3, 1), meal=Meal.LUNCH, food=food, grams=10)
        for _ in range(MAX_NEW_ENTRIES_PER_MINUTE - 3 - 1)
    )
    r = user_api.post(API, {**body, "again": True}, format="json")
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert len(entries(user)) == 3


def test_a_day_is_still_never_copied_onto_itself(user_api, user_client, user, source):
    r = user_client.post("/diary/2026-01-20/copy/", {"source_day": "2026-01-20", "again": "on"})
    assert r.status_code == 400 and "onto itself" in r.content.decode()
    assert DiaryEntry.objects.filter(user=user, date=SOURCE).count() == 3
