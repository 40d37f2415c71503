"""The report of a period, read through the selectors of the apps below (the diary's figures,
the health record's picture, the clinic's notes): this module adds no arithmetic of its own
beyond adding up figures the diary already rounded, so a day shows the same magnesium here as
on the day page, the day API and the CSV.

`report_for` reads in a fixed number of queries whatever the length of the period: the
person's profile, the diary's entries and doses of the period and the names of its top
sources, the doses once more per product, the lab results and the notes.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from nutrition import amounts
from nutrition.clinic import selectors as clinic_selectors
from nutrition.clinic.models import ClientNote
from nutrition.diary import charts
from nutrition.diary import selectors as diary_selectors
from nutrition.health import selectors as health_selectors
from nutrition.health.models import LabResult

DEFAULT_DAYS = 30
MAX_DAYS = diary_selectors.MAX_RANGE_DAYS
TOP_SOURCES = 10
# An A4 page's text column is about three times as wide as a phone's screen: the same chart
# geometry (nutrition.diary.charts), drawn wider and a little taller.
CHART_WIDTH = 680
CHART_HEIGHT = 260


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def ending(cls, end: date, days: int = DEFAULT_DAYS) -> "Period":
        return cls(end - timedelta(days=days - 1), end)


@dataclass(frozen=True)
class Report:
    person_name: str
    birth_date: date | None
    period: Period
    prepared_for: str  # who asked for it, in words
    generated_at: datetime
    summary: diary_selectors.RangeSummary
    chart: charts.TrendChart
    target: diary_selectors.MagnesiumTarget  # on the last day of the period
    supplements: list[diary_selectors.SupplementTaken]
    lab_results: list[LabResult]  # taken in the period, newest first
    picture: health_selectors.Picture  # on the last day of the period
    notes: list[ClientNote]

    @property
    def food_mg(self) -> Decimal:
        """Magnesium from food over the period: the sum of the days' shown figures."""
        return amounts.total(d.food_mg for d in self.summary.logged_days)

    @property
    def supplement_mg(self) -> Decimal:
        return amounts.total(d.supplement_mg for d in self.summary.logged_days)

    @property
    def total_mg(self) -> Decimal:
        """Food plus supplements, so the three figures add up as on a day."""
        return self.food_mg + self.supplement_mg

    @property
    def supplement_percent(self) -> int | None:
        return amounts.percent(self.supplement_mg, self.total_mg)

    @property
    def food_percent(self) -> int | None:
        share = self.supplement_percent
        return None if share is None else 100 - share

    @property
    def limit_days(self) -> list[diary_selectors.DayTotals]:
        """Days whose supplements went above the upper limit for supplements."""
        return [d for d in self.summary.days if d.above_supplement_limit]

    @property
    def days_newest_first(self) -> list[diary_selectors.DayTotals]:
        return list(reversed(self.summary.days))


def _facts(person: diary_selectors.Person) -> health_selectors.PersonFacts:
    """What the health record's markers need, from the profile the diary read already."""
    return health_selectors.PersonFacts(
        sex=person.sex,
        birth_date=person.birth_date,
        kidney_disease=person.kidney_disease,
        timezone_name=person.timezone_name,
    )


def report_for(
    *, user: User, person: diary_selectors.Person, period: Period, prepared_for: str
) -> Report:
    """The report of `user` over `period` (at most MAX_DAYS days; `person` is their diary
    person, read by the caller to find their today)."""
    summary = diary_selectors.range_summary(
        user=user, start=period.start, end=period.end, top=TOP_SOURCES
    )
    results = list(health_selectors.lab_results_for(user=user))
    readings = [health_selectors.Reading(r.id, r.analyte, r.value_si, r.taken_on) for r in results]
    return Report(
        person_name=user.display_name,
        birth_date=person.birth_date,
        period=period,
        prepared_for=prepared_for,
        generated_at=timezone.now(),
        summary=summary,
        chart=charts.trend_chart(
            summary,
            day_url=lambda day: "",  # a printed bar links nowhere
            width=CHART_WIDTH,
            height=CHART_HEIGHT,
        ),
        target=diary_selectors.target_on(person, period.end),
        supplements=diary_selectors.supplements_taken(
            user=user, start=period.start, end=period.end
        ),
        lab_results=[r for r in results if period.start <= r.taken_on <= period.end],
        picture=health_selectors.picture_from(readings, _facts(person), period.end),
        notes=list(
            clinic_selectors.notes_in_period(client=user, start=period.start, end=period.end)
        ),
    )
