"""Pieces every app's JSON API shares: the person-scoped views.

Imports no app of the project (any layer may use it)."""

from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import mixins, viewsets

from mgsite.converters import ID_REGEX


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
    lookup_value_regex = ID_REGEX
