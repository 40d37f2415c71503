"""Ranges of days, for one person (trends, the summary API) or many (the clinic's board).

A range's days are figured exactly as a single day is (`nutrition.amounts.DayFigures`): the
rows are read as plain values and summed in Decimal, so a day shows the same magnesium on
the day page, the trends, the summary API, the CSV and the dietitian's board.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max

from accounts.models import User
from nutrition import amounts, reference
from nutrition.diary.models import DiaryEntry, Meal, SupplementIntake
from nutrition.diary.selectors.person import Person, people_for, target_on
from nutrition.foods.models import Food

MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class DayTotals:
    day: date
    food_mg: Decimal
    supplement_mg: Decimal
    rda_mg: int | None
    logged: bool
    supplement_ul_mg: int | None = None  # the most magnesium from supplements that day

    @property
    def above_supplement_limit(self) -> bool:
        return self.supplement_ul_mg is not None and self.supplement_mg > self.supplement_ul_mg

    @property
    def total_mg(self) -> Decimal:
        return self.food_mg + self.supplement_mg

    @property
    def meets_target(self) -> bool:
        return bool(self.rda_mg) and self.total_mg >= self.rda_mg


@dataclass(frozen=True)
class Source:
    food_id: int
    name: str
    magnesium_mg: Decimal


@dataclass(frozen=True)
class RangeSummary:
    start: date
    end: date
    days: list[DayTotals]
    top_sources: list[Source]

    @property
    def logged_days(self) -> list[DayTotals]:
        return [d for d in self.days if d.logged]

    @property
    def days_logged(self) -> int:
        return len(self.logged_days)

    @property
    def average_total_mg(self) -> Decimal | None:
        """Average over the days with anything logged (an empty day is a gap, not a zero)."""
        return amounts.shown(amounts.mean(d.total_mg for d in self.logged_days))

    @property
    def days_meeting_rda(self) -> int:
        return sum(1 for d in self.days if d.meets_target)

    @property
    def percent_days_meeting_rda(self) -> int | None:
        logged = self.logged_days
        if not logged:
            return None
        return round(100 * self.days_meeting_rda / len(logged))


@dataclass
class _Days:
    """Exact amounts gathered per (person, day) before they are figured."""

    food: dict[tuple[int, date], dict[str, list[Decimal | None]]]
    doses: dict[tuple[int, date], list[Decimal]]
    by_food: dict[tuple[int, int], Decimal]  # (person, food) -> exact mg over the range


def _gather(user_ids: list[int], start: date, end: date) -> _Days:
    """Two queries of plain values for every person and day in the range."""
    days = _Days(defaultdict(lambda: {meal: [] for meal in Meal.values}), defaultdict(list), {})
    by_food: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    entries = DiaryEntry.objects.filter(
        user_id__in=user_ids, date__gte=start, date__lte=end
    ).values_list(
        "user_id",
        "date",
        "meal",
        "food_id",
        "grams",
        "food__magnesium_mg_per_100g",
        "recorded_magnesium_mg",
    )
    for user_id, day, meal, food_id, grams, per_100g, recorded in entries:
        exact = amounts.entry_magnesium(grams, per_100g, recorded)
        days.food[(user_id, day)][meal].append(exact)
        if exact:
            by_food[(user_id, food_id)] += exact
    doses = SupplementIntake.objects.filter(
        user_id__in=user_ids, date__gte=start, date__lte=end
    ).values_list("user_id", "date", "units", "supplement__elemental_mg_per_unit")
    for user_id, day, units, per_unit in doses:
        days.doses[(user_id, day)].append(amounts.dose(units, per_unit))
    days.by_food = dict(by_food)
    return days


def _figures(days: _Days) -> dict[tuple[int, date], amounts.DayFigures]:
    empty_meals = {meal: [] for meal in Meal.values}
    return {
        key: amounts.DayFigures.of(days.food.get(key, empty_meals), days.doses.get(key, []))
        for key in days.food.keys() | days.doses.keys()
    }


def daily_figures(
    *, user_ids: list[int], start: date, end: date
) -> dict[tuple[int, date], amounts.DayFigures]:
    """The shown magnesium of every logged (person, day) in the range, in two queries."""
    return _figures(_gather(user_ids, start, end))


def magnesium_by_day(user: User, start: date, end: date) -> dict[date, tuple[Decimal, Decimal]]:
    """(food, supplements) magnesium of each logged day in the range, as shown: for the health
    record ("health.magnesium_intake" in mgsite.registry). Two queries."""
    figures = daily_figures(user_ids=[user.pk], start=start, end=end)
    return {day: (f.food, f.supplements) for (_, day), f in sorted(figures.items())}


@dataclass(frozen=True)
class SupplementTaken:
    """One product's doses over a range: how often, how much, and its magnesium."""

    supplement_id: int
    name: str
    form: str  # the label of its form ("Magnesium citrate")
    elemental_mg_per_unit: Decimal
    doses: int
    days: int
    units: Decimal
    magnesium_mg: Decimal  # the exact sum of the doses, shown (0.1 mg)


FORM_LABELS = dict(reference.SUPPLEMENT_FORMS)


def supplements_taken(*, user: User, start: date, end: date) -> list[SupplementTaken]:
    """Each product the person took from `start` to `end`, most magnesium first, in one
    query of plain values (the doses summed exactly, then shown, as a day sums them)."""
    rows = (
        SupplementIntake.objects.for_user(user)
        .between(start, end)
        .values_list(
            "supplement_id",
            "supplement__name",
            "supplement__form",
            "supplement__elemental_mg_per_unit",
            "date",
            "units",
        )
    )
    found: dict[int, dict] = {}
    for supplement_id, name, form, per_unit, day, units in rows:
        held = found.setdefault(
            supplement_id,
            {"name": name, "form": form, "per_unit": per_unit, "doses": [], "days": set()},
        )
        held["doses"].append(units)
        held["days"].add(day)
    taken = [
        SupplementTaken(
            supplement_id=supplement_id,
            name=held["name"],
            form=FORM_LABELS.get(held["form"], held["form"]),
            elemental_mg_per_unit=held["per_unit"],
            doses=len(held["doses"]),
            days=len(held["days"]),
            units=amounts.total(held["doses"]),
            magnesium_mg=amounts.shown(
                amounts.total(amounts.dose(units, held["per_unit"]) for units in held["doses"])
            ),
        )
        for supplement_id, held in found.items()
    ]
    return sorted(taken, key=lambda s: (-s.magnesium_mg, s.name.lower(), s.supplement_id))


def last_logged(*, user_ids: list[int]) -> dict[int, date]:
    """The latest day each person logged a food or a dose, in two queries."""
    last: dict[int, date] = {}
    for model in (DiaryEntry, SupplementIntake):
        rows = model.objects.filter(user_id__in=user_ids).values("user_id").annotate(d=Max("date"))
        for row in rows.order_by():
            if row["d"] and (row["user_id"] not in last or row["d"] > last[row["user_id"]]):
                last[row["user_id"]] = row["d"]
    return last


def range_summary(*, user: User, start: date, end: date, top: int = 5) -> RangeSummary:
    """Daily food and supplement magnesium from `start` to `end` (inclusive), in four
    queries (the person, entries, doses, the names of the top sources)."""
    return range_summaries(user_ids=[user.pk], start=start, end=end, top=top)[user.pk]


def range_summaries(
    *, user_ids: list[int], start: date, end: date, top: int = 5
) -> dict[int, RangeSummary]:
    """`range_summary` for many people at once (the weekly summary e-mails), in four queries
    whatever their number: the people, entries, doses, the names of the top sources."""
    if end < start:
        raise ValueError("The end comes before the start.")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValueError(f"Ask for at most {MAX_RANGE_DAYS} days at a time.")
    people = people_for(user_ids)
    gathered = _gather(user_ids, start, end)
    figures = _figures(gathered)
    sources = _top_sources_of(user_ids, gathered.by_food, top)
    summaries = {}
    for user_id in user_ids:
        person = people.get(user_id) or Person(user_id)
        days = []
        for offset in range((end - start).days + 1):
            day = start + timedelta(days=offset)
            found = figures.get((user_id, day))
            target = target_on(person, day)
            days.append(
                DayTotals(
                    day=day,
                    food_mg=found.food if found else amounts.shown(amounts.ZERO),
                    supplement_mg=found.supplements if found else amounts.shown(amounts.ZERO),
                    rda_mg=target.rda_mg,
                    logged=found is not None,
                    supplement_ul_mg=target.supplement_ul_mg,
                )
            )
        summaries[user_id] = RangeSummary(
            start=start, end=end, days=days, top_sources=sources.get(user_id, [])
        )
    return summaries


def _top_sources_of(
    user_ids: list[int], by_food: dict[tuple[int, int], Decimal], top: int
) -> dict[int, list[Source]]:
    """Each person's richest foods of the range, ties in name order; the names of every
    person's contenders read in one query."""
    if not by_food or top <= 0:
        return {}
    per_person: dict[int, list[tuple[Decimal, int]]] = defaultdict(list)
    for (user_id, food_id), mg in by_food.items():
        per_person[user_id].append((mg, food_id))
    contenders: dict[int, list[tuple[int, Decimal]]] = {}
    for user_id, exact in per_person.items():
        exact.sort(reverse=True)
        cutoff = exact[min(top, len(exact)) - 1][0]
        contenders[user_id] = [(food_id, mg) for mg, food_id in exact if mg >= cutoff]
    wanted = {food_id for found in contenders.values() for food_id, _ in found}
    names = dict(Food.objects.filter(pk__in=wanted).values_list("id", "name"))
    ranked = {}
    for user_id, found in contenders.items():
        best = sorted(found, key=lambda item: (-item[1], names.get(item[0], "")))[:top]
        ranked[user_id] = [
            Source(food_id, names.get(food_id, ""), amounts.shown(mg)) for food_id, mg in best
        ]
    return ranked
