"""E-mail backends for the outbox's tests (set with override_settings or, for a real worker,
tests/outbox/worker_settings.py)."""

import os
import smtplib
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """A mail server that hangs up on every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SlowFileBackend(BaseEmailBackend):
    """One file per delivered message in EMAIL_FILE_PATH, so that deliveries can be counted
    across processes. Each message first takes OUTBOX_TEST_SEND_SECONDS (the SMTP
    conversation); the file is written when the message is "accepted". While a message is in
    its conversation a `<key>.sending` marker exists, so a test can see what a kill cut short."""

    def send_messages(self, email_messages):
        directory = Path(settings.EMAIL_FILE_PATH)
        delay = float(os.environ.get("OUTBOX_TEST_SEND_SECONDS", "0"))
        for message in email_messages:
            marker = directory / f"{message.extra_headers.get('X-Outbox-Key', 'unkeyed')}.sending"
            marker.touch()
            time.sleep(delay)
            path = directory / f"{uuid.uuid4().hex}.eml"
            partial = path.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            partial.rename(path)  # whole files only, for the counting side
            marker.unlink()
        return len(email_messages)


class BrokenBackend(BaseEmailBackend):
    """A mail library that refuses the message itself: no retry will help."""

    def send_messages(self, email_messages):
        raise ValueError("this message cannot be encoded")
