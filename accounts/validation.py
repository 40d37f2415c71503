"""Rules for profile values, shared by the profile form and the profile API."""

import unicodedata
from datetime import date
from typing import Any

from django.utils import timezone

from accounts.timezones import known_timezones
from mgsite import dates
from nutrition.reference import age_in_years

# Pregnancy and lactation reference values exist for ages 14 to 50 (IOM 1997).
CHILDBEARING_AGES = range(14, 51)
OLDEST_PLAUSIBLE_BIRTH = dates.EARLIEST_DAY
MAX_NAME_LENGTH = 150  # the column's length


def validate_profile_values(values: dict[str, Any], *, today: date | None = None) -> dict[str, str]:
    """Return {field: message} for every value that cannot be stored."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    birth_date = values.get("birth_date")
    if birth_date is not None:
        if birth_date > today:
            errors["birth_date"] = "Enter a birth date that is not in the future."
        elif birth_date < OLDEST_PLAUSIBLE_BIRTH:
            errors["birth_date"] = "Enter a birth date after 1900."
    if values.get("life_stage", "none") != "none":
        if values.get("sex") != "female":
            errors["life_stage"] = "Pregnancy and breastfeeding apply only when sex is female."
        elif (
            birth_date is not None
            and "birth_date" not in errors
            and age_in_years(birth_date, today) not in CHILDBEARING_AGES
        ):
            errors["life_stage"] = (
                "Reference values for pregnancy and breastfeeding cover ages 14 to 50."
            )
    tz = values.get("timezone")
    if tz is not None and tz not in known_timezones():
        errors["timezone"] = "Choose a time zone from the list, such as Europe/Berlin."
    name = values.get("name")
    if name is not None:
        if len(name) > MAX_NAME_LENGTH:
            errors["name"] = f"A name has at most {MAX_NAME_LENGTH} characters."
        elif any(unicodedata.category(ch) == "Cc" for ch in name):
            errors["name"] = "Enter a name without control characters."
    return errors
