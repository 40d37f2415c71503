"""Reads of the outbox."""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from outbox.models import OutboxMessage


def _to_any(addresses: Iterable[str]) -> Q:
    match = Q(pk__in=[])
    for address in addresses:
        match |= Q(to__iexact=address)
    return match


def messages_to(*, addresses: Iterable[str]) -> QuerySet[OutboxMessage]:
    """The messages sent (or to be sent) to any of these addresses, newest first."""
    return OutboxMessage.objects.filter(_to_any(addresses)).order_by("-created_at", "-id")


def oldest_queued_age(*, now=None) -> timedelta | None:
    """How long the oldest message still waiting to go out has waited (None: none waits)."""
    oldest = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    if oldest is None:
        return None
    return max((now or timezone.now()) - oldest, timedelta(0))
