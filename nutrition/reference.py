"""Reference data and pure functions the nutrition apps compute with. No Django imports.

Every table names its source beside it; tests check each row. Ages are whole years on the
day in question (completed months below one year), so a target changes on a birthday.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class LifeStage(StrEnum):
    NONE = "none"
    PREGNANT = "pregnant"
    LACTATING = "lactating"


def age_in_years(born: date, on: date) -> int:
    """Whole years of age on `on`; a birthday counts from the day itself (29 February: 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_in_months(born: date, on: date) -> int:
    """Completed months of age on `on` (a month is completed on the same day-of-month)."""
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day:
        months -= 1
    return months


# --- Recommended intake ------------------------------------------------------------------------
RDA_SOURCE = (
    "Food and Nutrition Board, Institute of Medicine (1997), Dietary Reference Intakes for "
    "Calcium, Phosphorus, Magnesium, Vitamin D, and Fluoride; as listed in the NIH Office of "
    "Dietary Supplements magnesium fact sheet. Infants: Adequate Intake (AI)."
)

# Infants, Adequate Intake in mg/day by completed months: (first month, last month, AI).
INFANT_AI_MG: tuple[tuple[int, int, int], ...] = (
    (0, 6, 30),
    (7, 11, 75),
)

# (first age, last age or None for "and older") -> mg/day by sex and life stage.
# Pregnancy and lactation values exist for ages 14–50 only (see `magnesium_rda_mg`).
RDA_MG: tuple[tuple[int, int | None, dict[str, int]], ...] = (
    (1, 3, {"male": 80, "female": 80}),
    (4, 8, {"male": 130, "female": 130}),
    (9, 13, {"male": 240, "female": 240}),
    (14, 18, {"male": 410, "female": 360, "pregnant": 400, "lactating": 360}),
    (19, 30, {"male": 400, "female": 310, "pregnant": 350, "lactating": 310}),
    (31, 50, {"male": 420, "female": 320, "pregnant": 360, "lactating": 320}),
    (51, None, {"male": 420, "female": 320}),
)

# --- Upper limit for supplements -----------------------------------------------------------------
UL_SOURCE = (
    "Food and Nutrition Board, Institute of Medicine (1997): Tolerable Upper Intake Level for "
    "magnesium from supplements and medicines (not food), as listed by the NIH Office of "
    "Dietary Supplements. None is set for infants."
)

# (first age, last age or None) -> UL in mg/day of supplemental magnesium; pregnancy and
# lactation share the value for their age.
SUPPLEMENT_UL_MG: tuple[tuple[int, int | None, int | None], ...] = (
    (0, 0, None),
    (1, 3, 65),
    (4, 8, 110),
    (9, None, 350),
)

# --- Daily Values (food labels) ---------------------------------------------------------------
DV_SOURCE = "US Food and Drug Administration, Daily Values for food labels (21 CFR 101.9)."
DAILY_VALUE_MG_CHILD_1_3 = 80
DAILY_VALUE_MG_ADULT = 420  # adults and children aged 4 and older
DAILY_VALUE_MG_PREGNANT_LACTATING = 400

# --- Elemental magnesium in supplement salts ------------------------------------------------------
ELEMENTAL_SOURCE = (
    "Magnesium's share of each salt's weight, n × 24.305 / molar mass of the named compound."
)
MG_ATOMIC_MASS = Decimal("24.305")

# form -> (percent magnesium by weight, label, compound the percentage is computed for)
ELEMENTAL_PERCENT: dict[str, tuple[Decimal, str, str]] = {
    "oxide": (Decimal("60.3"), "Magnesium oxide", "MgO"),
    "hydroxide": (Decimal("41.7"), "Magnesium hydroxide", "Mg(OH)2"),
    "carbonate": (Decimal("28.8"), "Magnesium carbonate", "MgCO3"),
    "citrate": (Decimal("16.2"), "Magnesium citrate", "trimagnesium dicitrate, anhydrous"),
    "malate": (Decimal("15.5"), "Magnesium malate", "MgC4H4O5"),
    "glycinate": (Decimal("14.1"), "Magnesium glycinate (bisglycinate)", "Mg(C2H4NO2)2"),
    "chloride": (Decimal("12.0"), "Magnesium chloride", "MgCl2·6H2O"),
    "lactate": (Decimal("12.0"), "Magnesium lactate", "anhydrous"),
    "sulfate": (Decimal("9.9"), "Magnesium sulfate (Epsom salt)", "MgSO4·7H2O"),
    "taurate": (Decimal("8.9"), "Magnesium taurate", ""),
    "aspartate": (Decimal("8.4"), "Magnesium aspartate", "anhydrous"),
    "threonate": (Decimal("8.3"), "Magnesium L-threonate", ""),
    "orotate": (Decimal("7.3"), "Magnesium orotate", "anhydrous"),
    "gluconate": (Decimal("5.9"), "Magnesium gluconate", "anhydrous"),
}
OTHER_FORM = "other"
SUPPLEMENT_FORMS: tuple[tuple[str, str], ...] = (
    *((form, label) for form, (_, label, _) in ELEMENTAL_PERCENT.items()),
    (OTHER_FORM, "Other or a mix (enter elemental magnesium)"),
)
# Osmotic laxative effect is most marked with these forms (NIH ODS fact sheet).
LAXATIVE_FORMS = frozenset({"citrate", "carbonate", "oxide", "hydroxide", "sulfate", "chloride"})
# Oxide is poorly absorbed (about 4 % fractional absorption); these are absorbed better.
BETTER_ABSORBED_FORMS = frozenset({"chloride", "lactate", "aspartate", "citrate"})

# --- A starter list of common products ---------------------------------------------------------
STARTER_SOURCE = (
    "Typical retail strengths: the weight of the magnesium salt per tablet, capsule or measure "
    "as commonly sold (magnesium chloride 535 mg is the Slow-Mag tablet; L-threonate 2,000 mg "
    "per 3 capsules; milk of magnesia 400 mg per 5 mL). A convenience for entering a product, "
    "not a recommendation of a product, form or dose. The elemental magnesium is computed "
    "from the form's share above; when your label states elemental magnesium, that is the "
    "figure to trust."
)


@dataclass(frozen=True)
class StarterSupplement:
    """A common product: a form at a usual strength (the salt's weight per unit)."""

    code: str
    form: str
    compound_mg: Decimal
    unit: str  # "capsule", "tablet", "5 mL", "gram"

    @property
    def elemental_mg(self) -> Decimal:
        return elemental_mg(self.form, self.compound_mg)

    @property
    def name(self) -> str:
        """The product's name in the person's list: "Magnesium citrate 500 mg"."""
        return f"{FORM_NAMES[self.form]} {_number(self.compound_mg)} mg"

    @property
    def label(self) -> str:
        """ "Magnesium glycinate 500 mg (≈ 70.5 mg elemental) per capsule"."""
        elemental = _number(self.elemental_mg)
        return f"{self.name} (≈ {elemental} mg elemental) per {self.unit}"


def _number(value: Decimal) -> str:
    """500 -> "500", 1000 -> "1,000", 70.5 -> "70.5", 81.0 -> "81"."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# The form's short name for a product (the table's labels carry notes in brackets).
FORM_NAMES: dict[str, str] = {
    form: label.split(" (")[0] for form, (_, label, _) in ELEMENTAL_PERCENT.items()
}

STARTER_SUPPLEMENTS: tuple[StarterSupplement, ...] = tuple(
    StarterSupplement(f"{form}-{mg}", form, Decimal(mg), unit)
    for form, mg, unit in (
        ("glycinate", 500, "capsule"),
        ("citrate", 500, "capsule"),
        ("oxide", 400, "tablet"),
        ("oxide", 500, "tablet"),
        ("malate", 500, "capsule"),
        ("chloride", 535, "tablet"),
        ("taurate", 500, "capsule"),
        ("threonate", 667, "capsule"),
        ("sulfate", 1000, "gram of Epsom salt"),  # weighed: 1 unit is 1 g of the salt
        ("orotate", 500, "tablet"),
        ("gluconate", 500, "tablet"),
        ("hydroxide", 400, "5 mL"),
    )
)
STARTERS_BY_CODE: dict[str, StarterSupplement] = {s.code: s for s in STARTER_SUPPLEMENTS}

MEDICINE_TIMING_NOTE = (
    "If you take tetracycline or quinolone antibiotics or a bisphosphonate, take magnesium "
    "2 to 4 hours apart from them, as they bind to each other. Long-term proton-pump "
    "inhibitors and loop or thiazide diuretics can lower your magnesium."
)


ADULT_AGE = 19  # assumed for the supplement UL when no birth date is known


class MissingAge(ValueError):
    """Raised when an infant's age in months is needed but not given."""


def _row_for_age(rows, age_years: int):
    for first, last, value in rows:
        if age_years >= first and (last is None or age_years <= last):
            return value
    raise ValueError(f"No reference row for age {age_years}.")


def magnesium_rda_mg(
    sex: str,
    age_years: int,
    age_months: int | None = None,
    life_stage: str = LifeStage.NONE,
) -> int:
    """The RDA (the AI below one year) of magnesium in mg/day.

    Pregnancy and lactation apply to women aged 14–50, the ages the table covers; a younger
    mother takes the 14–18 value (the IOM groups pregnancy "≤ 18 years"), and from 51 the
    life stage no longer changes the value.
    """
    if age_years < 0:
        raise ValueError("Age cannot be negative.")
    if age_years == 0:
        if age_months is None:
            raise MissingAge("An infant's age in months is needed.")
        for first, last, ai in INFANT_AI_MG:
            if first <= age_months <= last:
                return ai
        raise ValueError(f"Age in months out of range for an infant: {age_months}.")
    if sex not in (Sex.FEMALE, Sex.MALE):
        raise ValueError(f"Unknown sex {sex!r}.")
    values = _row_for_age(
        RDA_MG, max(age_years, 14) if _is_maternal(sex, life_stage) else age_years
    )
    if _is_maternal(sex, life_stage) and life_stage in values:
        return values[life_stage]
    return _row_for_age(RDA_MG, age_years)[sex]


def _is_maternal(sex: str, life_stage: str) -> bool:
    return sex == Sex.FEMALE and life_stage in (LifeStage.PREGNANT, LifeStage.LACTATING)


def supplement_ul_mg(age_years: int) -> int | None:
    """Upper limit of magnesium from supplements and medicines, mg/day (None below one year)."""
    if age_years < 0:
        raise ValueError("Age cannot be negative.")
    return _row_for_age(SUPPLEMENT_UL_MG, age_years)


def daily_value_mg(age_years: int | None, life_stage: str = LifeStage.NONE) -> int | None:
    """The label Daily Value; adults' 420 mg when the age is unknown, None below one year."""
    if life_stage in (LifeStage.PREGNANT, LifeStage.LACTATING):
        return DAILY_VALUE_MG_PREGNANT_LACTATING
    if age_years is None or age_years >= 4:
        return DAILY_VALUE_MG_ADULT
    if age_years >= 1:
        return DAILY_VALUE_MG_CHILD_1_3
    return None


def elemental_fraction(form: str) -> Decimal:
    """Magnesium's share of the salt's weight (0.162 for citrate)."""
    if form not in ELEMENTAL_PERCENT:
        raise ValueError(f"No elemental fraction for form {form!r}: enter elemental magnesium.")
    return ELEMENTAL_PERCENT[form][0] / 100


def elemental_mg(form: str, compound_mg: Decimal | int | float | str) -> Decimal:
    """Elemental magnesium in `compound_mg` of the salt, to 0.1 mg (500 mg citrate -> 81.0)."""
    amount = Decimal(str(compound_mg))
    if amount < 0:
        raise ValueError("A weight cannot be negative.")
    return (amount * elemental_fraction(form)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ReferenceValues:
    """The reference magnesium values for one person on one day."""

    rda_mg: int | None
    supplement_ul_mg: int | None
    basis: str


def reference_values(
    *,
    sex: str,
    birth_date: date | None,
    life_stage: str,
    on: date,
) -> ReferenceValues:
    """RDA/AI and supplement UL for a profile on a day, with a plain-words basis.

    Without a birth date (or before birth) there is no age to look up, so the adults' label
    Daily Value stands in, and the supplement UL of everyone from 9 years on applies, so an
    incomplete profile never hides a warning. Without a sex, the Daily Value stands in where
    the sexes' values differ.
    """
    if birth_date is None or birth_date > on:
        return ReferenceValues(
            DAILY_VALUE_MG_ADULT,
            supplement_ul_mg(ADULT_AGE),
            "Daily Value on food labels (add your birth date and sex to your profile for "
            "your own target)",
        )
    years = age_in_years(birth_date, on)
    ul = supplement_ul_mg(years)
    if years == 0:
        ai = magnesium_rda_mg(Sex.FEMALE, 0, age_in_months(birth_date, on))
        return ReferenceValues(ai, ul, "Adequate Intake for infants (IOM 1997)")
    if sex not in (Sex.FEMALE, Sex.MALE):
        values = _row_for_age(RDA_MG, years)
        if values["male"] == values["female"]:
            return ReferenceValues(values["male"], ul, f"RDA for age {years} (IOM 1997)")
        return ReferenceValues(
            daily_value_mg(years),
            ul,
            "Daily Value on food labels (add your sex to your profile for your own target)",
        )
    rda = magnesium_rda_mg(sex, years, None, life_stage)
    maternal = _is_maternal(sex, life_stage) and years <= 50
    stage = {LifeStage.PREGNANT: ", pregnant", LifeStage.LACTATING: ", breastfeeding"}.get(
        life_stage if maternal else "", ""
    )
    return ReferenceValues(rda, ul, f"RDA for a {sex} aged {years}{stage} (IOM 1997)")
