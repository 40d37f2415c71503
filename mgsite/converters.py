"""How addresses and request bodies carry database ids and days, for every app.

This module imports nothing of the apps, so any layer may use it. The converters are
registered once, in `mgsite/urls.py`, as `<id:…>` and `<isodate:…>`.
"""

from datetime import date
from typing import Any

from mgsite import dates

# The largest value of a bigint primary key. A larger number would reach the database and
# fail there (OverflowError on SQLite, an out-of-range error on PostgreSQL).
MAX_ID = 2**63 - 1
# 1 to 18 digits always fit a bigint, so an id matched by this regex is safe to query with;
# a longer one matches no route (a 404).
ID_REGEX = r"[0-9]{1,18}"
# A day in an address: YYYY-MM-DD (`mgsite.dates.parse_day` decides whether it is one).
DAY_REGEX = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def database_id(value: Any) -> int | None:
    """An id from untrusted input (a form field, a JSON value): the integer, or None when it
    is not one a row could have, so callers treat it as "not found"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


class DatabaseIdConverter:
    """`<id:pk>`: a database id, digits only and short enough for a bigint."""

    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))


class IsoDateConverter:
    """`<isodate:day>`: YYYY-MM-DD as a date. An impossible date (2026-02-30) or one outside
    the years the site handles (`mgsite.dates`) matches nothing, so it is a 404."""

    regex = DAY_REGEX

    def to_python(self, value: str) -> date:
        return dates.parse_day(value)  # its ValueError means "no match"

    def to_url(self, value: date) -> str:
        return value.isoformat()
