"""Settings for the real workers of tests/outbox/test_worker.py: the project's own, with
the e-mail written to files (one per message) after a short pause per message."""

import os

from mgsite.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.outbox.backends.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["OUTBOX_TEST_MAIL_DIR"]

# Redis gives a killed worker's unacknowledged message to another worker once it has been out
# this long; checked every 2 s here (production: an hour, checked less often).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 10,
    "unacked_restore_interval": 2,
    "unacked_restore_throttle": 1,
}
