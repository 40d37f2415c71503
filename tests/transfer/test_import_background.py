"""A big file is read by the background job (nutrition/transfer/tasks.py): the upload answers
at once (202 / a redirect to the import's page), the page shows the progress and refreshes
itself, and the job ends in the same preview a small file gets at once, or "failed" with the
error naming the line. The kept file goes once read; only its owner sees the import."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutrition.transfer import services
from nutrition.transfer.models import BACKGROUND_MIN_LINES, Import, ImportRow, Status
from nutrition.transfer.tasks import import_read_job
from tests.clinic.conftest import as_role
from tests.diary.factories import FoodFactory
from tests.outbox.conftest import broker
from tests.transfer.helpers import IMPORTS, csv_file, servings, upload

PAGE = "/diary/import/"
ROWS = BACKGROUND_MIN_LINES + 1  # one data line over the limit


def big_text(rows: int = ROWS, bad_line: int | None = None) -> str:
    """A Cronometer servings export of `rows` food rows (two foods, over 60 days); the row on
    the file's `bad_line` (the header is line 1) has a date no reader takes."""
    lines = []
    for i in range(rows):
        day = (date(2026, 1, 1) + timedelta(days=i % 60)).isoformat()
        if bad_line is not None and i + 2 == bad_line:
            day = "2026-13-45"
        name = "Oats rolled" if i % 2 else "Zzyzx root"
        lines.append(f"{day},,Lunch,{name},10.00 g,37,13.8,")
    return servings(*lines)


@pytest.fixture
def oats(db):
    return FoodFactory(name="Oats rolled", magnesium_mg_per_100g=Decimal("138"))


def kept(batch_id: int):
    return Import.objects.values_list("content", flat=True).get(pk=batch_id)


def test_a_small_file_is_still_read_at_once(user_api, oats):
    assert not services.reads_in_background(big_text(BACKGROUND_MIN_LINES).encode())
    r = upload(user_api, big_text(3))
    assert r.status_code == 201 and r.json()["status"] == "preview"


def test_a_file_over_512_kb_is_read_in_the_background_whatever_its_lines():
    long = servings(
        *[f"2026-03-02,,Lunch,Oats rolled,10.00 g,37,13.8,{'x' * 1000}" for _ in range(600)]
    )
    assert long.count("\n") < BACKGROUND_MIN_LINES
    assert services.reads_in_background(long.encode())


def test_the_api_answers_202_reading_then_the_job_makes_the_preview(
    user_api, user, oats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = upload(user_api, big_text(), name="big.csv")
    assert r.status_code == 202, r.json()
    body = r.json()
    assert body["status"] == "reading" and body["format"] == "cronometer-servings"
    assert body["percent_read"] == 0 and body["error"] == "" and body["file_name"] == "big.csv"
    batch_id = body["id"]
    # In between: the file is kept, nothing is read yet, and the import says so.
    assert kept(batch_id) is not None and not ImportRow.objects.exists()
    detail = user_api.get(f"{IMPORTS}{batch_id}/").json()
    assert detail["status"] == "reading" and detail["days"] == 0
    refused = user_api.post(f"{IMPORTS}{batch_id}/commit/")
    assert refused.status_code == 400 and "still being read" in str(refused.json())
    assert len(callbacks) == 1
    with CaptureQueriesContext(connection) as job:
        callbacks[0]()
    # The progress was recorded as the rows were matched (every 500 rows).
    progress = [q["sql"] for q in job.captured_queries if "rows_matched" in q["sql"]]
    assert len([q for q in progress if q.startswith("UPDATE")]) >= ROWS // 500
    detail = user_api.get(f"{IMPORTS}{batch_id}/").json()
    assert detail["status"] == "preview" and detail["rows"] == ROWS
    assert detail["rows_matched"] == ROWS and detail["percent_read"] == 100
    assert detail["days"] == 30 and detail["unmatched"][0]["name"] == "Zzyzx root"
    assert ImportRow.objects.filter(batch_id=batch_id).count() == ROWS
    assert kept(batch_id) is None  # the file is gone once read
    # The same preview a small file gets: it commits.
    committed = user_api.post(f"{IMPORTS}{batch_id}/commit/")
    assert committed.status_code == 200 and committed.json()["entries_added"] == ROWS // 2


def test_without_a_broker_the_job_runs_at_once(user_api, oats, django_capture_on_commit_callbacks):
    # The callbacks run when the upload's transaction commits (here: at the block's end).
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(user_api, big_text())
    assert r.status_code == 202
    body = user_api.get(f"{IMPORTS}{r.json()['id']}/").json()
    assert body["status"] == "preview" and body["rows"] == ROWS
    assert kept(body["id"]) is None


def test_a_malformed_row_fails_the_import_naming_the_line_and_keeps_nothing(
    user_api, user_client, oats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(user_api, big_text(bad_line=1500))
    assert r.status_code == 202
    body = user_api.get(f"{IMPORTS}{r.json()['id']}/").json()
    assert body["status"] == "failed" and body["error"].startswith("line 1500:")
    assert not ImportRow.objects.exists() and kept(body["id"]) is None
    page = user_client.get(f"{PAGE}{body['id']}/").content.decode()
    assert "could not be read" in page and "line 1500:" in page
    assert 'http-equiv="refresh"' not in page
    # Discarding it removes it.
    assert user_api.delete(f"{IMPORTS}{body['id']}/").status_code == 204
    assert not Import.objects.exists()


def test_a_header_of_no_export_is_refused_at_the_upload(user_api, oats):
    text = big_text().replace("Food Name", "Dish", 1)
    r = upload(user_api, text)
    assert r.status_code == 400 and "line 1" in str(r.json())
    assert not Import.objects.exists()


def test_a_second_delivery_of_a_finished_job_does_nothing(
    user, oats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = services.import_upload(owner=user, content=big_text().encode())
    assert batch.status == Status.READING
    assert import_read_job.apply(args=[batch.pk]).get() == "preview"
    ImportRow.objects.filter(batch=batch, name="Oats rolled").update(food=None)
    with CaptureQueriesContext(connection) as again:
        assert import_read_job.apply(args=[batch.pk]).get() == "skipped"
    assert len(again) == 1  # the one look at its status
    assert ImportRow.objects.filter(batch=batch).count() == ROWS
    assert not ImportRow.objects.filter(batch=batch, food__isnull=False).exists()
    assert import_read_job.apply(args=[0]).get() == "skipped"
    assert len(callbacks) == 1


def test_the_page_redirects_shows_the_progress_and_refreshes_then_the_preview(
    user_client, user, oats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = user_client.post(PAGE, {"file": csv_file(big_text()), "format": ""})
    batch = Import.objects.get(owner=user)
    assert r.status_code == 302 and r["Location"] == f"{PAGE}{batch.pk}/"
    page = user_client.get(r["Location"]).content.decode()
    assert "Reading your file… 0 %" in page and '<meta http-equiv="refresh"' in page
    assert "<script>" not in page
    Import.objects.filter(pk=batch.pk).update(rows_read=ROWS, rows_matched=1000)
    page = user_client.get(r["Location"]).content.decode()
    assert "Reading your file… 49 %" in page and "1000 matched so far" in page
    listed = user_client.get(PAGE).content.decode()
    assert "Reading the file" in listed
    callbacks[0]()
    page = user_client.get(r["Location"]).content.decode()
    assert "preview: nothing is in your diary yet" in page and "http-equiv" not in page


@pytest.mark.parametrize("rows_matched", [0, 1500])
def test_the_reading_page_costs_the_same_queries(user_client, user, rows_matched):
    user_client.get(PAGE)  # the session's first request records the session once
    batch = Import.objects.create(
        owner=user,
        format="cronometer-servings",
        sha256="0" * 64,
        status=Status.READING,
        content=b"x" * 1000,
        rows_read=2000,
        rows_matched=rows_matched,
    )
    with CaptureQueriesContext(connection) as queries:
        assert user_client.get(f"{PAGE}{batch.pk}/").status_code == 200
    # The session, the person, the verified e-mail; then the import (without its file).
    assert len(queries) == 4
    assert all("content" not in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", None),
        ("client", 200),
        ("stranger", 404),
        ("dietitian_consented", 404),
        ("dietitian_without_consent", 404),
        ("staff", 404),
    ],
)
def test_role_matrix_of_an_import_being_read(
    role, status, client_user, dietitian, relationship, oats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        batch = services.import_upload(owner=client_user, content=big_text().encode())
    page = as_role(role, dietitian=dietitian, client_user=client_user, api=False)
    api = as_role(role, dietitian=dietitian, client_user=client_user, api=True)
    shown = page.get(f"{PAGE}{batch.pk}/")
    answered = api.get(f"{IMPORTS}{batch.pk}/")
    if role == "anonymous":
        assert shown.status_code == 302 and "/accounts/login/" in shown["Location"]
        assert answered.status_code == 403
    else:
        assert shown.status_code == status and answered.status_code == status
        if status == 200:
            assert "Reading your file" in shown.content.decode()
            assert answered.json()["status"] == "reading"
    # Nobody but the owner can discard it; the owner can.
    assert api.delete(f"{IMPORTS}{batch.pk}/").status_code == (
        204 if role == "client" else (403 if role == "anonymous" else 404)
    )
    assert Import.objects.filter(pk=batch.pk).exists() == (role != "client")


def test_with_the_broker_down_the_upload_answers_and_the_import_says_it_was_not_read(
    user_api, oats, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Nobody listens on port 1.
    with broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        r = upload(user_api, big_text())
    assert r.status_code == 202
    body = user_api.get(f"{IMPORTS}{r.json()['id']}/").json()
    assert body["status"] == "failed" and body["error"] == services.NOT_QUEUED
    assert kept(body["id"]) is None and not ImportRow.objects.exists()


def test_an_import_never_read_is_given_up_after_an_hour_and_its_file_cleared(user, user_api):
    from django.utils import timezone

    from nutrition.transfer.tasks import sweep_job

    stale = Import.objects.create(
        owner=user,
        format="cronometer-servings",
        sha256="a" * 64,
        status=Status.READING,
        content=b"Day,Food Name,Amount\n",
    )
    fresh = Import.objects.create(
        owner=user,
        format="cronometer-servings",
        sha256="b" * 64,
        status=Status.READING,
        content=b"Day,Food Name,Amount\n",
    )
    Import.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(minutes=61))
    assert sweep_job.delay().get() == 1
    stale.refresh_from_db()
    assert stale.status == Status.FAILED and "not read within an hour" in stale.error
    assert kept(stale.pk) is None
    assert Import.objects.get(pk=fresh.pk).status == Status.READING and kept(fresh.pk)
    answer = user_api.get(f"{IMPORTS}{stale.pk}/").json()
    assert answer["status"] == "failed" and "Upload it again" in answer["error"]
    assert sweep_job.delay().get() == 0  # a second run finds none
