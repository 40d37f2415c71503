"""Errors in the JSON API: a service's Django ValidationError is a 400 with DRF's usual
`{field: [messages]}` body, wherever it is raised, so views call services without wrapping;
a service's RateLimited is a 429 with Retry-After, like DRF's own throttles."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mgsite.limits import RateLimited


def as_api_error(exc: DjangoValidationError) -> ValidationError:
    """A service's ValidationError as DRF's 400 body."""
    if hasattr(exc, "message_dict"):
        return ValidationError({field: list(msgs) for field, msgs in exc.message_dict.items()})
    return ValidationError({"non_field_errors": exc.messages})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RateLimited):
        exc = Throttled(wait=exc.retry_after, detail=" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        exc = as_api_error(exc)
    return drf_exception_handler(exc, context)
