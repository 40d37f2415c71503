"""Consent between a dietitian and a client, the dietitian's notes, and the access log."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

INVITATION_LIFETIME = timedelta(days=7)


def token_digest(token: str) -> str:
    """Invitation tokens are stored only as a SHA-256 digest, like passwords."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A dietitian's request to see a person's diary; valid for seven days."""

    dietitian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_invitations"
    )
    client_email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["dietitian", "client_email"], name="invitation_email_idx")]

    def __str__(self) -> str:
        return f"{self.dietitian} → {self.client_email}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.cancelled_at:
            return "cancelled"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class CareRelationshipQuerySet(models.QuerySet):
    def active(self) -> "CareRelationshipQuerySet":
        return self.filter(ended_at__isnull=True)


class CareRelationship(models.Model):
    """The client's consent for one dietitian to read their diary, until they revoke it."""

    dietitian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clients_cared_for"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_team"
    )
    since = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CareRelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["dietitian", "client"],
                condition=models.Q(ended_at__isnull=True),
                name="care_one_active_relationship",
            ),
            models.CheckConstraint(
                condition=~models.Q(dietitian=models.F("client")), name="care_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dietitian} cares for {self.client}"


class ClientNote(models.Model):
    """A dietitian's note to a client, on the whole diary or on one day; the client reads it."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes_received"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="notes_written",
    )
    author_name = models.CharField(max_length=300)  # kept if the author's account goes
    day = models.DateField(null=True, blank=True)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "day"], name="note_client_day_idx")]

    def __str__(self) -> str:
        return f"Note for {self.client} by {self.author_name}"


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Access log rows cannot be changed.")

    def delete(self):
        raise PermissionError("Access log rows cannot be deleted.")


class AccessLog(models.Model):
    """One view of a client's data by a dietitian: who, what, when — never the data itself.

    Rows are append-only: the queryset refuses updates and deletes, the admin is read-only and
    a database trigger refuses any change except the dietitian link going null when that
    account is deleted (the `who` text stays). Rows go with the client's own account.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log"
    )
    dietitian = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    who = models.CharField(max_length=300)
    what = models.CharField(max_length=200)
    when = models.DateTimeField(default=timezone.now)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-when", "-id"]
        indexes = [models.Index(fields=["client", "-when"], name="accesslog_client_when_idx")]

    def __str__(self) -> str:
        return f"{self.who} {self.what} at {self.when:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Access log rows cannot be changed.")
        super().save(*args, **kwargs)


class PersonalTarget(models.Model):
    """A daily magnesium target set for a client by a dietitian in their care team.

    It replaces the reference value on the client's diary while it stands; it goes when the
    dietitian who set it leaves the care team. The supplement upper limit never changes."""

    client = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_target"
    )
    magnesium_mg = models.DecimalField(max_digits=6, decimal_places=1)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(magnesium_mg__gt=0, magnesium_mg__lte=2000),
                name="personaltarget_magnesium_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.magnesium_mg} mg for {self.client_id}"
