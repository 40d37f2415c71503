"""The outbox: every e-mail the site sends is a row here first, then a background job.

`email_queue` writes the row in the caller's transaction and hands the send job to the broker
once that transaction commits, so a rolled-back request sends nothing and a committed one
cannot lose its message: if the broker is down, the row stays queued and `flush` (every
minute, mgsite/settings.py CELERY_BEAT_SCHEDULE) hands it over again. `deliver` is the job:
it locks the row, sends, and marks it sent in the same transaction (docs/deploy.md, "E-mail
delivery", says what "exactly once" can and cannot promise).
"""

import logging
import smtplib
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from outbox import selectors
from outbox.models import OutboxMessage

logger = logging.getLogger("mgsite.outbox")

# Errors worth another try later: the mail server refused for now or could not be reached
# (ConnectionError and TimeoutError are OSErrors).
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)
# Every message carries its outbox key, so that a delivery can be traced to its row.
KEY_HEADER = "X-Outbox-Key"
# A queued row whose job was never handed over (broker down) waits this long for `flush`...
FLUSH_AFTER = timedelta(minutes=1)
# ...and one that was handed over but is still queued this long later was lost by the broker
# or by a worker that died (longer than the longest retry back-off, ten minutes:
# outbox.tasks.send_message).
REDISPATCH_AFTER = timedelta(minutes=12)
FLUSH_BATCH = 500


@transaction.atomic
def email_queue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    key: str,
    category: str,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Queue one e-mail, sent by a background job once the caller's transaction commits.

    Idempotent on `key`: a second call with the same key returns the existing row and sends
    nothing new. The key is what makes two requests the same message (e.g.
    "weekly-summary:<user id>:<week>"); it travels in a header, so it holds no personal data.
    """
    key = key.strip()
    if not key or len(key) > OutboxMessage._meta.get_field("key").max_length:
        raise ValidationError("An outbox key is 1 to 200 characters.")
    if not category or len(category) > OutboxMessage._meta.get_field("category").max_length:
        raise ValidationError("An outbox category is 1 to 50 characters.")
    validate_email(to)
    if "\n" in subject or "\r" in subject:
        raise ValidationError("An e-mail subject is one line.")
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValidationError("E-mail headers are text.")
        if any(c in name + value for c in "\r\n") or not name or ":" in name:
            raise ValidationError(f"The e-mail header {name!r} is not one line of text.")
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject[: OutboxMessage._meta.get_field("subject").max_length],
            "text": text,
            "html": html,
            "headers": dict(headers or {}),
            "category": category,
        },
    )
    if created:
        transaction.on_commit(partial(dispatch, message_ids=[message.pk]))
    return message


def dispatch(*, message_ids: list[int]) -> int:
    """Hand a send job per message to the broker (without one: send now, in this process).

    Never raises: a broker that cannot be reached leaves the rows queued for `flush`, and the
    page that queued them answers as usual. Returns how many were handed over.
    """
    from outbox.tasks import send_message  # the task module imports this one

    handed = 0
    for message_id in message_ids:
        try:
            # No publish retries: the broker's connection timeout bounds the wait
            # (CELERY_BROKER_CONNECTION_TIMEOUT), then the row waits for `flush`.
            send_message.apply_async((message_id,), retry=False)
        except Exception as exc:
            logger.warning(
                "outbox publish failed",
                extra={"event": "outbox.publish_failed", "error": type(exc).__name__},
            )
            break  # the broker is down: the others would wait for the same timeout
        handed += 1
        OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.QUEUED).update(
            dispatched_at=timezone.now()
        )
    return handed


def deliver(*, message_id: int, last_try: bool) -> str:
    """The send job: lock the row, skip it unless queued, send, mark it sent — in one
    transaction. A transient error is recorded (its kind) and raised again for the job's retry,
    or, on the last try, marks the row failed. Returns what happened."""
    error: Exception | None = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxMessage.Status.QUEUED:
            return "skipped"
        message.attempts += 1
        try:
            _send(message)
        except TRANSIENT_ERRORS as exc:
            error = exc
            message.last_error = type(exc).__name__[:100]
            if last_try:
                message.status = OutboxMessage.Status.FAILED
            else:
                message.dispatched_at = timezone.now()  # the retry is on its way
            message.save(update_fields=["attempts", "last_error", "status", "dispatched_at"])
        except Exception as exc:
            # Anything else (a message the mail library refuses) will not get better with
            # time: failed at once, for staff to look at, rather than tried forever by flush.
            message.last_error = type(exc).__name__[:100]
            message.status = OutboxMessage.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            last_try = True
        else:
            # Sent: the text is not kept (it can hold one-time links: a password reset, an
            # invitation), only that it went out.
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.text = message.html = ""
            message.save(update_fields=["attempts", "status", "sent_at", "text", "html"])
            return "sent"
    if last_try:
        logger.warning(
            "outbox message failed",
            extra={"event": "outbox.failed", "message_id": message_id, "error": message.last_error},
        )
        return "failed"
    assert error is not None
    raise error


def _send(message: OutboxMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        to=[message.to],
        headers={**message.headers, KEY_HEADER: message.key},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    email.send(fail_silently=False)


def flush(*, now=None) -> int:
    """Hand over again the queued rows whose job never reached the broker (older than a minute)
    or was lost by it. Returns how many were handed over."""
    now = now or timezone.now()
    queued = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.QUEUED, created_at__lte=now - FLUSH_AFTER
    )
    never_handed = queued.filter(dispatched_at__isnull=True)
    lost = queued.filter(dispatched_at__lte=now - REDISPATCH_AFTER)
    ids = list(
        (never_handed | lost)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:FLUSH_BATCH]
    )
    return dispatch(message_ids=ids) if ids else 0


def requeue(*, message_ids: list[int]) -> int:
    """Queue failed messages again (the admin's action) and hand them over. Returns how many."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(
                pk__in=message_ids, status=OutboxMessage.Status.FAILED
            ).values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxMessage.Status.QUEUED, attempts=0, dispatched_at=None
        )
        transaction.on_commit(partial(dispatch, message_ids=ids))
    return len(ids)


@transaction.atomic
def erase_for_addresses(*, addresses: list[str]) -> int:
    """Remove every message to these addresses, queued or sent (part of deleting an account:
    the rows are the person's personal data). Returns how many went."""
    deleted, _ = selectors.messages_to(addresses=addresses).delete()
    return deleted


# A message is kept this long whatever its state (the privacy notice's promise), then the
# daily clean-up (accounts.tasks.cleanup) deletes it.
KEPT = timedelta(days=90)


@transaction.atomic
def purge(*, now: datetime | None = None) -> int:
    """Delete the messages older than KEPT. Returns how many went."""
    cutoff = (now or timezone.now()) - KEPT
    deleted, _ = OutboxMessage.objects.filter(created_at__lt=cutoff).delete()
    return deleted
