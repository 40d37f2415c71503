"""Pieces every app's JSON API shares: the person-scoped views and date parameters.

Imports no app of the project (any layer may use it)."""

from datetime import date
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.dateparse import parse_date
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError

# Ids in URLs: digits only, and short enough for a bigint (a longer one is a 404, not a 500).
ID_PATTERN = r"[0-9]{1,18}"


def parse_day_param(value: str | None, field: str) -> date:
    """A YYYY-MM-DD parameter, or a 400 naming the field (impossible dates included)."""
    try:
        day = parse_date(value) if value else None
    except ValueError:  # parse_date raises on 2026-02-30
        day = None
    if day is None:
        raise ValidationError({field: ["Enter a real date as YYYY-MM-DD, such as 2026-02-03."]})
    return day


class PersonalQueryMixin:
    """`get_queryset()` is `personal_queryset(request.user)`: every query starts from the
    signed-in person, so another person's row is a 404. The schema generator has no person
    and gets an empty queryset of `model`."""

    model: type[Model]

    def personal_queryset(self, user: Any) -> QuerySet | list:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet | list:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.personal_queryset(self.request.user)


class PersonalViewSet(
    PersonalQueryMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A person's own rows: `GET|POST` the list, `GET|PATCH|DELETE` one. Narrow it with
    `http_method_names`."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = ID_PATTERN
