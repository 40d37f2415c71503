"""The diary as spreadsheet rows, safe to open in Excel or LibreOffice.

Every entry and dose with its magnesium as shown on the site, then each logged day's totals
(from food, from supplements, total) exactly as the day page shows them: summing the rounded
rows of a day in a spreadsheet can differ from the day's figure by a few tenths, the total
rows cannot.
"""

from collections.abc import Iterator

from accounts.models import User
from mgsite import dates
from nutrition import amounts
from nutrition.diary import selectors

# A cell starting with one of these is run as a formula by spreadsheets (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["date", "kind", "meal", "item", "amount", "grams", "magnesium_mg"]


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe when a spreadsheet would treat it as a
    formula. Numbers are written by us, never by the person, so only text is checked."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_rows(*, user: User) -> Iterator[list[str]]:
    yield HEADER
    entries = (
        selectors.entries_for(user=user)
        .order_by("date", "meal", "created_at", "id")
        .iterator(chunk_size=500)
    )
    for entry in entries:
        yield [
            safe_cell(entry.date.isoformat()),
            "food",
            safe_cell(entry.get_meal_display()),
            safe_cell(entry.food.name),
            safe_cell(entry.portion_label or f"{entry.grams} g"),
            safe_cell(entry.grams),
            safe_cell(entry.magnesium_mg),
        ]
    intakes = (
        selectors.intakes_for(user=user).order_by("date", "taken_at", "id").iterator(chunk_size=500)
    )
    for intake in intakes:
        yield [
            safe_cell(intake.date.isoformat()),
            "supplement",
            "",
            safe_cell(intake.supplement.name),
            safe_cell(f"{intake.units} units"),
            "",
            safe_cell(intake.magnesium_mg),
        ]
    figures = selectors.daily_figures(
        user_ids=[user.pk], start=dates.EARLIEST_DAY, end=dates.LATEST_DAY
    )
    for (_, day), day_figures in sorted(figures.items()):
        for item, mg in (
            ("from food", day_figures.food),
            ("from supplements", day_figures.supplements),
            ("total", day_figures.total),
        ):
            yield [day.isoformat(), "day total", "", item, "", "", amounts.shown_text(mg)]
