"""One day of the diary: its entries and doses as plain values, its magnesium figures (the
one arithmetic of `nutrition.amounts`), warnings, other nutrients and top contributors.

`day_summary` costs the same few queries whatever the number of entries.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from functools import cached_property
from typing import TypeGuard

from accounts.models import User
from nutrition import amounts, labs, reference
from nutrition.diary.models import (
    DiaryEntry,
    Meal,
    SupplementIntake,
    origin_note,
    portion_label,
)
from nutrition.diary.selectors.person import MagnesiumTarget, Person, person_for, target_on
from nutrition.foods.models import FoodNutrient
from nutrition.health import selectors as health

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
SUPPLEMENT_FORM_LABELS: dict[str, str] = dict(reference.SUPPLEMENT_FORMS)


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
    private: bool = False  # the person's own food (only their own are visible to them)
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
    # An imported entry's own figure, where it came from, and whether it is an estimate.
    recorded_magnesium_mg: Decimal | None = None
    origin: str = ""
    estimated: bool = False
    # Computed once: the page reads it for the row, the meal, the total and the top sources.
    magnesium_exact: Decimal | None = field(init=False)

    def __post_init__(self) -> None:
        exact = amounts.entry_magnesium(
            self.grams, self.food.magnesium_mg_per_100g, self.recorded_magnesium_mg
        )
        object.__setattr__(self, "magnesium_exact", exact)

    @property
    def origin_note(self) -> str:
        return origin_note(self.origin, self.recorded_magnesium_mg is not None, self.estimated)

    @property
    def magnesium_mg(self) -> Decimal | None:
        return amounts.shown(self.magnesium_exact)

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
    def magnesium_exact(self) -> Decimal:
        return amounts.dose(self.units, self.supplement.elemental_mg_per_unit)

    @property
    def magnesium_mg(self) -> Decimal:
        return amounts.shown(self.magnesium_exact)


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


def figures_of(entries: list[DayEntry], intakes: list[DayIntake]) -> amounts.DayFigures:
    """A day's shown magnesium from its entries and doses (every meal present)."""
    by_meal: dict[str, list[Decimal | None]] = {meal: [] for meal in Meal.values}
    for entry in entries:
        by_meal[entry.meal].append(entry.magnesium_exact)
    return amounts.DayFigures.of(by_meal, (i.magnesium_exact for i in intakes))


@dataclass(frozen=True)
class DaySummary:
    day: date
    target: MagnesiumTarget
    person: Person
    entries: list[DayEntry]
    intakes: list[DayIntake]
    figures: amounts.DayFigures
    nutrients: dict[str, Decimal]
    warnings: list[DayWarning] = field(default_factory=list)

    @property
    def food_mg(self) -> Decimal:
        return self.figures.food

    @property
    def supplement_mg(self) -> Decimal:
        return self.figures.supplements

    @property
    def total_mg(self) -> Decimal:
        return self.figures.total

    @property
    def kidney_disease(self) -> bool:
        return self.person.kidney_disease

    @property
    def egfr(self) -> health.Egfr | None:
        """The latest eGFR on or before the day, from the health record."""
        return self.person.labs.egfr if self.person.labs else None

    @property
    def magnesium_status(self) -> health.MagnesiumStatus | None:
        """The latest serum magnesium on or before the day, from the health record."""
        return self.person.labs.magnesium_status if self.person.labs else None

    @property
    def egfr_note(self) -> str:
        """Said beside a kidney caution whose eGFR we computed (a derived marker)."""
        return egfr_note(self.egfr)

    @property
    def serum_magnesium_low(self) -> bool:
        return self.magnesium_status is not None and self.magnesium_status.code == "low"

    @cached_property
    def supplement_caution(self) -> DayWarning | None:
        """What the supplement form says before a dose is logged (see `supplement_caution`)."""
        return supplement_caution(egfr=self.egfr, kidney=self.person.kidney_disease)

    @property
    def percent_of_rda(self) -> int | None:
        return amounts.percent(self.total_mg, self.target.rda_mg)

    @property
    def remaining_mg(self) -> Decimal:
        if not self.target.rda_mg:
            return amounts.ZERO
        return max(amounts.ZERO, Decimal(self.target.rda_mg) - self.total_mg)

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
                magnesium_mg=self.figures.meals[value],
            )
            for value, label in Meal.choices
        ]

    @cached_property
    def unknown_magnesium_entries(self) -> list[DayEntry]:
        return [e for e in self.entries if e.magnesium_exact is None]

    def top_contributors(self, limit: int = 5) -> list[Contributor]:
        exact: dict[int, Decimal] = defaultdict(Decimal)
        names: dict[int, str] = {}
        for entry in self.entries:
            if entry.magnesium_exact:
                exact[entry.food_id] += entry.magnesium_exact
                names[entry.food_id] = entry.food.name
        ranked = sorted(exact.items(), key=lambda item: (-item[1], names[item[0]]))[:limit]
        return [
            Contributor(
                food_id,
                names[food_id],
                amounts.shown(mg),
                amounts.percent(amounts.shown(mg), self.total_mg) or 0,
            )
            for food_id, mg in ranked
        ]


def supplements_above_limit(supplement_mg: Decimal, target: MagnesiumTarget) -> bool:
    """The supplement upper limit rule (food never counts toward it); the day page and the
    clinic's flags both ask this."""
    ul = target.supplement_ul_mg
    return ul is not None and supplement_mg > ul


def _egfr_words(egfr: health.Egfr) -> str:
    how = "computed from your creatinine, " if egfr.computed else ""
    day = egfr.taken_on
    return f"{egfr.value} mL/min/1.73 m² ({how}{day.day} {day:%B %Y})"


def kidney_advice(egfr: health.Egfr) -> str:
    """Why and how to be careful with supplements at this eGFR: strong words under 30."""
    if egfr.value < labs.EGFR_SUPPLEMENT_DANGER:
        return (
            f"Your latest eGFR is {_egfr_words(egfr)}, under 30. Do not take magnesium "
            "supplements, or antacids and laxatives that contain magnesium, unless your kidney "
            "doctor has told you to: with kidneys this weak, magnesium can build up in the "
            "blood to a dangerous level."
        )
    return (
        f"Your latest eGFR is {_egfr_words(egfr)}, under 60. Kidneys remove extra magnesium, "
        "so with reduced kidney function a supplement can raise blood magnesium too far. Take "
        "magnesium supplements only on the advice of your doctor or kidney team. Magnesium "
        "from food is not a concern."
    )


def egfr_note(egfr: health.Egfr | None) -> str:
    return labs.NOT_A_DIAGNOSIS if egfr is not None and egfr.computed else ""


def low_egfr(egfr: health.Egfr | None) -> TypeGuard[health.Egfr]:
    return egfr is not None and egfr.value < labs.EGFR_SUPPLEMENT_CAUTION


KIDNEY_DISEASE_ADVICE = (
    "Your profile says you have kidney disease. Kidneys remove extra magnesium, so with reduced "
    "kidney function supplements can raise blood magnesium too far. Please check with your "
    "doctor or kidney team before taking them."
)


def _before_a_dose(advice: str) -> str:
    return f"Before you log a dose: {advice[0].lower()}{advice[1:]}"


def supplement_caution(*, egfr: health.Egfr | None, kidney: bool) -> DayWarning | None:
    """The caution the supplement forms show before a dose is logged: from an eGFR under 60
    (which says more than the profile's box, so it wins), else from the kidney disease box."""
    if low_egfr(egfr):
        return DayWarning("low_egfr_supplement", _before_a_dose(kidney_advice(egfr)), "caution")
    if kidney:
        return DayWarning(
            "kidney_disease_supplement",
            _before_a_dose(KIDNEY_DISEASE_ADVICE),
            "caution",
        )
    return None


def day_warnings(
    *,
    target: MagnesiumTarget,
    supplement_mg: Decimal,
    has_supplement: bool,
    kidney: bool,
    egfr: health.Egfr | None = None,
) -> list[DayWarning]:
    warnings = []
    if supplements_above_limit(supplement_mg, target):
        warnings.append(
            DayWarning(
                "supplement_above_ul",
                f"Your supplements add up to {amounts.shown_text(supplement_mg)} mg of magnesium "
                f"today, more than the {target.supplement_ul_mg} mg upper limit for supplements "
                "at your age. Too much magnesium from supplements often causes diarrhoea and "
                "stomach cramps. Magnesium from food does not count towards this limit. "
                "Consider a smaller dose, and ask your doctor or pharmacist before going above "
                "it.",
                "caution",
            )
        )
    # A measured eGFR under 60 says more than the profile's box: one kidney warning, not two
    # that read alike; the box's own warning stands when there is no such result.
    if low_egfr(egfr) and has_supplement:
        also = " Your profile also says you have kidney disease." if kidney else ""
        warnings.append(
            DayWarning(
                "low_egfr_supplement",
                f"You logged a magnesium supplement on this day. {kidney_advice(egfr)}{also}",
                "caution",
            )
        )
    elif kidney and has_supplement:
        warnings.append(DayWarning("kidney_disease_supplement", KIDNEY_DISEASE_ADVICE, "caution"))
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
    "food__private",
    "portion_id",
    "portion__description",
    "quantity",
    "grams",
    "recorded_magnesium_mg",
    "origin",
    "estimated",
)


def _day_entries(user: User, day: date) -> list[DayEntry]:
    """The day's entries with their food and portion, in one query of plain values."""
    return [
        DayEntry(
            id=pk,
            date=entry_day,
            meal=meal,
            food=FoodBrief(id=food_id, name=name, magnesium_mg_per_100g=mg, private=private),
            portion_id=portion_id,
            portion_description=portion_description,
            quantity=quantity,
            grams=grams,
            recorded_magnesium_mg=recorded,
            origin=origin,
            estimated=estimated,
        )
        for (
            pk,
            entry_day,
            meal,
            food_id,
            name,
            mg,
            private,
            portion_id,
            portion_description,
            quantity,
            grams,
            recorded,
            origin,
            estimated,
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
    exact: dict[str, Decimal] = defaultdict(Decimal)
    for food_id, key, amount in FoodNutrient.objects.filter(
        food_id__in=grams_by_food, nutrient__key__in=list(OTHER_NUTRIENTS)
    ).values_list("food_id", "nutrient__key", "amount_per_100g"):
        exact[key] += amounts.in_grams(grams_by_food[food_id], amount)
    return {key: amounts.shown(total) for key, total in exact.items()}


def day_summary(*, user: User, day: date, person: Person | None = None) -> DaySummary:
    """Everything the day page and the day API show, in four queries whatever the number of
    entries or lab results (the person with their latest eGFR and serum magnesium on the day,
    entries, doses, the other nutrients; three for an empty day, one fewer when given the
    person read with `labs_on=day`)."""
    if person is None or person.labs_on != day:
        person = person_for(user=user, labs_on=day)
    labs_day = person.labs or health.DayLabs()
    target = target_on(person, day)
    entries = _day_entries(user, day)
    intakes = _day_intakes(user, day)
    figures = figures_of(entries, intakes)
    return DaySummary(
        day=day,
        target=target,
        person=person,
        entries=entries,
        intakes=intakes,
        figures=figures,
        nutrients=_other_nutrients(entries),
        warnings=day_warnings(
            target=target,
            supplement_mg=figures.supplements,
            has_supplement=bool(intakes),
            kidney=person.kidney_disease,
            egfr=labs_day.egfr,
        ),
    )
