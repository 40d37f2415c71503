"""Reads for accounts: the profile and the export of a person's own data."""

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import models
from django.utils import timezone

from accounts.models import DEFAULT_TIMEZONE, PROFILE_OWN_FIELDS, Profile, User
from mgsite import registry
from outbox import selectors as outbox_selectors


def profile_for(*, user: User) -> Profile:
    """The person's profile (every account has one from its creation: accounts.signals)."""
    profile = Profile.objects.get(user=user)
    profile.user = user  # known already: no query to read it back (the API shows the name)
    return profile


def timezone_is_default(*, user: User) -> bool:
    """Whether the person's profile still has the zone every account starts with (UTC)."""
    return Profile.objects.filter(user=user, timezone=DEFAULT_TIMEZONE).exists()


def export_rows(objects: Iterable[models.Model], fields: Iterable[str]) -> list[dict[str, Any]]:
    """Rows for an export: only the named fields (or `field.path` through relations) of each
    object, so nothing is exported by accident."""
    names = list(fields)
    rows = []
    for obj in objects:
        row = {}
        for name in names:
            value: Any = obj
            for part in name.split("."):
                value = getattr(value, part) if value is not None else None
            row[name] = value
        rows.append(row)
    return rows


# Links to an account that the export leaves out on purpose, with why (the apps above list
# theirs beside their exports; a test checks that every link is exported or listed).
NOT_EXPORTED: dict[str, str] = {
    "admin.LogEntry.user": "staff's record of their admin work on the site, kept for audit",
    "foods.HistoricalFood.history_user": "staff's curation history of the public food data "
    "(a person's own foods are exported by the diary)",
    "foods.HistoricalFoodNutrient.history_user": "as foods.HistoricalFood",
    "foods.HistoricalPortion.history_user": "as foods.HistoricalFood",
    "foods.FoodImportRun.started_by": "staff's record of the food data imports they started, "
    "kept for audit",
    "content.Article.author": "articles are the site's public work, not data about a person",
    "content.HistoricalArticle.author": "as content.Article",
    "content.HistoricalArticle.history_user": "as content.Article",
}


# What accounts keeps of a person, by model label. The apps above add theirs through the
# registry ("accounts.export"); the export holds nothing else.
def _own_sections(user: User) -> dict[str, list[dict[str, Any]]]:
    return {
        "accounts.Profile": export_rows(
            Profile.objects.filter(user=user), [*PROFILE_OWN_FIELDS, "updated_at"]
        ),
        "account.EmailAddress": export_rows(
            EmailAddress.objects.filter(user=user), ["email", "verified", "primary"]
        ),
        # The type and dates only: the secrets stay secret, even from their owner.
        "mfa.Authenticator": export_rows(
            Authenticator.objects.filter(user=user), ["type", "created_at", "last_used_at"]
        ),
        "usersessions.UserSession": export_rows(
            UserSession.objects.filter(user=user),
            ["ip", "user_agent", "created_at", "last_seen_at"],
        ),
        # The e-mail the site sent the person: what and when, not the text (a sent message's
        # text is not kept; a queued one's can hold a one-time link).
        "outbox.OutboxMessage": export_rows(
            outbox_selectors.messages_to(addresses=email_addresses_of(user)),
            ["category", "subject", "status", "created_at", "sent_at"],
        ),
    }


def email_addresses_of(user: User) -> list[str]:
    """Every address of the person: the account's and each one they added."""
    addresses = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    return sorted(address for address in addresses if address)


def export_user_data(*, user: User) -> dict[str, Any]:
    """Everything the person entered or that was recorded about them, and only that: each
    app lists its own rows of the person (never another person's, e.g. a dietitian's
    clients)."""
    data = _own_sections(user)
    for sections in registry.collect("accounts.export", user):
        data.update(sections)
    return {
        "exported_at": timezone.now(),
        "user": {
            "id": user.pk,
            "email": user.email,
            "name": user.name,
            "date_joined": user.date_joined,
            "is_staff": user.is_staff,
            "is_dietitian": user.is_dietitian,
        },
        "data": data,
    }
