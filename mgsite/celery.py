"""The Celery application `mgsite`: background jobs (the outbox's e-mail, the scheduled jobs).

Configured from the Django settings prefixed `CELERY_` (mgsite/settings.py, "Background
jobs"). Without `CELERY_BROKER_URL` every job runs in-process at once (`task_always_eager`),
so `make run` needs nothing else; with it, `make worker` runs the worker and the scheduler.
Each app's `tasks.py` is found by `autodiscover_tasks`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgsite.settings")

app = Celery("mgsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
