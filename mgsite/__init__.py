# The Celery app is loaded with Django so that `@shared_task` binds to it and `delay` publishes
# with the project's settings (mgsite/celery.py).
from mgsite.celery import app as celery_app

__all__ = ("celery_app",)
