"""Settings for the real workers of tests/outbox/test_worker.py: the project's own, with
the e-mail written to files (one per message) after a short pause per message."""

import os

from mgsite.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.outbox.backends.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["OUTBOX_TEST_MAIL_DIR"]
