"""One row per e-mail the site sends: written in the transaction that decides to send it, sent
by a background job (outbox.tasks.send_message), marked sent in the job's own transaction."""

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # What makes a message the same message: a second request with the same key sends nothing.
    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=500)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    category = models.CharField(max_length=50)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    # The kind of the last error (an exception's class name), never its text: SMTP answers can
    # carry addresses and server details.
    last_error = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a send job was last handed to the broker (for a retry: when it is due); NULL when
    # publishing failed, so that the periodic flush hands it over again.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created")]
        verbose_name = "outbox message"

    def __str__(self) -> str:
        return f"{self.category} {self.key} ({self.status})"
