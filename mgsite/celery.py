"""The Celery application `mgsite`: background jobs (the outbox's e-mail, the scheduled jobs).

Configured from the Django settings prefixed `CELERY_` (mgsite/settings.py, "Background
jobs"). Without `CELERY_BROKER_URL` every job runs in-process at once (`task_always_eager`),
so `make run` needs nothing else; with it, `make worker` runs the worker and the scheduler.
Each app's `tasks.py` is found by `autodiscover_tasks`.
"""

import contextlib
import logging
import os
import time
from contextvars import Token

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

from mgsite import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgsite.settings")

app = Celery("mgsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# --- The request id follows the job; one JSON line per job ------------------------------------
_REQUEST_ID_HEADER = "mgsite_request_id"
_job_log = logging.getLogger("mgsite.jobs")
_started: dict[str, tuple[float, Token]] = {}


@before_task_publish.connect
def _carry_request_id(headers: dict | None = None, **kwargs) -> None:
    request_id = logs.request_id_var.get()
    if headers is not None and request_id:
        headers[_REQUEST_ID_HEADER] = request_id


@task_prerun.connect
def _job_started(task_id: str, task, **kwargs) -> None:
    # A job started by a request carries its id (in-process, the caller's is still set); a
    # scheduled job is known by its own.
    request_id = (
        logs.sane_request_id(getattr(task.request, _REQUEST_ID_HEADER, None))
        or logs.request_id_var.get()
        or task_id
    )
    _started[task_id] = (time.perf_counter(), logs.request_id_var.set(request_id))


@task_postrun.connect
def _job_finished(task_id: str, task, retval=None, state: str | None = None, **kwargs) -> None:
    started, token = _started.pop(task_id, (None, None))
    extra = {
        "event": "job",
        "request_id": logs.request_id_var.get(),
        "task": task.name,
        "task_id": task_id,
        "state": state,
        "retries": task.request.retries,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
    }
    if isinstance(retval, str | int) and not isinstance(retval, bool):
        # A job's return value is logged: return a count or a state (the outbox's "sent"),
        # never an address or anything else about a person.
        extra["outcome"] = retval
    _job_log.info("job", extra=extra)
    if token is not None:
        with contextlib.suppress(ValueError):  # set in another context: nothing to undo here
            logs.request_id_var.reset(token)
