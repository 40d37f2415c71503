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


def _owned_children(
    model: type[models.Model],
    parent_ids: list[Any],
    exported: set[type[models.Model]],
    depth: int = 3,
) -> dict[str, list[dict[str, Any]]]:
    """Rows that live and die with the user's own rows (a recipe and its ingredients, a
    private food's nutrient values), a few levels down, for models not exported directly."""
    children: dict[str, list[dict[str, Any]]] = {}
    if not parent_ids or depth == 0:
        return children
    for rel in model._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or rel.many_to_many:
            continue
        child = rel.related_model
        if child in exported or rel.on_delete is not models.CASCADE:
            continue
        if getattr(child, "instance_type", None) is not None:
            continue  # history copies: the live rows are exported already
        objects = list(child._default_manager.filter(**{f"{rel.field.name}__in": parent_ids}))
        label = f"{child._meta.label}.{rel.field.name}"
        children.setdefault(label, []).extend(_row(obj) for obj in objects)
        deeper = _owned_children(child, [o.pk for o in objects], exported, depth - 1)
        for child_label, rows in deeper.items():
            children.setdefault(child_label, []).extend(rows)
    return children


def export_user_data(*, user: User) -> dict[str, Any]:
    """Everything the person entered or that was recorded about them, keyed by model label."""
    data: dict[str, list[dict[str, Any]]] = {}
    links = user_related_models()
    exported = {model for model, _ in links}
    for model, field_name in links:
        label = f"{model._meta.label}.{field_name}"
        objects = list(model._default_manager.filter(**{field_name: user}))
        data[label] = [_row(obj) for obj in objects]
        for child_label, rows in _owned_children(
            model, [obj.pk for obj in objects], exported
        ).items():
            data.setdefault(child_label, []).extend(rows)
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
