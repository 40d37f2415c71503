"""A write refused because a person made too many of them just now. Imports nothing of the
apps, so services anywhere can raise it."""

from typing import Any

from django.core.exceptions import ValidationError


class RateLimited(ValidationError):
    """A ValidationError, so pages show it like any other refusal (with a 429); the JSON API
    answers 429 with a Retry-After header (`mgsite.api_errors`)."""

    def __init__(self, message: Any, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
