"""Reads of the health record, and the picture on a day derived from it.

Each function reads in a fixed number of queries whatever the number of results; the derived
markers are computed in Python from the rows with the pure functions of `nutrition.labs`. The
diary and the clinic read the record only through this module.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, models
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from accounts.models import Profile, User
from mgsite import registry
from mgsite.dates import local_today
from nutrition import labs
from nutrition.health.models import LabResult


@dataclass(frozen=True)
class PersonFacts:
    """What the derived markers need to know about a person."""

    sex: str = ""
    birth_date: date | None = None
    kidney_disease: bool = False
    timezone_name: str = "UTC"


def person_facts(*, user: User) -> PersonFacts:
    row = (
        Profile.objects.filter(user=user)
        .values_list("sex", "birth_date", "kidney_disease", "timezone")
        .first()
    )
    return PersonFacts(*row) if row else PersonFacts()


def lab_results_for(*, user: User) -> QuerySet[LabResult]:
    """The person's results, newest first."""
    return LabResult.objects.for_user(user).select_related("entered_by")


@dataclass(frozen=True)
class Reading:
    """One result as the pictures use it: plain values, no model instance."""

    id: int
    analyte: str
    value_si: Decimal
    taken_on: date


def _readings(results: Iterable) -> list[Reading]:
    return [Reading(r.id, r.analyte, r.value_si, r.taken_on) for r in results]


# --- The picture on a day -----------------------------------------------------------------
@dataclass(frozen=True)
class Marker:
    value: Decimal
    taken_on: date


@dataclass(frozen=True)
class Egfr:
    value: Decimal  # mL/min/1.73 m², whole
    stage: labs.Category
    computed: bool  # from creatinine with CKD-EPI 2021, not reported
    taken_on: date


@dataclass(frozen=True)
class Glycaemia:
    code: str
    label: str
    basis: str  # the analyte the category comes from
    taken_on: date


@dataclass(frozen=True)
class MagnesiumStatus:
    code: str
    label: str
    value_mmol_l: Decimal
    taken_on: date


@dataclass(frozen=True)
class HealthWarning:
    code: str
    message: str


@dataclass
class Picture:
    on: date
    homa_ir: Marker | None = None
    tyg_index: Marker | None = None
    egfr: Egfr | None = None
    glycaemia: Glycaemia | None = None
    magnesium_status: MagnesiumStatus | None = None
    warnings: list[HealthWarning] = field(default_factory=list)
    homa_ir_rising: bool = False


LOW_EGFR = (
    "Your latest eGFR is under 60. The kidneys remove extra magnesium, so take a magnesium "
    "supplement only on your doctor's advice; magnesium from food is not a concern."
)
VERY_LOW_EGFR = (
    "Your latest eGFR is under 30. Do not take magnesium supplements (or magnesium-containing "
    "antacids and laxatives) unless your kidney doctor has told you to: with kidneys this "
    "weak, magnesium can build up to dangerous levels."
)
LOW_SERUM_MAGNESIUM = (
    "Your latest serum magnesium is low. Talk to your doctor about it, and see which foods "
    "close the gap in your diary."
)
HIGH_SERUM_MAGNESIUM = (
    "Your latest serum magnesium is above the usual range. Talk to your doctor before taking "
    "any magnesium supplement."
)
DIABETES_RANGE = (
    "A result is in the diabetes range. Only a clinician can diagnose diabetes: please show "
    "them this result."
)


def _latest_by_analyte(readings: list[Reading], on: date) -> dict[str, Reading]:
    latest: dict[str, Reading] = {}
    for reading in readings:
        if reading.taken_on > on:
            continue
        best = latest.get(reading.analyte)
        if best is None or (reading.taken_on, reading.id) > (best.taken_on, best.id):
            latest[reading.analyte] = reading
    return latest


def _same_day_pairs(
    readings: list[Reading], first: str, second: str, on: date
) -> list[tuple[date, Decimal, Decimal]]:
    """(day, first, second) for each day up to `on` with both analytes, oldest first; the
    latest result of each analyte on that day."""
    by_day: dict[date, dict[str, Reading]] = defaultdict(dict)
    for reading in readings:
        if reading.analyte in (first, second) and reading.taken_on <= on:
            held = by_day[reading.taken_on].get(reading.analyte)
            if held is None or reading.id > held.id:
                by_day[reading.taken_on][reading.analyte] = reading
    return [
        (day, pair[first].value_si, pair[second].value_si)
        for day, pair in sorted(by_day.items())
        if first in pair and second in pair
    ]


def homa_ir_series(readings: list[Reading], on: date) -> list[Marker]:
    return [
        Marker(labs.homa_ir(glucose, insulin), day)
        for day, glucose, insulin in _same_day_pairs(
            readings, "glucose_fasting", "insulin_fasting", on
        )
    ]


def tyg_series(readings: list[Reading], on: date) -> list[Marker]:
    return [
        Marker(labs.tyg_index(tg, glucose), day)
        for day, tg, glucose in _same_day_pairs(readings, "triglycerides", "glucose_fasting", on)
    ]


def egfr_series(readings: list[Reading], person: PersonFacts, on: date) -> list[Egfr]:
    """Every eGFR up to `on`, oldest first: reported ones, and those computed from creatinine
    (CKD-EPI 2021) where the person's sex and age are known; a reported one wins its day."""
    by_day: dict[date, Egfr] = {}
    for reading in sorted(readings, key=lambda r: (r.taken_on, r.id)):
        if reading.taken_on > on:
            continue
        if reading.analyte == "egfr":
            value = Decimal(labs.egfr_rounded(reading.value_si))
            by_day[reading.taken_on] = Egfr(value, labs.kdigo_stage(value), False, reading.taken_on)
        elif reading.analyte == "creatinine_serum":
            held = by_day.get(reading.taken_on)
            if held is not None and not held.computed:
                continue
            value = labs.ckd_epi_for(
                reading.value_si, sex=person.sex, born=person.birth_date, on=reading.taken_on
            )
            if value is not None:
                by_day[reading.taken_on] = Egfr(
                    value, labs.kdigo_stage(value), True, reading.taken_on
                )
    return [by_day[day] for day in sorted(by_day)]


def picture_from(readings: list[Reading], person: PersonFacts, on: date) -> Picture:
    """The picture on `on` from the latest result of each analyte on or before it."""
    picture = Picture(on=on)
    homa = homa_ir_series(readings, on)
    if homa:
        picture.homa_ir = homa[-1]
        picture.homa_ir_rising = len(homa) > 1 and homa[-1].value > homa[-2].value
    tyg = tyg_series(readings, on)
    picture.tyg_index = tyg[-1] if tyg else None
    egfr = egfr_series(readings, person, on)
    picture.egfr = egfr[-1] if egfr else None

    latest = _latest_by_analyte(readings, on)
    glycaemic = [
        (analyte, labs.result_category(analyte, latest[analyte].value_si))
        for analyte in ("hba1c", "glucose_fasting")
        if analyte in latest
    ]
    higher = labs.higher_glycaemia(*glycaemic)
    if higher:
        analyte, category = higher
        picture.glycaemia = Glycaemia(
            category.code, category.label, analyte, latest[analyte].taken_on
        )
    if "magnesium_serum" in latest:
        picture.magnesium_status = _magnesium_status(latest["magnesium_serum"])
    picture.warnings = _warnings(picture)
    return picture


def _magnesium_status(reading: Reading) -> MagnesiumStatus:
    category = labs.magnesium_category(reading.value_si)
    return MagnesiumStatus(
        category.code,
        category.label,
        labs.reported(labs.ANALYTES["magnesium_serum"], reading.value_si, "mmol/L"),
        reading.taken_on,
    )


def _warnings(picture: Picture) -> list[HealthWarning]:
    warnings = []
    if picture.egfr is not None and picture.egfr.value < labs.EGFR_SUPPLEMENT_DANGER:
        warnings.append(HealthWarning("very_low_egfr", VERY_LOW_EGFR))
    elif picture.egfr is not None and picture.egfr.value < labs.EGFR_SUPPLEMENT_CAUTION:
        warnings.append(HealthWarning("low_egfr", LOW_EGFR))
    if picture.magnesium_status is not None:
        if picture.magnesium_status.code == "low":
            warnings.append(HealthWarning("low_serum_magnesium", LOW_SERUM_MAGNESIUM))
        elif picture.magnesium_status.code == "high":
            warnings.append(HealthWarning("high_serum_magnesium", HIGH_SERUM_MAGNESIUM))
    if picture.glycaemia is not None and picture.glycaemia.code == "diabetes":
        warnings.append(HealthWarning("diabetes_range", DIABETES_RANGE))
    return warnings


def readings_for(*, user: User) -> list[Reading]:
    return _readings(LabResult.objects.for_user(user).only("id", "analyte", "value_si", "taken_on"))


def picture_for(*, user: User, on: date) -> Picture:
    """The person's picture on a day: two queries (the profile, the results)."""
    return picture_from(readings_for(user=user), person_facts(user=user), on)


# --- What the diary needs: kidney function on a day ---------------------------------------
def egfr_on(*, user: User, day: date) -> Egfr | None:
    """The latest eGFR on or before `day`, reported or computed from creatinine: one query,
    whatever the number of results."""

    def latest(analyte: str, column: str) -> Subquery:
        return Subquery(
            LabResult.objects.filter(user=OuterRef("user"), analyte=analyte, taken_on__lte=day)
            .order_by("-taken_on", "-id")
            .values(column)[:1]
        )

    row = (
        Profile.objects.filter(user=user)
        .annotate(
            egfr_value=latest("egfr", "value_si"),
            egfr_day=latest("egfr", "taken_on"),
            egfr_id=latest("egfr", "id"),
            creatinine_value=latest("creatinine_serum", "value_si"),
            creatinine_day=latest("creatinine_serum", "taken_on"),
            creatinine_id=latest("creatinine_serum", "id"),
        )
        .values(
            "sex",
            "birth_date",
            "egfr_value",
            "egfr_day",
            "egfr_id",
            "creatinine_value",
            "creatinine_day",
            "creatinine_id",
        )
        .first()
    )
    if row is None:
        return None
    readings = []
    if row["egfr_value"] is not None:
        readings.append(
            Reading(row["egfr_id"], "egfr", Decimal(row["egfr_value"]), _as_date(row["egfr_day"]))
        )
    if row["creatinine_value"] is not None:
        readings.append(
            Reading(
                row["creatinine_id"],
                "creatinine_serum",
                Decimal(row["creatinine_value"]),
                _as_date(row["creatinine_day"]),
            )
        )
    person = PersonFacts(sex=row["sex"], birth_date=row["birth_date"])
    series = egfr_series(readings, person, day)
    return series[-1] if series else None


def _as_date(value: date | str) -> date:
    # SQLite gives a subquery's date back as text.
    return value if isinstance(value, date) else date.fromisoformat(value)


# --- What the diary's day needs, read with the person: kidney function, serum magnesium ---
@dataclass(frozen=True)
class DayLabs:
    """The latest eGFR (reported or computed) and serum magnesium on or before a day."""

    egfr: Egfr | None = None
    magnesium_status: MagnesiumStatus | None = None


_DAY_LAB_ANALYTES = ("egfr", "creatinine_serum", "magnesium_serum")
_DAY_LAB_COLUMNS = ("id", "value_si", "taken_on")


def day_lab_annotations(*, day: date) -> dict[str, RawSQL]:
    """Subqueries bringing the latest eGFR, creatinine and serum magnesium on or before `day`
    into a query of profiles (`Profile.objects…annotate(**…)`), so the caller pays no query of
    its own. Read the values back with `day_labs_from`.

    Written as SQL: nine ORM subqueries cost the day page about 8 ms a request to build; these
    cost nothing to build and run on the (user, analyte, taken_on) index."""
    lab_table = connection.ops.quote_name(LabResult._meta.db_table)
    person = (
        f"{connection.ops.quote_name(Profile._meta.db_table)}."
        f"{connection.ops.quote_name(Profile._meta.get_field('user').column)}"
    )
    output = {
        "id": models.BigIntegerField(),
        "value_si": LabResult._meta.get_field("value_si"),
        "taken_on": models.DateField(),
    }
    # Only names from the models go into the text (quoted); the values are parameters.
    return {
        f"lab_{analyte}_{column}": RawSQL(  # noqa: S611
            f"SELECT latest_lab.{column} FROM {lab_table} latest_lab"  # noqa: S608
            f" WHERE latest_lab.user_id = {person} AND latest_lab.analyte = %s"
            " AND latest_lab.taken_on <= %s"
            " ORDER BY latest_lab.taken_on DESC, latest_lab.id DESC LIMIT 1",
            (analyte, day),
            output_field=output[column],
        )
        for analyte in _DAY_LAB_ANALYTES
        for column in _DAY_LAB_COLUMNS
    }


def day_labs_from(values: dict, *, sex: str, birth_date: date | None, day: date) -> DayLabs:
    """The `DayLabs` from a row read with `day_lab_annotations` (values by annotation name)."""
    latest: dict[str, Reading] = {}
    for analyte in _DAY_LAB_ANALYTES:
        pk, value_si, taken_on = (values[f"lab_{analyte}_{c}"] for c in _DAY_LAB_COLUMNS)
        if value_si is not None:
            latest[analyte] = Reading(pk, analyte, Decimal(str(value_si)), _as_date(taken_on))
    kidney = [latest[a] for a in ("egfr", "creatinine_serum") if a in latest]
    series = egfr_series(kidney, PersonFacts(sex=sex, birth_date=birth_date), day)
    magnesium = latest.get("magnesium_serum")
    return DayLabs(
        egfr=series[-1] if series else None,
        magnesium_status=_magnesium_status(magnesium) if magnesium else None,
    )


# --- What the clinic board needs: flags for many people at once ----------------------------
BOARD_RESULTS_PER_ANALYTE = 3
# Paired results read per analyte: the last two paired days ("is HOMA-IR rising?"), with room
# for a second result of one analyte on the same day.
BOARD_PAIRED_DAYS = 4


def pictures_for(*, user_ids: list[int], on: date) -> dict[int, Picture]:
    """The picture of each person on `on`: two queries whatever the number of people or
    results. Of each analyte it reads the latest few results and, for HOMA-IR and TyG, the
    latest results taken on a day with their partner (a glucose with an insulin of the same
    morning), however many single results came after them."""
    if not user_ids:
        return {}

    def taken_the_same_day(analyte: str) -> Exists:
        return Exists(
            LabResult.objects.filter(
                user_id=OuterRef("user_id"), taken_on=OuterRef("taken_on"), analyte=analyte
            )
        )

    def pair(first: str, second: str) -> Case:
        paired = Q(analyte=first, **{f"with_{second}": True}) | Q(
            analyte=second, **{f"with_{first}": True}
        )
        return Case(When(paired, then=Value(True)), default=Value(False))

    def latest(*partition: str) -> Window:
        return Window(
            RowNumber(),
            partition_by=[F("user_id"), F("analyte"), *(F(name) for name in partition)],
            order_by=[F("taken_on").desc(), F("id").desc()],
        )

    rows = (
        LabResult.objects.filter(user_id__in=user_ids, taken_on__lte=on)
        .annotate(
            with_glucose_fasting=taken_the_same_day("glucose_fasting"),
            with_insulin_fasting=taken_the_same_day("insulin_fasting"),
            with_triglycerides=taken_the_same_day("triglycerides"),
        )
        .annotate(
            homa_pair=pair("glucose_fasting", "insulin_fasting"),
            tyg_pair=pair("triglycerides", "glucose_fasting"),
        )
        .annotate(
            rank=latest(),
            homa_rank=latest("homa_pair"),
            tyg_rank=latest("tyg_pair"),
        )
        .filter(
            Q(rank__lte=BOARD_RESULTS_PER_ANALYTE)
            | Q(homa_pair=True, homa_rank__lte=BOARD_PAIRED_DAYS)
            | Q(tyg_pair=True, tyg_rank__lte=BOARD_PAIRED_DAYS)
        )
        .values_list("user_id", "id", "analyte", "value_si", "taken_on")
    )
    by_user: dict[int, list[Reading]] = defaultdict(list)
    for user_id, pk, analyte, value_si, taken_on in rows:
        by_user[user_id].append(Reading(pk, analyte, value_si, taken_on))
    facts = {
        user_id: PersonFacts(sex, born, kidney, tz)
        for user_id, sex, born, kidney, tz in Profile.objects.filter(
            user_id__in=list(by_user)
        ).values_list("user_id", "sex", "birth_date", "kidney_disease", "timezone")
    }
    return {
        user_id: picture_from(readings, facts.get(user_id, PersonFacts()), on)
        for user_id, readings in by_user.items()
    }


# --- The person's own record page ----------------------------------------------------------
@dataclass(frozen=True)
class Record:
    """What the record page shows: every result (newest first) and today's picture."""

    today: date
    person: PersonFacts
    results: list[LabResult]
    readings: list[Reading]
    picture: Picture


def record_for(*, user: User) -> Record:
    """The person's results and their picture today (in their time zone): two queries (the
    profile, the results) whatever the number of results; the picture is computed from the
    same rows the table shows."""
    person = person_facts(user=user)
    today = local_today(person.timezone_name)
    results = list(lab_results_for(user=user))
    readings = _readings(results)
    return Record(today, person, results, readings, picture_from(readings, person, today))


def result_for(*, user: User, pk: int) -> LabResult:
    """One of the person's results; LabResult.DoesNotExist for anyone else's."""
    return lab_results_for(user=user).get(pk=pk)


# --- Magnesium intake before each result (the diary fills the slot) ------------------------
INTAKE_WINDOW_DAYS = 30


@dataclass(frozen=True)
class IntakeBefore:
    """Average daily magnesium over the logged days of the 30 days ending the day before a
    result (the sample's own day is left out: it may have been taken before eating)."""

    food_mg: Decimal | None
    supplement_mg: Decimal | None
    days_logged: int

    @property
    def total_mg(self) -> Decimal | None:
        if self.food_mg is None or self.supplement_mg is None:
            return None
        return self.food_mg + self.supplement_mg


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def intake_window(day: date) -> tuple[date, date]:
    """The first and last day of the window before a result taken on `day`."""
    return day - timedelta(days=INTAKE_WINDOW_DAYS), day - timedelta(days=1)


def average_intake_before(by_day: dict[date, tuple[Decimal, Decimal]], day: date) -> IntakeBefore:
    """Plain arithmetic on what the diary gave: food and supplements averaged over the days
    logged in the window, each rounded to 0.1 mg."""
    start, end = intake_window(day)
    food = supplements = Decimal(0)
    logged = 0
    current = start
    while current <= end:
        found = by_day.get(current)
        if found is not None:
            food += Decimal(found[0])
            supplements += Decimal(found[1])
            logged += 1
        current += timedelta(days=1)
    if not logged:
        return IntakeBefore(None, None, 0)
    return IntakeBefore(_tenth(food / logged), _tenth(supplements / logged), logged)


def intake_before(*, user: User, days: Iterable[date]) -> dict[date, IntakeBefore]:
    """The average magnesium before each of `days`, from ONE read of the diary's figures
    (slot "health.magnesium_intake") over the whole span; empty figures without a diary."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    start = intake_window(wanted[0])[0]
    end = intake_window(wanted[-1])[1]
    by_day = registry.first("health.magnesium_intake", user, start, end) or {}
    return {day: average_intake_before(by_day, day) for day in wanted}
