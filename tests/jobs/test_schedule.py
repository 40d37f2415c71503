"""The schedule in code names jobs that exist, at the periods docs/jobs.md lists."""

from pathlib import Path

from celery.schedules import crontab
from django.conf import settings

from mgsite.celery import app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "jobs.md"


def test_every_scheduled_job_is_a_registered_task_and_documented():
    app.loader.import_default_modules()  # what a worker does: each app's tasks.py
    schedule = settings.CELERY_BEAT_SCHEDULE
    text = DOCS.read_text(encoding="utf-8")
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, entry["task"]
        assert f"`{name}`" in text and f"`{entry['task']}`" in text, name
    hourly = {"weekly-summaries", "clinic-digests", "imports-sweep"}
    daily = {"accounts-cleanup", "clinic-cleanup"}
    for name in hourly:
        entry = schedule[name]["schedule"]
        assert (
            isinstance(entry, crontab) and entry.hour == set(range(24)) and len(entry.minute) == 1
        )
    for name in daily:
        entry = schedule[name]["schedule"]
        assert isinstance(entry, crontab) and len(entry.hour) == 1 and len(entry.minute) == 1
    assert "nutrition.foods.tasks.food_import" in app.tasks
