"""Reads of a person's imports: every query starts from the owner."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from accounts.models import User
from nutrition import amounts
from nutrition.diary import selectors as diary_selectors
from nutrition.diary.models import Meal
from nutrition.foods.models import Food
from nutrition.foods.search import search_food_ids
from nutrition.transfer.models import Import, ImportRow, Kind, Status

UNMATCHED_SHOWN = 200  # names listed in a preview's summary (the rows list has them all)


def imports_for(*, owner: User) -> QuerySet[Import]:
    # The kept file (a big one, until the job has read it) is never needed to list or show one.
    return Import.objects.for_owner(owner).defer("content").order_by("-created_at", "-id")


def import_for(*, owner: User, pk: int) -> Import:
    """The person's import, or Import.DoesNotExist (another person's too)."""
    return Import.objects.for_owner(owner).defer("content").get(pk=pk)


def rows_for(*, owner: User, batch: Import, kind: str | None = None) -> QuerySet[ImportRow]:
    rows = (
        ImportRow.objects.for_owner(owner)
        .filter(batch=batch)
        .select_related("food", "portion")
        .order_by("line", "id")
    )
    return rows if kind is None else rows.filter(kind=kind)


def unmatched_rows(*, owner: User, batch: Import) -> QuerySet[ImportRow]:
    """Food rows that will be left out: no food matched, or no weight."""
    rows = rows_for(owner=owner, batch=batch, kind=Kind.FOOD)
    return rows.filter(food__isnull=True) | rows.filter(grams__isnull=True)


def candidate_foods(rows: list[ImportRow]) -> dict[int, str]:
    """The names of the foods offered for the rows (their candidates and matches), one query."""
    ids = {pk for row in rows for pk in row.candidates} | {r.food_id for r in rows if r.food_id}
    if not ids:
        return {}
    return dict(Food.objects.filter(pk__in=ids).values_list("pk", "name"))


FOODS_FOUND = 10


def foods_named(*, owner: User, query: str) -> list[tuple[int, str]]:
    """(id, name) of the site's search's best foods for `query`, as the person sees them."""
    ids = search_food_ids(query, user=owner, limit=FOODS_FOUND)
    names = dict(diary_selectors.visible_foods(owner).filter(pk__in=ids).values_list("pk", "name"))
    return [(pk, names[pk]) for pk in ids if pk in names]


@dataclass(frozen=True)
class Unmatched:
    name: str
    rows: int
    first_line: int


@dataclass
class PreviewSummary:
    batch: Import
    days: int = 0
    magnesium_mg_by_day: dict[date, Decimal] = field(default_factory=dict)
    unmatched: list[Unmatched] = field(default_factory=list)
    unmatched_names: int = 0
    ready: int = 0  # food rows that become entries
    from_file: int = 0  # of those, carrying the file's own figure
    estimated: int = 0  # of those, estimated from the matched food
    without_weight: int = 0  # matched, but no weight known
    already_imported: Import | None = None


def preview_summary(*, owner: User, batch: Import) -> PreviewSummary:
    """What the import adds (or added): the days, each day's magnesium from food as the diary
    will show it (`amounts.DayFigures`, from this file's rows only), the names not matched.
    Two queries whatever the size of the file."""
    summary = PreviewSummary(batch=batch)
    food_by_day: dict[date, dict[str, list[Decimal | None]]] = defaultdict(
        lambda: {meal: [] for meal in Meal.values}
    )
    unmatched: dict[str, list[int]] = {}
    days: set[date] = set()
    for kind, day, meal, name, line, food_id, grams, file_mg, per_100g in (
        ImportRow.objects.for_owner(owner)
        .filter(batch=batch, kind__in=[Kind.FOOD, Kind.LAB])
        .order_by("line", "id")
        .values_list(
            "kind",
            "day",
            "meal",
            "name",
            "line",
            "food_id",
            "grams",
            "file_magnesium_mg",
            "food__magnesium_mg_per_100g",
        )
    ):
        if kind == Kind.LAB:
            days.add(day)
            continue
        if food_id is None:
            entry = unmatched.setdefault(name, [0, line])
            entry[0] += 1
            continue
        if grams is None:
            summary.without_weight += 1
            continue
        days.add(day)
        summary.ready += 1
        if file_mg is None:
            summary.estimated += 1
        else:
            summary.from_file += 1
        food_by_day[day][meal].append(amounts.entry_magnesium(grams, per_100g, file_mg))
    summary.days = len(days)
    summary.magnesium_mg_by_day = {
        day: amounts.DayFigures.of(meals, []).food for day, meals in sorted(food_by_day.items())
    }
    summary.unmatched_names = len(unmatched)
    summary.unmatched = [
        Unmatched(name, count, line)
        for name, (count, line) in sorted(unmatched.items(), key=lambda item: item[1][1])
    ][:UNMATCHED_SHOWN]
    if batch.status == Status.PREVIEW:
        summary.already_imported = (
            Import.objects.for_owner(owner)
            .filter(sha256=batch.sha256, status=Status.COMMITTED)
            .exclude(pk=batch.pk)
            .first()
        )
    return summary
