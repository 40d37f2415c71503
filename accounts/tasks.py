"""Scheduled jobs of accounts (mgsite/settings.py CELERY_BEAT_SCHEDULE)."""

from dataclasses import asdict

from celery import shared_task

from accounts import services


@shared_task(name="accounts.tasks.cleanup")
def cleanup() -> dict[str, int]:
    """Daily: ended sessions and their device records, outbox messages older than 90 days."""
    return asdict(services.cleanup())
