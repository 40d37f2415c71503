"""Every read of the diary, and the only place that tunes queries.

`day_summary` costs the same handful of queries whatever the number of entries: totals are
database aggregates, entries come with their food and portion in one query.
"""

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django.db.models import ExpressionWrapper, F, FloatField, Q, Sum, Value
from django.utils import timezone

from accounts.models import Profile, User
from nutrition import reference
from nutrition.diary.models import (
    DiaryEntry,
    FavouriteFood,
    Meal,
    Recipe,
    Supplement,
    SupplementIntake,
    food_magnesium_mg,
    portion_label,
)
from nutrition.foods.models import Food, FoodNutrient, Portion

ZERO = Decimal("0")
TENTH = Decimal("0.1")

# The other nutrients shown beside magnesium, in display order: key -> (label, unit).
OTHER_NUTRIENTS: dict[str, tuple[str, str]] = {
    "energy_kcal": ("Energy", "kcal"),
    "carbohydrate": ("Carbohydrate", "g"),
    "fiber": ("Fibre", "g"),
    "sugars": ("Sugars", "g"),
    "protein": ("Protein", "g"),
    "fat": ("Fat", "g"),
    "calcium": ("Calcium", "mg"),
    "potassium": ("Potassium", "mg"),
}
MAX_RANGE_DAYS = 366
SUPPLEMENT_FORM_LABELS: dict[str, str] = dict(reference.SUPPLEMENT_FORMS)
_UNREAD: Any = object()  # "the profile was not read yet" (None means the person has none)


def _round(value: Decimal | float | None, places: Decimal = TENTH) -> Decimal:
    if value is None:
        return ZERO.quantize(places)
    if isinstance(value, float):
        value = Decimal(repr(round(value, 6)))
    return value.quantize(places, rounding=ROUND_HALF_UP)


def sum_per_100g(amount: str, per_100g: str) -> Sum:
    """Sum of amount × value-per-100-g / 100, computed by the database.

    Divided by a float so SQLite, which stores whole decimals as integers, does not divide
    integers; the result is rounded to 0.1 on the way out.
    """
    return Sum(
        ExpressionWrapper(F(amount) * F(per_100g) / Value(100.0), output_field=FloatField()),
        output_field=FloatField(),
    )


def sum_product(a: str, b: str) -> Sum:
    """Sum of a × b, computed by the database (see `sum_per_100g`)."""
    return Sum(
        ExpressionWrapper(F(a) * F(b) * Value(1.0), output_field=FloatField()),
        output_field=FloatField(),
    )


def _profile(user: User) -> Profile | None:
    # A slice, not .first(): there is at most one row, so no ORDER BY is needed.
    return next(iter(Profile.objects.filter(user_id=user.pk)[:1]), None)


# The clinic's selectors use these under their earlier names.


def today_for(*, user: User, profile: Profile | None = _UNREAD) -> date:
    """Today's calendar date in the person's own time zone."""
    profile = _profile(user) if profile is _UNREAD else profile
    name = profile.timezone if profile is not None else "UTC"
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


# --- Targets --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MagnesiumTarget:
    rda_mg: int | None
    supplement_ul_mg: int | None
    basis: str
    set_by: str  # "reference", or "dietitian" once a personal target is set
    source: str


def _reference_target(profile: Profile | None, day: date) -> MagnesiumTarget:
    values = reference.reference_values(
        sex=profile.sex if profile else "",
        birth_date=profile.birth_date if profile else None,
        life_stage=profile.life_stage if profile else reference.LifeStage.NONE,
        on=day,
    )
    return MagnesiumTarget(
        rda_mg=values.rda_mg,
        supplement_ul_mg=values.supplement_ul_mg,
        basis=values.basis,
        set_by="reference",
        source=reference.DV_SOURCE if "Daily Value" in values.basis else reference.RDA_SOURCE,
    )


def _target_for(profile: Profile | None, day: date) -> MagnesiumTarget:
    """The target from a profile already read: no queries."""
    target = _reference_target(profile, day)
    personal = profile.magnesium_target_mg if profile is not None else None
    if personal is None:
        return target
    return MagnesiumTarget(
        rda_mg=int(_round(personal, Decimal("1"))),
        supplement_ul_mg=target.supplement_ul_mg,
        basis=f"personal target set by your dietitian (the reference value is {target.rda_mg} mg)",
        set_by="dietitian",
        source="Your dietitian",
    )


def magnesium_target(
    *, user: User, day: date, profile: Profile | None = _UNREAD
) -> MagnesiumTarget:
    """The person's magnesium target on `day`: the NIH/IOM reference for their age that day.

    A personal target set by the person's dietitian replaces `rda_mg` (with
    `set_by="dietitian"`); the supplement UL always stays the reference value. Pass the
    profile when it was read already (None when the person has none).
    """
    return _target_for(_profile(user) if profile is _UNREAD else profile, day)


def todays_target_for(user: User) -> tuple[Decimal, str] | None:
    """The signed-in person's magnesium target today and how to name it, for pages outside
    the diary (the food page reaches this through `settings.MAGNESIUM_TARGET_PROVIDER`)."""
    if not user.is_authenticated:
        return None
    profile = _profile(user)
    target = _target_for(profile, today_for(user=user, profile=profile))
    if not target.rda_mg:
        return None
    whose = "your dietitian's" if target.set_by == "dietitian" else "your"
    return Decimal(target.rda_mg), f"{whose} {target.rda_mg} mg daily target"


# --- One day --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayWarning:
    code: str
    message: str
    kind: str  # "caution" or "note", for the page's styling and wording


@dataclass(frozen=True, slots=True)
class FoodBrief:
    """The facts about a food that a diary line, a quick pick or a suggestion shows, read as
    plain values: the day page reads dozens of these, and models cost several times more."""

    id: int
    name: str
    magnesium_mg_per_100g: Decimal | None
    owner_id: int | None = None
    source_slug: str = ""
    net_carbs_g_per_100g: Decimal | None = None

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True, slots=True)
class DayEntry:
    """One diary entry as the day shows it (the API serialises it like a `DiaryEntry`)."""

    id: int
    date: date
    meal: str
    food: FoodBrief
    portion_id: int | None
    portion_description: str | None
    quantity: Decimal | None
    grams: Decimal
    # Computed once: the page reads it for the row, the meal, the total and the top sources.
    magnesium_mg: Decimal | None = field(init=False)

    def __post_init__(self) -> None:
        mg = food_magnesium_mg(self.grams, self.food.magnesium_mg_per_100g)
        object.__setattr__(self, "magnesium_mg", mg)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def food_id(self) -> int:
        return self.food.id

    @property
    def meal_label(self) -> str:
        return Meal(self.meal).label

    @property
    def portion_label(self) -> str | None:
        return portion_label(self.quantity, self.portion_description)


@dataclass(frozen=True, slots=True)
class SupplementBrief:
    id: int
    name: str
    form: str
    elemental_mg_per_unit: Decimal

    @property
    def pk(self) -> int:
        return self.id

    @property
    def form_label(self) -> str:
        return SUPPLEMENT_FORM_LABELS.get(self.form, self.form)


@dataclass(frozen=True, slots=True)
class DayIntake:
    """One supplement dose as the day shows it (serialised like a `SupplementIntake`)."""

    id: int
    date: date
    supplement: SupplementBrief
    units: Decimal
    taken_at: time | None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def supplement_id(self) -> int:
        return self.supplement.id

    @property
    def magnesium_mg(self) -> Decimal:
        return (self.units * self.supplement.elemental_mg_per_unit).quantize(
            TENTH, rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class MealGroup:
    meal: str
    label: str
    entries: list[DayEntry]
    magnesium_mg: Decimal


@dataclass(frozen=True)
class Contributor:
    food_id: int
    name: str
    magnesium_mg: Decimal
    share_percent: int


@dataclass(frozen=True)
class DaySummary:
    day: date
    target: MagnesiumTarget
    kidney_disease: bool
    entries: list[DayEntry]
    intakes: list[DayIntake]
    food_mg: Decimal
    supplement_mg: Decimal
    nutrients: dict[str, Decimal]
    profile: Profile | None = None
    warnings: list[DayWarning] = field(default_factory=list)

    @property
    def total_mg(self) -> Decimal:
        return self.food_mg + self.supplement_mg

    @property
    def percent_of_rda(self) -> int | None:
        if not self.target.rda_mg:
            return None
        return int(_round(self.total_mg * 100 / self.target.rda_mg, Decimal("1")))

    @property
    def remaining_mg(self) -> Decimal:
        if not self.target.rda_mg:
            return ZERO
        return max(ZERO, Decimal(self.target.rda_mg) - self.total_mg)

    @cached_property
    def meals(self) -> list[MealGroup]:
        by_meal: dict[str, list[DayEntry]] = defaultdict(list)
        for entry in self.entries:
            by_meal[entry.meal].append(entry)
        return [
            MealGroup(
                meal=value,
                label=label,
                entries=by_meal[value],
                magnesium_mg=sum((e.magnesium_mg or ZERO for e in by_meal[value]), ZERO),
            )
            for value, label in Meal.choices
        ]

    @cached_property
    def unknown_magnesium_entries(self) -> list[DayEntry]:
        return [e for e in self.entries if e.food.magnesium_mg_per_100g is None]

    def top_contributors(self, limit: int = 5) -> list[Contributor]:
        totals: dict[int, Decimal] = defaultdict(Decimal)
        names: dict[int, str] = {}
        for entry in self.entries:
            if entry.magnesium_mg:
                totals[entry.food_id] += entry.magnesium_mg
                names[entry.food_id] = entry.food.name
        ranked = sorted(totals.items(), key=lambda item: (-item[1], names[item[0]]))[:limit]
        whole = self.total_mg or Decimal("1")
        return [
            Contributor(food_id, names[food_id], mg, int(_round(mg * 100 / whole, Decimal("1"))))
            for food_id, mg in ranked
        ]


def _warnings(
    *, target: MagnesiumTarget, supplement_mg: Decimal, has_supplement: bool, kidney: bool
) -> list[DayWarning]:
    warnings = []
    ul = target.supplement_ul_mg
    if ul is not None and supplement_mg > ul:
        warnings.append(
            DayWarning(
                "supplement_above_ul",
                f"Your supplements add up to {_round(supplement_mg):.0f} mg of magnesium today, "
                f"more than the {ul} mg upper limit for supplements at your age. Too much "
                "magnesium from supplements often causes diarrhoea and stomach cramps. "
                "Magnesium from food does not count towards this limit. Consider a smaller "
                "dose, and ask your doctor or pharmacist before going above it.",
                "caution",
            )
        )
    if kidney and has_supplement:
        warnings.append(
            DayWarning(
                "kidney_disease_supplement",
                "Your profile says you have kidney disease. Kidneys remove extra magnesium, so "
                "with reduced kidney function supplements can raise blood magnesium too far. "
                "Please check with your doctor or kidney team before taking them.",
                "caution",
            )
        )
    if has_supplement:
        warnings.append(DayWarning("medicine_timing", reference.MEDICINE_TIMING_NOTE, "note"))
    return warnings


_ENTRY_FIELDS = (
    "id",
    "date",
    "meal",
    "food_id",
    "food__name",
    "food__magnesium_mg_per_100g",
    "food__owner_id",
    "portion_id",
    "portion__description",
    "quantity",
    "grams",
)


def _day_entries(user: User, day: date) -> list[DayEntry]:
    """The day's entries with their food and portion, in one query of plain values."""
    return [
        DayEntry(
            id=pk,
            date=entry_day,
            meal=meal,
            food=FoodBrief(id=food_id, name=name, magnesium_mg_per_100g=mg, owner_id=owner_id),
            portion_id=portion_id,
            portion_description=portion_description,
            quantity=quantity,
            grams=grams,
        )
        for (
            pk,
            entry_day,
            meal,
            food_id,
            name,
            mg,
            owner_id,
            portion_id,
            portion_description,
            quantity,
            grams,
        ) in DiaryEntry.objects.for_user(user).on_day(day).values_list(*_ENTRY_FIELDS)
    ]


def _day_intakes(user: User, day: date) -> list[DayIntake]:
    """The day's supplement doses with their product, in one query of plain values."""
    return [
        DayIntake(
            id=pk,
            date=intake_day,
            supplement=SupplementBrief(id=s_id, name=name, form=form, elemental_mg_per_unit=mg),
            units=units,
            taken_at=taken_at,
        )
        for pk, intake_day, units, taken_at, s_id, name, form, mg in (
            SupplementIntake.objects.for_user(user)
            .on_day(day)
            .values_list(
                "id",
                "date",
                "units",
                "taken_at",
                "supplement_id",
                "supplement__name",
                "supplement__form",
                "supplement__elemental_mg_per_unit",
            )
        )
    ]


def _other_nutrients(entries: list[DayEntry]) -> dict[str, Decimal]:
    """Totals of the other nutrients over the entries, from one query of their foods' values
    (none for an empty day). A nutrient no food has a value for is left out."""
    grams_by_food: dict[int, Decimal] = defaultdict(Decimal)
    for entry in entries:
        grams_by_food[entry.food.id] += entry.grams
    if not grams_by_food:
        return {}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for food_id, key, amount in FoodNutrient.objects.filter(
        food_id__in=grams_by_food, nutrient__key__in=list(OTHER_NUTRIENTS)
    ).values_list("food_id", "nutrient__key", "amount_per_100g"):
        totals[key] += grams_by_food[food_id] * amount / 100
    return {key: _round(total) for key, total in totals.items()}


def day_summary(*, user: User, day: date, profile: Profile | None = _UNREAD) -> DaySummary:
    """Everything the day page and the day API show, in four queries whatever the number of
    entries (the profile, entries, doses, the other nutrients; three for an empty day, one
    fewer when given the profile). Totals are summed exactly from the rows read."""
    if profile is _UNREAD:
        profile = _profile(user)
    target = magnesium_target(user=user, day=day, profile=profile)
    entries = _day_entries(user, day)
    intakes = _day_intakes(user, day)
    food_mg = _round(
        sum(
            (
                e.grams * e.food.magnesium_mg_per_100g / 100
                for e in entries
                if e.food.magnesium_mg_per_100g is not None
            ),
            ZERO,
        )
    )
    supplement_mg = _round(
        sum((i.units * i.supplement.elemental_mg_per_unit for i in intakes), ZERO)
    )
    kidney = bool(profile and profile.kidney_disease)
    return DaySummary(
        day=day,
        target=target,
        kidney_disease=kidney,
        entries=entries,
        intakes=intakes,
        food_mg=food_mg,
        supplement_mg=supplement_mg,
        nutrients=_other_nutrients(entries),
        profile=profile,
        warnings=_warnings(
            target=target,
            supplement_mg=supplement_mg,
            has_supplement=bool(intakes),
            kidney=kidney,
        ),
    )


# --- A range of days ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayTotals:
    day: date
    food_mg: Decimal
    supplement_mg: Decimal
    rda_mg: int | None
    logged: bool

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
        logged = self.logged_days
        if not logged:
            return None
        return _round(sum((d.total_mg for d in logged), ZERO) / len(logged))

    @property
    def days_meeting_rda(self) -> int:
        return sum(1 for d in self.days if d.meets_target)

    @property
    def percent_days_meeting_rda(self) -> int | None:
        logged = self.logged_days
        if not logged:
            return None
        return round(100 * self.days_meeting_rda / len(logged))


def range_summary(*, user: User, start: date, end: date, top: int = 5) -> RangeSummary:
    """Daily food and supplement magnesium from `start` to `end` (inclusive), in four queries."""
    if end < start:
        raise ValueError("The end comes before the start.")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValueError(f"Ask for at most {MAX_RANGE_DAYS} days at a time.")
    profile = _profile(user)
    food = dict(
        DiaryEntry.objects.for_user(user)
        .between(start, end)
        .values("date")
        .annotate(mg=sum_per_100g("grams", "food__magnesium_mg_per_100g"))
        .order_by()
        .values_list("date", "mg")
    )
    supplements = dict(
        SupplementIntake.objects.for_user(user)
        .between(start, end)
        .values("date")
        .annotate(mg=sum_product("units", "supplement__elemental_mg_per_unit"))
        .order_by()
        .values_list("date", "mg")
    )
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        days.append(
            DayTotals(
                day=day,
                food_mg=_round(food.get(day)),
                supplement_mg=_round(supplements.get(day)),
                rda_mg=_target_for(profile, day).rda_mg,
                logged=day in food or day in supplements,
            )
        )
    sources = [
        Source(row["food_id"], row["food__name"], _round(row["mg"]))
        for row in DiaryEntry.objects.for_user(user)
        .between(start, end)
        .filter(food__magnesium_mg_per_100g__gt=0)
        .values("food_id", "food__name")
        .annotate(mg=sum_per_100g("grams", "food__magnesium_mg_per_100g"))
        .order_by("-mg", "food__name")[:top]
    ]
    return RangeSummary(start=start, end=end, days=days, top_sources=sources)


# --- Pickers --------------------------------------------------------------------------------------


def supplements_for(*, user: User) -> list[Supplement]:
    return list(Supplement.objects.filter(user=user, archived=False))


def supplement_briefs(*, user: User) -> list[SupplementBrief]:
    """The person's current supplement products as plain values, for the dose picker."""
    return [
        SupplementBrief(*row)
        for row in Supplement.objects.filter(user=user, archived=False).values_list(
            "id", "name", "form", "elemental_mg_per_unit"
        )
    ]


_BRIEF_FIELDS = (
    "id",
    "name",
    "magnesium_mg_per_100g",
    "owner_id",
    "data_source__slug",
    "net_carbs_g_per_100g",
)
RECENT_WINDOW = 60  # the latest entries looked through for recent foods


def _briefs(rows) -> list[FoodBrief]:
    return [FoodBrief(*row) for row in rows]


def recent_foods(*, user: User, limit: int = 8) -> list[FoodBrief]:
    """Foods from the person's latest entries, newest first, each once (one query that reads
    a bounded window of entries, so a long diary costs no more than a short one)."""
    rows = (
        DiaryEntry.objects.for_user(user)
        .order_by("-created_at", "-id")
        .values_list(*(f"food__{name}" for name in _BRIEF_FIELDS))[:RECENT_WINDOW]
    )
    foods: dict[int, FoodBrief] = {}
    for row in rows:
        if row[0] not in foods:
            foods[row[0]] = FoodBrief(*row)
            if len(foods) == limit:
                break
    return list(foods.values())


def favourite_foods(*, user: User) -> list[FoodBrief]:
    """The person's favourite foods, newest first (their own private foods included)."""
    return _briefs(
        FavouriteFood.objects.filter(user=user)
        .filter(Q(food__owner__isnull=True) | Q(food__owner=user))
        .values_list(*(f"food__{name}" for name in _BRIEF_FIELDS))
    )


def entry_for(*, user: User, pk: int) -> DiaryEntry:
    """One of the person's entries; another person's is DoesNotExist (a 404)."""
    return DiaryEntry.objects.for_user(user).select_related("food", "portion").get(pk=pk)


def portions_by_food(*, food_ids: set[int]) -> dict[int, list[Portion]]:
    """The household portions of several foods in one query, for the pickers."""
    portions: dict[int, list[Portion]] = defaultdict(list)
    for portion in Portion.objects.filter(food_id__in=food_ids).order_by("food_id", "seq"):
        portions[portion.food_id].append(portion)
    return dict(portions)


# --- Closing the gap ------------------------------------------------------------------------------

# Magnesium-dense everyday foods from SR28, by NDB number (DOMAIN.md's seed foods).
GAP_FOOD_NDB_NUMBERS = (
    "12014",  # pumpkin seed kernels, dried
    "12006",  # chia seeds
    "12061",  # almonds
    "12087",  # cashews, raw
    "19904",  # dark chocolate, 70-85 % cacao
    "11458",  # spinach, boiled
    "11148",  # Swiss chard, boiled
    "16015",  # black beans, boiled
    "11212",  # edamame
    "20137",  # quinoa, cooked
    "16070",  # lentils, boiled
    "20037",  # brown rice, cooked
    "09037",  # avocado
)
MAX_SUGGESTED_GRAMS = Decimal("400")  # beyond this a food cannot sensibly close the gap


@dataclass(frozen=True)
class Suggestion:
    food: FoodBrief
    grams: Decimal
    portion: Portion | None
    quantity: Decimal | None
    favourite: bool
    net_carbs_g: Decimal | None

    @property
    def portion_label(self) -> str | None:
        if self.portion is None or self.quantity is None:
            return None
        text = f"{self.quantity:f}".rstrip("0").rstrip(".")
        return f"{text} {self.portion.description}"


def _suggest(
    food: FoodBrief,
    portions: list[Portion],
    remaining_mg: Decimal,
    *,
    favourite: bool,
    net_carbs_budget_g: Decimal | None,
) -> Suggestion | None:
    per_100g = food.magnesium_mg_per_100g
    if not per_100g or per_100g <= 0:
        return None
    grams = (remaining_mg * 100 / per_100g).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    grams = max(grams, Decimal("1"))
    if grams > MAX_SUGGESTED_GRAMS:
        return None
    # The household measure that covers the gap with the least overshoot, in quarter units.
    portion, quantity = None, None
    best_grams = None
    for candidate in portions:
        exact = grams * candidate.amount / candidate.gram_weight
        quarters = (exact * 4).to_integral_value(rounding="ROUND_CEILING")
        count = max(quarters / 4, Decimal("0.25"))
        weight = count * candidate.gram_weight / candidate.amount
        if best_grams is None or weight < best_grams:
            portion, quantity, best_grams = candidate, count, weight
    if best_grams is not None:
        grams = best_grams.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    carbs = None
    if food.net_carbs_g_per_100g is not None:
        carbs = _round(food.net_carbs_g_per_100g * grams / 100)
    if net_carbs_budget_g is not None and (carbs is None or carbs > net_carbs_budget_g):
        return None
    return Suggestion(food, grams, portion, quantity, favourite, carbs)


def generic_gap_foods(limit: int = 5) -> list[FoodBrief]:
    """Magnesium-dense everyday foods, richest first (the richest public foods with household
    portions when SR28 is not loaded)."""
    generic = _briefs(
        Food.objects.public()
        .filter(data_source__slug="usda-sr28", source_id__in=GAP_FOOD_NDB_NUMBERS)
        .order_by("-magnesium_mg_per_100g")
        .values_list(*_BRIEF_FIELDS)
    )
    if not generic:
        generic = _briefs(
            Food.objects.public()
            .filter(magnesium_mg_per_100g__gt=0, portions__isnull=False)
            .distinct()
            .order_by("-magnesium_mg_per_100g")
            .values_list(*_BRIEF_FIELDS)[: limit * 2]
        )
    return generic


def gap_candidates(
    *,
    user: User,
    favourites: list[FoodBrief] | None = None,
    generic: list[FoodBrief] | None = None,
    limit: int = 5,
) -> list[tuple[FoodBrief, bool]]:
    """Foods that could close a gap, each with whether it is a favourite: the person's
    favourites first, then magnesium-dense everyday foods (`generic_gap_foods`). Pass either
    list when it was read already."""
    if favourites is None:
        favourites = favourite_foods(user=user)
    if generic is None:
        generic = generic_gap_foods(limit)
    seen: set[int] = set()
    candidates = []
    for food, is_favourite in [(f, True) for f in favourites] + [(f, False) for f in generic]:
        if food.pk not in seen:
            seen.add(food.pk)
            candidates.append((food, is_favourite))
    return candidates


def gap_suggestions(
    *,
    user: User,
    remaining_mg: Decimal,
    limit: int = 5,
    net_carbs_budget_g: Decimal | None = None,
    candidates: list[tuple[FoodBrief, bool]] | None = None,
    portions: dict[int, list[Portion]] | None = None,
) -> list[Suggestion]:
    """Foods that would cover `remaining_mg`, with the amount needed (see `gap_candidates`).

    Pass `candidates` and their `portions` when they were read already (the day page has
    them from its cached pickers)."""
    if remaining_mg <= 0:
        return []
    if candidates is None:
        candidates = gap_candidates(user=user, limit=limit)
    if portions is None:
        portions = portions_by_food(food_ids={food.pk for food, _ in candidates})
    suggestions = []
    for food, is_favourite in candidates:
        suggestion = _suggest(
            food,
            portions.get(food.pk, []),
            remaining_mg,
            favourite=is_favourite,
            net_carbs_budget_g=net_carbs_budget_g,
        )
        if suggestion is not None:
            suggestions.append(suggestion)
        if len(suggestions) == limit:
            break
    return suggestions


def own_foods(*, user: User) -> list[Food]:
    """The person's private foods and recipes, with their serving portion."""
    return list(Food.objects.filter(owner=user).prefetch_related("portions").order_by("name"))


def recipe_for(*, user: User, food_id: int) -> Recipe:
    """One of the person's recipes with its ingredients; another person's is DoesNotExist."""
    return (
        Recipe.objects.select_related("food")
        .prefetch_related("ingredients__food")
        .get(food_id=food_id, food__owner=user)
    )


def support_counts(*, user: User) -> dict[str, int]:
    """How much a person keeps in their diary, for support staff: counts, never contents (the
    user's admin page reaches this through `settings.DIARY_SUPPORT_COUNTS_PROVIDER`)."""
    return {
        "diary entries": DiaryEntry.objects.filter(user=user).count(),
        "doses": SupplementIntake.objects.filter(user=user).count(),
        "supplements": Supplement.objects.filter(user=user).count(),
        "own foods": Food.objects.filter(owner=user).count(),
    }
