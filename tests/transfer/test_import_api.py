"""POST/GET/DELETE /api/v1/me/imports/…: the contract's answers, the role matrix, the query
counts, refusals that save nothing, and the 3-month Cronometer file end to end."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutrition import amounts
from nutrition.diary.models import DiaryEntry, Meal
from nutrition.transfer import services
from nutrition.transfer.models import Import, ImportRow
from nutrition.transfer.services import meal_for
from tests.clinic.conftest import as_role
from tests.conftest import throttle_queries
from tests.diary.factories import DiaryEntryFactory, FoodFactory
from tests.transfer.helpers import IMPORTS, csv_file, sample_foods, servings, upload
from tests.transfer.samples import START, cronometer_servings_sample

ONE_ROW = servings('2026-03-02,,Breakfast,"Oats, Rolled, Dry",80.00 g,303.2,110.37,')


@pytest.fixture
def oats(db):
    return FoodFactory(name="Oats, rolled, dry", magnesium_mg_per_100g=Decimal("138"))


def summary(api, start, end) -> dict:
    r = api.get("/api/v1/diary/summary/", {"start": start.isoformat(), "end": end.isoformat()})
    assert r.status_code == 200, r.json()
    return {d["date"]: d["food_mg"] for d in r.json()["days"]}


def days_of(api, days) -> dict:
    return {d: api.get(f"/api/v1/diary/days/{d.isoformat()}/").json() for d in days}


def test_upload_answers_the_preview_in_the_contracts_shape(user_api, oats):
    r = upload(user_api, ONE_ROW)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert {"id", "format", "status", "rows", "days", "magnesium_mg_by_day", "unmatched"} <= set(
        body
    )
    assert body["format"] == "cronometer-servings" and body["status"] == "preview"
    assert body["rows"] == 1 and body["days"] == 1
    assert body["magnesium_mg_by_day"] == {"2026-03-02": 110.4}
    assert body["unmatched"] == [] and body["already_imported"] is None
    assert DiaryEntry.objects.count() == 0
    # The rows, each with the foods offered for it.
    rows = user_api.get(f"{IMPORTS}{body['id']}/rows/").json()["results"]
    assert rows[0]["food"] == {"id": oats.pk, "name": oats.name}
    assert rows[0]["candidates"][0]["id"] == oats.pk
    assert rows[0]["file_magnesium_mg"] == 110.37 and rows[0]["estimated"] is False


def test_a_format_given_must_fit_the_header(user_api, oats):
    r = upload(user_api, ONE_ROW, format="macrofactor")
    assert r.status_code == 400 and "line 1" in r.json()["file"][0]
    assert upload(user_api, ONE_ROW, format="cronometer-servings").status_code == 201


def test_unmatched_names_are_listed(user_api, oats):
    r = upload(user_api, servings("2026-03-02,,Lunch,Zzyzx root,1.00 each,10,5.00,"))
    assert r.json()["unmatched"] == [{"name": "Zzyzx root", "rows": 1, "first_line": 2}]
    left_out = user_api.get(f"{IMPORTS}{r.json()['id']}/rows/", {"kind": "unmatched"}).json()
    assert [row["name"] for row in left_out["results"]] == ["Zzyzx root"]
    assert user_api.get(f"{IMPORTS}{r.json()['id']}/rows/", {"kind": "x"}).status_code == 400


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"file": csv_file(servings("2026-02-30,,Lunch,Oats,80 g,1,2,"))}, "line 2"),
        ({"file": csv_file("")}, "empty"),
        ({"format": "cronometer-servings"}, "No file"),
        ({"file": csv_file(ONE_ROW), "format": "excel"}, "not a valid choice"),
    ],
)
def test_bad_uploads_answer_400_and_save_nothing(user_api, oats, payload, words):
    r = user_api.post(IMPORTS, payload, format="multipart")
    assert r.status_code == 400
    assert words.lower() in str(r.json()).lower()
    assert not Import.objects.exists() and not ImportRow.objects.exists()


def test_a_body_larger_than_any_file_is_refused_before_it_is_read(user_api):
    r = user_api.generic(
        "POST",
        IMPORTS,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
    )
    assert r.status_code == 413 and "at most 20 MB" in r.json()["detail"]
    assert not Import.objects.exists()


def test_a_file_over_20_mb_is_refused(user_api, monkeypatch):
    from nutrition.transfer import api_imports

    monkeypatch.setattr(api_imports, "MAX_FILE_BYTES", 1000)
    r = upload(user_api, ONE_ROW + "x" * 2000)
    assert r.status_code == 400 and "larger than" in r.json()["file"][0]
    assert not Import.objects.exists()


def test_json_is_not_an_upload(user_api):
    r = user_api.post(IMPORTS, {"file": "Day,Food Name,Amount"}, format="json")
    assert r.status_code == 415


def test_too_many_files_in_an_hour_answer_429(user_api, oats, monkeypatch):
    monkeypatch.setattr(services, "MAX_PREVIEWS_PER_HOUR", 1)
    assert upload(user_api, ONE_ROW).status_code == 201
    r = upload(user_api, ONE_ROW)
    assert r.status_code == 429 and int(r["Retry-After"]) >= 1
    assert Import.objects.count() == 1


def test_commit_and_reimport_and_undo(user_api, user, oats):
    first = upload(user_api, ONE_ROW).json()
    r = user_api.post(f"{IMPORTS}{first['id']}/commit/")
    assert r.status_code == 200 and r.json()["status"] == "committed"
    assert r.json()["entries_added"] == 1
    day = user_api.get("/api/v1/diary/days/2026-03-02/").json()
    assert day["magnesium"]["food_mg"] == 110.4
    assert day["entries"][0]["magnesium_origin"] == "imported from Cronometer"
    # The same file again: the preview says so, and committing it adds nothing.
    again = upload(user_api, ONE_ROW).json()
    assert again["already_imported"] == first["id"]
    refused = user_api.post(f"{IMPORTS}{again['id']}/commit/")
    assert refused.status_code == 400 and "adds nothing" in str(refused.json())
    assert DiaryEntry.objects.filter(user=user).count() == 1
    assert user_api.post(f"{IMPORTS}{first['id']}/commit/").status_code == 400
    # Undo.
    assert user_api.delete(f"{IMPORTS}{first['id']}/").status_code == 204
    assert user_api.get(f"{IMPORTS}{first['id']}/").json()["status"] == "undone"
    assert not DiaryEntry.objects.filter(user=user).exists()


def test_change_a_match_through_the_api(user_api, user, oats):
    other = FoodFactory(name="Muesli", magnesium_mg_per_100g=Decimal("100"))
    batch = upload(user_api, servings("2026-03-02,,Lunch,Oats rolled,80.00 g,303.2,,")).json()
    row = user_api.get(f"{IMPORTS}{batch['id']}/rows/").json()["results"][0]
    url = f"{IMPORTS}{batch['id']}/rows/{row['id']}/"
    r = user_api.patch(url, {"food": other.pk}, format="json")
    assert r.status_code == 200 and r.json()["food"]["id"] == other.pk
    assert r.json()["magnesium_mg"] == 80.0 and r.json()["estimated"] is True
    assert user_api.get(f"{IMPORTS}{batch['id']}/").json()["magnesium_mg_by_day"] == {
        "2026-03-02": 80.0
    }
    assert user_api.patch(url, {"grams": 0}, format="json").status_code == 400
    assert user_api.patch(url, {"food": 10**9}, format="json").status_code == 400
    assert (
        user_api.patch(f"{IMPORTS}{batch['id']}/rows/{10**9}/", {}, format="json").status_code
        == 404
    )
    user_api.post(f"{IMPORTS}{batch['id']}/commit/")
    assert user_api.patch(url, {"food": oats.pk}, format="json").status_code == 400


# --- Who may see and change an import -------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 403),
        ("client", 200),
        ("stranger", 404),
        ("dietitian_consented", 404),
        ("dietitian_without_consent", 404),
        ("staff", 404),
    ],
)
def test_role_matrix(role, status, client_user, dietitian, relationship, oats):
    batch = services.import_preview(owner=client_user, content=ONE_ROW.encode())
    row = ImportRow.objects.get(batch=batch)
    api = as_role(role, dietitian=dietitian, client_user=client_user, api=True)
    base = f"{IMPORTS}{batch.pk}/"
    answers = [
        api.get(base).status_code,
        api.get(f"{base}rows/").status_code,
        api.patch(f"{base}rows/{row.pk}/", {"food": oats.pk}, format="json").status_code,
    ]
    assert answers == [status] * 3
    listed = api.get(IMPORTS)
    if role == "anonymous":
        assert listed.status_code == 403
    else:
        ids = [item["id"] for item in listed.json()["results"]]
        assert ids == ([batch.pk] if role == "client" else [])
    commit = api.post(f"{base}commit/").status_code
    assert commit == (200 if role == "client" else status)
    undo = api.delete(base).status_code
    assert undo == (204 if role == "client" else status)
    entries = DiaryEntry.objects.filter(user=client_user).count()
    assert entries == 0  # the owner's undo removed it; nobody else added any


@pytest.mark.parametrize("n", [1, 6])
def test_the_list_costs_the_same_queries_whatever_its_length(user_api, user, n):
    for i in range(n):
        Import.objects.create(owner=user, format="cronometer-servings", sha256=f"{i:064d}")
    with CaptureQueriesContext(connection) as queries:
        r = user_api.get(IMPORTS)
    assert r.status_code == 200 and r.json()["count"] == n
    assert len(queries) == 3 + throttle_queries()  # verified e-mail, count, page


@pytest.mark.parametrize("n", [2, 12])
def test_the_rows_cost_the_same_queries_whatever_their_number(user_api, user, oats, n):
    text = servings(
        *[f"2026-03-{d:02d},,Lunch,Oats rolled,10.00 g,37,13.8," for d in range(1, n + 1)]
    )
    batch = upload(user_api, text).json()
    with CaptureQueriesContext(connection) as queries:
        r = user_api.get(f"{IMPORTS}{batch['id']}/rows/")
    assert r.status_code == 200 and r.json()["count"] == n
    # the import, count, the page with its foods, the candidates' names (the verified e-mail
    # was read at the upload, on the same signed-in person)
    assert len(queries) == 4 + throttle_queries()


# --- The 3-month file ---------------------------------------------------------------------


def test_three_months_of_cronometer_import_with_each_days_magnesium_equal_to_the_files(
    user_api, user
):
    sample_foods()
    sample = cronometer_servings_sample(days=90, seed=1)
    # Someone's own entry on a day of the file stays as it is, before and after.
    own_food = FoodFactory(name="Kale, raw", magnesium_mg_per_100g=Decimal("47"))
    DiaryEntryFactory(
        user=user, date=START + timedelta(days=10), meal="lunch", food=own_food, grams=100
    )
    end = START + timedelta(days=89)
    before_summary = summary(user_api, START, end)
    probe = [START, START + timedelta(days=10), end]
    before_days = days_of(user_api, probe)

    r = upload(user_api, sample.text)
    assert r.status_code == 201, r.json()
    preview = r.json()
    assert preview["rows"] == sample.rows and preview["days"] == 90
    assert preview["unmatched"] == [] and preview["without_weight"] == 0
    # The file's own figures, by the diary's one rule: each meal's exact sum shown to 0.1,
    # the day the sum of its meals.
    by_meal: dict = defaultdict(lambda: {meal: [] for meal in Meal.values})
    for _line, day, group, _name, _amount, mg in sample.lines:
        by_meal[day][meal_for(group)].append(mg)
    expected = {
        day.isoformat(): float(amounts.DayFigures.of(meals, []).food)
        for day, meals in by_meal.items()
    }
    assert preview["magnesium_mg_by_day"] == expected
    for day, total in sample.magnesium_by_day.items():  # the file's plain sums, to 0.1 a meal
        assert abs(Decimal(str(expected[day.isoformat()])) - total) <= Decimal("0.25")

    committed = user_api.post(f"{IMPORTS}{preview['id']}/commit/")
    assert committed.status_code == 200, committed.json()
    after = summary(user_api, START, end)
    own_day = (START + timedelta(days=10)).isoformat()
    for day, mg in expected.items():
        extra = 47.0 if day == own_day else 0.0
        assert after[day] == pytest.approx(mg + extra), day
    entries = DiaryEntry.objects.filter(user=user).exclude(food=own_food)
    assert entries.count() == sample.rows
    from_file = {
        (e.date, e.recorded_magnesium_mg) for e in entries if e.recorded_magnesium_mg is not None
    }
    written = {(day, mg) for _line, day, _g, _n, _a, mg in sample.lines if mg is not None}
    assert from_file == written  # each figure kept exactly

    # Undo: the diary is as it was, day by day.
    assert user_api.delete(f"{IMPORTS}{preview['id']}/").status_code == 204
    assert summary(user_api, START, end) == before_summary
    assert days_of(user_api, probe) == before_days


def test_uploads_of_other_formats_end_to_end(user_api, user):
    sample_foods()
    macrofactor = (
        "Date,Time,Food Name,Serving Size,Serving Qty,Serving Weight (g),Calories (kcal),"
        "Magnesium (mg)\r\n"
        '2026-03-02,07:30 AM,"Oats, Rolled, Dry",g,80.0,80.0,303,110.4\r\n'
    )
    r = upload(user_api, macrofactor, "food_log.csv")
    assert r.status_code == 201 and r.json()["format"] == "macrofactor"
    assert r.json()["magnesium_mg_by_day"] == {"2026-03-02": 110.4}
    assert user_api.post(f"{IMPORTS}{r.json()['id']}/commit/").status_code == 200
    entry = DiaryEntry.objects.get(user=user)
    assert entry.origin_note == "imported from MacroFactor" and entry.meal == "snack"
