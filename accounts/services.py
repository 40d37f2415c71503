"""Writes to accounts: profile changes and account deletion."""

from dataclasses import dataclass
from datetime import date, datetime
from importlib import import_module
from typing import Any

from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction

from accounts import selectors
from accounts.models import EMAIL_LISTS, PROFILE_OWN_FIELDS, Profile, User
from accounts.timezones import canonical_timezone
from accounts.validation import validate_profile_values
from mgsite import registry
from outbox import services as outbox_services


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any], today: date | None = None) -> Profile:
    """Apply validated changes to the user's profile (and their display name, when `data` has
    "name"); raises ValidationError and saves nothing.

    A time zone's old spelling is stored as the listed zone it stands for (Asia/Calcutta as
    Asia/Kolkata), so the picker shows what was chosen."""
    profile = Profile.objects.select_for_update().get(user=user)
    merged = {field: data.get(field, getattr(profile, field)) for field in PROFILE_OWN_FIELDS}
    name = data.get("name")
    if name is not None:
        name = name.strip()
        merged["name"] = name
    errors = validate_profile_values(merged, today=today)
    if errors:
        raise ValidationError(errors)
    merged.pop("name", None)
    merged["timezone"] = canonical_timezone(merged["timezone"]) or merged["timezone"]
    for field, value in merged.items():
        setattr(profile, field, value)
    profile.save(update_fields=[*PROFILE_OWN_FIELDS, "updated_at"])
    if name is not None and name != user.name:
        User.objects.filter(pk=user.pk).update(name=name)
        user.name = name
    return profile


@transaction.atomic
def timezone_set(*, user: User, timezone: str) -> Profile:
    """Set only the time zone (the one-tap offer of the browser's zone); an unknown zone is a
    ValidationError and saves nothing."""
    return profile_update(user=user, data={"timezone": timezone})


@transaction.atomic
def dietitian_role_set(*, user: User, granted: bool) -> User:
    """Grant or revoke the dietitian role. Without it, client data is out of reach at once
    (every clinic read checks the role), though the care relationships stay on record."""
    User.objects.filter(pk=user.pk).update(is_dietitian=granted)
    user.is_dietitian = granted
    return user


def _unconstrained_user_links() -> list[tuple[type[models.Model], str, bool]]:
    """Fields that point at a user without a cascade: the history copies of other models.

    For each, whether the live field would be nulled (SET_NULL: the row is not the user's,
    e.g. an article they wrote) rather than deleted with them (e.g. their private food).
    """
    links = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not (
                field.is_relation
                and field.related_model is User
                and field.remote_field.on_delete is models.DO_NOTHING
            ):
                continue
            live_model = getattr(model, "instance_type", None)  # set by simple_history
            live_field = live_model._meta.get_field(field.name) if live_model else None
            keeps_row = (
                live_field is not None and live_field.remote_field.on_delete is models.SET_NULL
            )
            links.append((model, field.attname, keeps_row))
    return links


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Remove the account and every row that belongs to it, history copies included: first
    what the apps above keep of the person (registry "accounts.erase"), then the account
    with every row that cascades from it."""
    user_pk = user.pk
    # The e-mail sent to the person (the outbox keeps messages by address, not by account).
    outbox_services.erase_for_addresses(addresses=selectors.email_addresses_of(user))
    for erase in registry.contributors("accounts.erase"):
        erase(user)
    User.objects.filter(pk=user_pk).delete()
    for model, attname, keeps_row in _unconstrained_user_links():
        rows = model._default_manager.filter(**{attname: user_pk})
        if keeps_row:
            rows.update(**{attname: None})
        else:
            rows.delete()


@transaction.atomic
def email_list_leave(*, user_id: int, email_list: str) -> bool:
    """Stop the list's e-mails to the person (an unsubscribe link); False when there was
    nothing to change (already off, or no such account). Doing it twice is harmless."""
    field = EMAIL_LISTS[email_list]
    return bool(Profile.objects.filter(user_id=user_id, **{field: True}).update(**{field: False}))


@dataclass(frozen=True)
class Purged:
    sessions: int
    device_records: int
    outbox_messages: int


def sessions_purge() -> tuple[int, int]:
    """Django's `clearsessions` (the session engine deletes its expired sessions), then the
    signed-in-devices records (allauth's user sessions) whose session is gone. Returns how
    many of each went (sessions counted for the database engines only)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    in_database = issubclass(store, DbSessionStore)  # db and cached_db
    before = Session.objects.count() if in_database else 0
    store.clear_expired()
    if in_database:
        sessions = before - Session.objects.count()
        gone = UserSession.objects.exclude(session_key__in=Session.objects.values("session_key"))
        devices, _ = gone.delete()
        return sessions, devices
    # A cache or file engine: ask it about each record.
    devices = 0
    for record in UserSession.objects.iterator():
        if not record.exists():
            record.delete()
            devices += 1
    return 0, devices


def cleanup(*, now: datetime | None = None) -> Purged:
    """The daily clean-up of what accounts keep: ended sessions and old outbox messages.
    Running it twice deletes nothing more."""
    sessions, devices = sessions_purge()
    return Purged(
        sessions=sessions, device_records=devices, outbox_messages=outbox_services.purge(now=now)
    )
