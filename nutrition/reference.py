"""Reference data and pure functions the nutrition apps compute with. No Django imports."""

from datetime import date


def age_in_years(born: date, on: date) -> int:
    """Whole years of age on `on`; a birthday counts from the day itself (29 February: 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
