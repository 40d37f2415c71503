"""Writes to accounts: profile changes and account deletion."""

from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction

from accounts.models import Profile, User
from accounts.validation import validate_profile_values


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any], today: date | None = None) -> Profile:
    """Apply validated changes to the user's profile; raises ValidationError and saves nothing."""
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    merged = {
        field: data.get(field, getattr(profile, field))
        for field in ("sex", "birth_date", "life_stage", "kidney_disease", "timezone", "units")
    }
    errors = validate_profile_values(merged, today=today)
    if errors:
        raise ValidationError(errors)
    for field, value in merged.items():
        setattr(profile, field, value)
    profile.save()
    return profile


def _unconstrained_user_links() -> list[tuple[type[models.Model], str]]:
    """Fields that point at a user without a cascade (history mirrors keep DO_NOTHING links)."""
    links = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is User
                and field.remote_field.on_delete is models.DO_NOTHING
            ):
                links.append((model, field.attname))
    return links


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Remove the account and every row that belongs to it, history copies included."""
    user_pk = user.pk
    User.objects.filter(pk=user_pk).delete()
    for model, attname in _unconstrained_user_links():
        model._default_manager.filter(**{attname: user_pk}).delete()
