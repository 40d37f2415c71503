"""Scheduled jobs of the clinic (mgsite/settings.py CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from nutrition.clinic import selectors, services


@shared_task(name="nutrition.clinic.tasks.digests")
def digests() -> int:
    """Hourly: each dietitian's digest of flagged clients once their 07:00 has come, once a
    day."""
    return services.clinic_digests_send(digests=selectors.digests_due(now=timezone.now()))


@shared_task(name="nutrition.clinic.tasks.cleanup")
def cleanup() -> int:
    """Daily: invitations nobody accepted, 30 days after they expired or were cancelled."""
    return services.invitations_purge()
