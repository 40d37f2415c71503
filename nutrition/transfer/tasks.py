"""The diary import's background job (mgsite/celery.py finds this module)."""

from celery import shared_task

from nutrition.transfer import services


@shared_task(
    name="nutrition.transfer.tasks.import_read",
    # Acknowledged only when done, and given back when the worker dies mid-read: the rows are
    # kept in one transaction at the end, so a job given again starts over; a second delivery
    # of a finished job finds the import no longer "reading" and does nothing.
    acks_late=True,
    reject_on_worker_lost=True,
)
def import_read_job(batch_id: int) -> str:
    """Read a big diary file kept by the upload into its preview; returns the import's status."""
    batch = services.import_read(batch_id=batch_id)
    return batch.status if batch is not None else "skipped"


@shared_task(name="nutrition.transfer.tasks.sweep")
def sweep_job() -> int:
    """Hourly: imports still "reading" an hour after their upload are marked failed."""
    return services.imports_sweep()
