"""Laboratory results: analytes, units, conversions, categories and derived markers.

Plain Python, no Django (an import-linter contract holds it). Every table names its source;
`tests/health/test_labs_reference.py` checks each row and the formulas against worked examples.
Values are stored in the SI unit (the first unit of each analyte) and kept as entered beside it.

Categories are read from the value in the unit the guideline states, rounded to the precision
a laboratory reports (glucose 1 mg/dL, HbA1c 1 mmol/mol, magnesium 0.01 mmol/L, eGFR 1 mL/min):
so a result entered as 126 mg/dL is in the diabetes range however it is stored.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from nutrition.reference import Sex, age_in_years

NOT_A_DIAGNOSIS = (
    "This is a calculation from your results, not a diagnosis: only a clinician can diagnose, "
    "taking everything about you into account."
)

CONVERSION_SOURCE = (
    "Conversion factors: molar masses of glucose (180.16 g/mol), magnesium (24.305 g/mol), "
    "creatinine (113.12 g/mol); triglycerides 88.57 and HDL cholesterol 38.67 mg/dL per mmol/L "
    "(the usual clinical factors); insulin 1 µIU/mL = 6.0 pmol/L; HbA1c IFCC–NGSP master "
    "equation, mmol/mol = (% − 2.15) × 10.929 (NGSP)."
)


@dataclass(frozen=True)
class Unit:
    code: str  # as the API and forms spell it
    label: str  # as a person reads it
    ucum: str  # UCUM code for FHIR
    # value in SI = value × factor + offset (offset only for HbA1c %)
    factor: Decimal
    offset: Decimal = Decimal(0)
    loinc: str = ""  # the LOINC code of a value in this unit
    decimals: int = 1  # how precisely a lab reports it


@dataclass(frozen=True)
class Analyte:
    code: str
    name: str
    units: tuple[Unit, ...]  # the first is the SI unit, the one stored
    si_min: Decimal  # physiologically possible range, in the SI unit, inclusive
    si_max: Decimal
    fasting: bool = False

    @property
    def si(self) -> Unit:
        return self.units[0]

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)


def _d(text: str) -> Decimal:
    return Decimal(text)


# LOINC codes (loinc.org): the mass/volume and moles/volume codes of each analyte in serum or
# plasma. Insulin is coded 20448-7 (units/volume); a value in pmol/L is sent converted to µIU/mL.
# Bounds: wider than anything survivable, to catch typing and unit mistakes, not to judge.
ANALYTES: dict[str, Analyte] = {
    a.code: a
    for a in (
        Analyte(
            "glucose_fasting",
            "Fasting glucose",
            (
                Unit("mmol/L", "mmol/L", "mmol/L", _d("1"), loinc="14771-0", decimals=1),
                Unit("mg/dL", "mg/dL", "mg/dL", 1 / _d("18.016"), loinc="1558-6", decimals=0),
            ),
            si_min=_d("0.5"),
            si_max=_d("60"),
            fasting=True,
        ),
        Analyte(
            "hba1c",
            "HbA1c",
            (
                Unit("mmol/mol", "mmol/mol", "mmol/mol", _d("1"), loinc="59261-8", decimals=0),
                Unit(
                    "%",
                    "%",
                    "%",
                    _d("10.929"),
                    offset=_d("-2.15") * _d("10.929"),
                    loinc="4548-4",
                    decimals=1,
                ),
            ),
            # 3 % to 20 %
            si_min=_d("9"),
            si_max=_d("196"),
        ),
        Analyte(
            "insulin_fasting",
            "Fasting insulin",
            (
                Unit("pmol/L", "pmol/L", "pmol/L", _d("1"), loinc="20448-7", decimals=0),
                Unit("uIU/mL", "µIU/mL", "u[IU]/mL", _d("6.0"), loinc="20448-7", decimals=1),
            ),
            si_min=_d("0.6"),
            si_max=_d("6000"),
            fasting=True,
        ),
        Analyte(
            "magnesium_serum",
            "Serum magnesium",
            (
                Unit("mmol/L", "mmol/L", "mmol/L", _d("1"), loinc="2601-3", decimals=2),
                Unit("mg/dL", "mg/dL", "mg/dL", 1 / _d("2.431"), loinc="19123-9", decimals=2),
                Unit("mEq/L", "mEq/L", "meq/L", _d("0.5"), loinc="2601-3", decimals=2),
            ),
            si_min=_d("0.1"),
            si_max=_d("5"),
        ),
        Analyte(
            "creatinine_serum",
            "Serum creatinine",
            (
                Unit("umol/L", "µmol/L", "umol/L", _d("1"), loinc="14682-9", decimals=0),
                Unit("mg/dL", "mg/dL", "mg/dL", _d("88.42"), loinc="2160-0", decimals=2),
            ),
            si_min=_d("5"),
            si_max=_d("3000"),
        ),
        Analyte(
            "egfr",
            "eGFR",
            (
                Unit(
                    "mL/min/1.73m2",
                    "mL/min/1.73 m²",
                    "mL/min/{1.73_m2}",
                    _d("1"),
                    loinc="98979-8",
                    decimals=0,
                ),
            ),
            si_min=_d("1"),
            si_max=_d("200"),
        ),
        Analyte(
            "triglycerides",
            "Triglycerides",
            (
                Unit("mmol/L", "mmol/L", "mmol/L", _d("1"), loinc="14927-8", decimals=2),
                Unit("mg/dL", "mg/dL", "mg/dL", 1 / _d("88.57"), loinc="2571-8", decimals=0),
            ),
            si_min=_d("0.05"),
            si_max=_d("150"),
        ),
        Analyte(
            "hdl_cholesterol",
            "HDL cholesterol",
            (
                Unit("mmol/L", "mmol/L", "mmol/L", _d("1"), loinc="14646-4", decimals=2),
                Unit("mg/dL", "mg/dL", "mg/dL", 1 / _d("38.67"), loinc="2085-9", decimals=0),
            ),
            si_min=_d("0.05"),
            si_max=_d("6"),
        ),
    )
}

# How many decimal places an entered value keeps, and the stored SI value (enough to give back
# what was entered: the SI value's rounding, at most 0.0000005 × 88.57, stays under half of
# 0.0001 in every unit).
VALUE_PLACES = 4
SI_PLACES = 6


def to_si(analyte: Analyte, value: Decimal, unit_code: str) -> Decimal:
    unit = analyte.unit(unit_code)
    if unit is None:
        raise KeyError(unit_code)
    return (value * unit.factor + unit.offset).quantize(
        Decimal(1).scaleb(-SI_PLACES), rounding=ROUND_HALF_UP
    )


def from_si(analyte: Analyte, value_si: Decimal, unit_code: str) -> Decimal:
    """The SI value in another unit, unrounded."""
    unit = analyte.unit(unit_code)
    if unit is None:
        raise KeyError(unit_code)
    return (value_si - unit.offset) / unit.factor


def reported(analyte: Analyte, value_si: Decimal, unit_code: str) -> Decimal:
    """The SI value in `unit_code`, rounded half-up as a laboratory reports it.

    First back to the precision values are entered in, so that the SI value's own rounding
    cannot tip a half: 125.5 mg/dL (stored as 6.966030 mmol/L, 125.49999 mg/dL) reads 126."""
    unit = analyte.unit(unit_code)
    value = from_si(analyte, value_si, unit_code).quantize(
        Decimal(1).scaleb(-VALUE_PLACES), rounding=ROUND_HALF_UP
    )
    return value.quantize(Decimal(1).scaleb(-unit.decimals), rounding=ROUND_HALF_UP)


class BoundsError(ValueError):
    pass


def check_bounds(analyte: Analyte, value_si: Decimal) -> None:
    """Raise BoundsError, saying the range in the SI unit, when a value cannot be real."""
    if not (analyte.si_min <= value_si <= analyte.si_max):
        unit = analyte.si.label
        raise BoundsError(
            f"{analyte.name} must be between {analyte.si_min} and {analyte.si_max} {unit} "
            "(check the value and the unit on your report)."
        )


# --- Categories of one result -------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    code: str
    label: str


# American Diabetes Association, Standards of Care in Diabetes (2.2 Diagnosis): fasting plasma
# glucose < 100 mg/dL normal, 100–125 prediabetes, ≥ 126 diabetes (5.6 and 7.0 mmol/L);
# HbA1c < 5.7 % normal, 5.7–6.4 % prediabetes, ≥ 6.5 % diabetes, which the same table gives as
# 39–47 and ≥ 48 mmol/mol. HbA1c is read in whole mmol/mol: 47 mmol/mol is 6.45 %, which
# rounded to 0.1 % would wrongly say diabetes, while every 0.1 % value lands on the right side.
GLYCAEMIA_SOURCE = "American Diabetes Association, Standards of Care in Diabetes, section 2."
GLUCOSE_FASTING_MG_DL = (Decimal(100), Decimal(126))
HBA1C_PERCENT = (Decimal("5.7"), Decimal("6.5"))
HBA1C_MMOL_MOL = (Decimal(39), Decimal(48))
GLYCAEMIA_ORDER = ("normal", "prediabetes", "diabetes")
GLYCAEMIA_LABELS = {
    "normal": "normal range",
    "prediabetes": "prediabetes range",
    "diabetes": "diabetes range",
}

# Serum magnesium (DOMAIN): low under 0.75 mmol/L, normal 0.75–1.05, high over 1.05.
MAGNESIUM_SOURCE = (
    "Serum magnesium reference interval 0.75–1.05 mmol/L (1.82–2.55 mg/dL), as in the NIH "
    "Office of Dietary Supplements magnesium fact sheet for health professionals."
)
MAGNESIUM_MMOL_L = (Decimal("0.75"), Decimal("1.05"))
MAGNESIUM_LABELS = {
    "low": "low magnesium",
    "normal": "normal magnesium",
    "high": "high magnesium",
}
MAGNESIUM_NORMAL_CAVEAT = (
    "Most of the body's magnesium is inside cells and bone, so blood levels stay normal until "
    "a deficit is marked: a normal result does not rule a low intake out."
)

# KDIGO 2012 Clinical Practice Guideline for the Evaluation and Management of CKD: GFR
# categories in mL/min/1.73 m² (lower bound inclusive).
KDIGO_SOURCE = "KDIGO 2012 Clinical Practice Guideline for CKD, GFR categories."
KDIGO_STAGES: tuple[tuple[str, int, str], ...] = (
    ("G1", 90, "normal or high kidney function"),
    ("G2", 60, "mildly decreased kidney function"),
    ("G3a", 45, "mildly to moderately decreased kidney function"),
    ("G3b", 30, "moderately to severely decreased kidney function"),
    ("G4", 15, "severely decreased kidney function"),
    ("G5", 0, "kidney failure range"),
)
EGFR_SUPPLEMENT_CAUTION = 60  # under this: supplements only with a clinician's advice
EGFR_SUPPLEMENT_DANGER = 30  # under this: say so strongly

# NCEP ATP III (2001), fasting triglycerides: < 150 mg/dL normal, 150–199 borderline high,
# 200–499 high, ≥ 500 very high; HDL cholesterol < 40 mg/dL low, ≥ 60 high.
LIPIDS_SOURCE = "NCEP Adult Treatment Panel III (2001), lipid classification."
TRIGLYCERIDES_MG_DL: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal(500), "very_high", "very high triglycerides"),
    (Decimal(200), "high", "high triglycerides"),
    (Decimal(150), "borderline_high", "borderline-high triglycerides"),
    (Decimal(0), "normal", "normal triglycerides"),
)
HDL_MG_DL = (Decimal(40), Decimal(60))


def glucose_category(value_si: Decimal) -> Category:
    mg_dl = reported(ANALYTES["glucose_fasting"], value_si, "mg/dL")
    code = _banded(mg_dl, GLUCOSE_FASTING_MG_DL)
    return Category(code, GLYCAEMIA_LABELS[code])


def hba1c_category(value_si: Decimal) -> Category:
    mmol_mol = reported(ANALYTES["hba1c"], value_si, "mmol/mol")
    code = _banded(mmol_mol, HBA1C_MMOL_MOL)
    return Category(code, GLYCAEMIA_LABELS[code])


def _banded(value: Decimal, bounds: tuple[Decimal, Decimal]) -> str:
    if value < bounds[0]:
        return "normal"
    return "prediabetes" if value < bounds[1] else "diabetes"


def magnesium_category(value_si: Decimal) -> Category:
    mmol = reported(ANALYTES["magnesium_serum"], value_si, "mmol/L")
    if mmol < MAGNESIUM_MMOL_L[0]:
        code = "low"
    elif mmol > MAGNESIUM_MMOL_L[1]:
        code = "high"
    else:
        code = "normal"
    return Category(code, MAGNESIUM_LABELS[code])


def egfr_rounded(value: Decimal | float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def kdigo_stage(egfr: Decimal | float) -> Category:
    whole = egfr_rounded(egfr)
    for code, lower, label in KDIGO_STAGES:
        if whole >= lower:
            return Category(code, f"{code}: {label}")
    raise AssertionError("unreachable: G5 starts at 0")


def triglycerides_category(value_si: Decimal) -> Category:
    mg_dl = reported(ANALYTES["triglycerides"], value_si, "mg/dL")
    for lower, code, label in TRIGLYCERIDES_MG_DL:
        if mg_dl >= lower:
            return Category(code, label)
    raise AssertionError("unreachable")


def hdl_category(value_si: Decimal) -> Category:
    mg_dl = reported(ANALYTES["hdl_cholesterol"], value_si, "mg/dL")
    if mg_dl < HDL_MG_DL[0]:
        return Category("low", "low HDL cholesterol")
    if mg_dl >= HDL_MG_DL[1]:
        return Category("high", "high (protective) HDL cholesterol")
    return Category("normal", "HDL cholesterol in the usual range")


def result_category(analyte_code: str, value_si: Decimal) -> Category | None:
    """The category of one result in words, or None where a single value has none (insulin,
    creatinine: their meaning comes through HOMA-IR and eGFR)."""
    match analyte_code:
        case "glucose_fasting":
            return glucose_category(value_si)
        case "hba1c":
            return hba1c_category(value_si)
        case "magnesium_serum":
            return magnesium_category(value_si)
        case "egfr":
            return kdigo_stage(value_si)
        case "triglycerides":
            return triglycerides_category(value_si)
        case "hdl_cholesterol":
            return hdl_category(value_si)
    return None


# --- Derived markers ------------------------------------------------------------------------
# Matthews DR et al., Diabetologia 1985;28:412–9: HOMA-IR = glucose (mmol/L) × insulin
# (µIU/mL) / 22.5.
HOMA_IR_SOURCE = "Matthews et al., Diabetologia 1985 (HOMA)."
HOMA_IR_COMMON_CUTOFF = Decimal("2.5")
HOMA_IR_MEANING = (
    "HOMA-IR estimates insulin resistance from a fasting glucose and a fasting insulin of the "
    "same morning. Values above about 2.5 are often read as insulin resistance, but cut-offs "
    "differ between populations and laboratories: follow your own number over time."
)
# Simental-Mendía LE et al., Metab Syndr Relat Disord 2008;6:299–304: TyG = ln(fasting
# triglycerides (mg/dL) × fasting glucose (mg/dL) / 2).
TYG_SOURCE = "Simental-Mendía et al., Metabolic Syndrome and Related Disorders 2008 (TyG)."
TYG_MEANING = (
    "The TyG index combines fasting triglycerides and glucose of the same day into a marker of "
    "insulin resistance that needs no insulin test. There is no single agreed cut-off; it is "
    "most useful compared with your own earlier values."
)
# Inker LA et al., N Engl J Med 2021;385:1737–49 (CKD-EPI 2021 creatinine equation, no race
# term), adults 18 and over.
CKD_EPI_SOURCE = "Inker et al., N Engl J Med 2021 (CKD-EPI 2021 creatinine equation)."
EGFR_MEANING = (
    "eGFR estimates how well the kidneys filter. The kidneys remove extra magnesium, so under "
    "60 a magnesium supplement should only be taken on a clinician's advice."
)


def homa_ir(glucose_mmol_l: Decimal, insulin_pmol_l: Decimal) -> Decimal:
    insulin_uiu_ml = insulin_pmol_l / Decimal("6.0")
    return (glucose_mmol_l * insulin_uiu_ml / Decimal("22.5")).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def tyg_index(triglycerides_mmol_l: Decimal, glucose_mmol_l: Decimal) -> Decimal:
    tg_mg_dl = triglycerides_mmol_l * Decimal("88.57")
    glucose_mg_dl = glucose_mmol_l * Decimal("18.016")
    value = math.log(float(tg_mg_dl * glucose_mg_dl / 2))
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


CKD_EPI_MIN_AGE = 18


def ckd_epi_2021(creatinine_umol_l: Decimal, *, sex: str, age: int) -> Decimal:
    """eGFR in mL/min/1.73 m², rounded to a whole number as laboratories report it."""
    if age < CKD_EPI_MIN_AGE:
        raise ValueError("CKD-EPI 2021 is for adults (18 and over).")
    if sex not in (Sex.FEMALE, Sex.MALE):
        raise ValueError("CKD-EPI 2021 needs the sex, female or male.")
    female = sex == Sex.FEMALE
    kappa = 0.7 if female else 0.9
    alpha = -0.241 if female else -0.302
    scr = float(creatinine_umol_l) / 88.42
    ratio = scr / kappa
    value = 142 * min(ratio, 1) ** alpha * max(ratio, 1) ** -1.200 * 0.9938**age
    if female:
        value *= 1.012
    return Decimal(egfr_rounded(value))


def ckd_epi_for(
    creatinine_umol_l: Decimal, *, sex: str | None, born: date | None, on: date
) -> Decimal | None:
    """CKD-EPI 2021 for a person on a day, or None when their sex or age is unknown or they
    are under 18."""
    if sex not in (Sex.FEMALE, Sex.MALE) or born is None:
        return None
    age = age_in_years(born, on)
    if age < CKD_EPI_MIN_AGE:
        return None
    return ckd_epi_2021(creatinine_umol_l, sex=sex, age=age)


def higher_glycaemia(*categories: tuple[str, Category]) -> tuple[str, Category] | None:
    """Of (analyte, category) pairs, the one with the higher category; the first on a tie."""
    best = None
    for analyte, category in categories:
        rank = GLYCAEMIA_ORDER.index(category.code)
        if best is None or rank > GLYCAEMIA_ORDER.index(best[1].code):
            best = (analyte, category)
    return best
