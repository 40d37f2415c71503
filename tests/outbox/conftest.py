from contextlib import contextmanager

from mgsite.celery import app as celery_app


@contextmanager
def broker(url: str, queue: str = "mgsite-test"):
    """Publish jobs to the broker at `url` (instead of running them in-process) for a while."""
    names = ("broker_url", "task_always_eager", "task_default_queue")

    def forget_connections() -> None:
        # Dropped, not closed: kombu keeps its pools by connection, and a closed one stays so.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    celery_app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    forget_connections()
    try:
        yield
    finally:
        forget_connections()
        # Celery reads the Django settings below its own changes: drop ours, read theirs again.
        for name in names:
            celery_app.conf.changes.pop(name, None)
