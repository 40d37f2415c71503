"""The outbox's background jobs (mgsite/celery.py finds this module)."""

from celery import shared_task

from outbox import services

# Back-off between tries: 30 s, 60 s, 120 s … capped at 10 minutes, with jitter; after the
# last of MAX_RETRIES retries (about 25 minutes in all) the message is marked failed.
MAX_RETRIES = 6


@shared_task(
    bind=True,
    name="outbox.tasks.send_message",
    # Acknowledged only when done, and given back to the broker when the worker dies mid-job:
    # a killed worker's message runs again, and the row's lock and status make it send once.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def send_message(self, message_id: int) -> str:
    # In-process (no broker) there is no one to retry later: the first error marks the row
    # failed, for staff to queue again from the admin.
    last_try = bool(self.request.is_eager) or self.request.retries >= self.max_retries
    return services.deliver(message_id=message_id, last_try=last_try)


@shared_task(name="outbox.tasks.flush")
def flush() -> int:
    """Every minute: hand over again what never reached the broker."""
    return services.flush()
