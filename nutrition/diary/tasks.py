"""Scheduled jobs of the diary (mgsite/settings.py CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from nutrition.diary import services


@shared_task(name="nutrition.diary.tasks.weekly_summaries")
def weekly_summaries() -> int:
    """Hourly: the weekly summary for each person whose Monday 07:00 has come, once a week."""
    return services.weekly_summaries_send()
