"""Days from outside: the one rule for every date a request carries, in an address, a query
parameter, a form field or a JSON body.

The site handles the years 1900 to 2100. Outside them a date is refused before it reaches
arithmetic (`day - timedelta(days=1)` on 0001-01-01 raises OverflowError) or the database.
The diary adds its own, narrower rule (a diary day is at most a year ahead) in its services.

This module imports nothing of the apps, so accounts, foods, the diary and the clinic all
use it: the pure functions first, then the adapters for Django forms and DRF serializers.
"""

import re
import zoneinfo
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)
NOT_A_DAY = "Enter a real date as YYYY-MM-DD, such as 2026-02-03."
OUT_OF_RANGE = "Choose a date between 1900 and 2100."
# What the API schema says about every day a request carries.
RANGE_NOTE = "A day from 1900-01-01 to 2100-12-31 (YYYY-MM-DD); any other is a 400."

_DAY_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


class DayError(ValueError):
    """A date that is not one, or one outside the years the site handles; `str()` says why."""


def local_today(timezone_name: str) -> date:
    """Today's calendar date in a time zone (UTC when the name is not one)."""
    from django.utils import timezone

    try:
        zone = zoneinfo.ZoneInfo(timezone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


def in_range(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY


def check_day(day: date) -> date:
    """The day itself, or DayError when it lies outside 1900–2100."""
    if not in_range(day):
        raise DayError(OUT_OF_RANGE)
    return day


def parse_day(text: Any) -> date:
    """YYYY-MM-DD (ASCII digits only) between 1900 and 2100, or DayError saying what is wrong.

    2026-02-30 is not a day; 0001-01-01 is one, but outside the range.
    """
    match = _DAY_RE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise DayError(NOT_A_DAY)
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        raise DayError(NOT_A_DAY) from None
    return check_day(day)


# --- Adapters -------------------------------------------------------------------------------------


def parse_day_param(value: str | None, field: str) -> date:
    """A YYYY-MM-DD value of the JSON API (query parameter, path or body text), or a 400
    naming the field."""
    try:
        return parse_day(value)
    except DayError as exc:
        raise ValidationError({field: [str(exc)]}) from None


class DayFormField(forms.DateField):
    """A form's date field that refuses days outside 1900–2100 with a form error."""

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not in_range(value):
            raise DjangoValidationError(OUT_OF_RANGE, code="out_of_range")


class DaySerializerField(serializers.DateField):
    """A serializer's date field that refuses days outside 1900–2100 with a 400."""

    default_error_messages = {"out_of_range": OUT_OF_RANGE}

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if not in_range(day):
            self.fail("out_of_range")
        return day
