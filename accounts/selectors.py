"""Reads for accounts: the profile and a complete export of a person's data."""

from typing import Any

from django.db import models
from django.utils import timezone

from accounts.models import Profile, User

# Fields never exported, even to their owner: secrets and server-side session material.
_SECRET_FIELDS = {"password", "data", "session_key", "key", "secret"}


def profile_for(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def user_related_models() -> list[tuple[type[models.Model], str]]:
    """Every model with a foreign key or one-to-one link to User, with the linking field."""
    links = []
    for rel in User._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or rel.many_to_many:
            continue
        links.append((rel.related_model, rel.field.name))
    return sorted(links, key=lambda link: (link[0]._meta.label, link[1]))


def _row(obj: models.Model) -> dict[str, Any]:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SECRET_FIELDS:
            continue
        row[field.attname] = field.value_from_object(obj)
    return row


def export_user_data(*, user: User) -> dict[str, Any]:
    """Everything the person entered or that was recorded about them, keyed by model label."""
    data: dict[str, list[dict[str, Any]]] = {}
    for model, field_name in user_related_models():
        label = f"{model._meta.label}.{field_name}"
        data[label] = [_row(obj) for obj in model._default_manager.filter(**{field_name: user})]
    return {
        "exported_at": timezone.now(),
        "user": {
            "id": user.pk,
            "email": user.email,
            "name": user.name,
            "date_joined": user.date_joined,
            "is_staff": user.is_staff,
        },
        "data": data,
    }
