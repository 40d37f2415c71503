"""nutrition.labs against the reference figures: every analyte and unit (factor, LOINC, UCUM),
the bounds, the categories at each edge and the derived markers worked out by hand.

Every expected figure here comes from the published sources named in nutrition/labs.py (ADA,
KDIGO, CKD-EPI 2021, HOMA, TyG, LOINC, UCUM), not from the code under test.
"""

from datetime import date
from decimal import Decimal

import pytest

from nutrition import labs

D = Decimal
A = labs.ANALYTES


def si(analyte: str, value: str, unit: str) -> Decimal:
    return labs.to_si(A[analyte], D(value), unit)


# --- The table: analytes, units, factors, codes -------------------------------------------

# The contract's analytes and units, the SI unit first.
CONTRACT_UNITS = {
    "glucose_fasting": ["mmol/L", "mg/dL"],
    "hba1c": ["mmol/mol", "%"],
    "insulin_fasting": ["pmol/L", "uIU/mL"],
    "magnesium_serum": ["mmol/L", "mg/dL", "mEq/L"],
    "creatinine_serum": ["umol/L", "mg/dL"],
    "egfr": ["mL/min/1.73m2"],
    "triglycerides": ["mmol/L", "mg/dL"],
    "hdl_cholesterol": ["mmol/L", "mg/dL"],
}

# (analyte, unit, LOINC, UCUM, a value in the unit, the same in the SI unit)
# The pairs are the domain's conversions written out:
#   glucose     18.016 mg/dL = 1 mmol/L
#   HbA1c       7.15 %  -> (7.15 - 2.15) x 10.929 = 5 x 10.929 = 54.645 mmol/mol
#   insulin     1 uIU/mL = 1 x 6.0 = 6.0 pmol/L
#   magnesium   2.431 mg/dL = 1 mmol/L; 2 mEq/L = 1 mmol/L (divalent: mEq = mmol x 2)
#   creatinine  1 mg/dL = 1 x 88.42 = 88.42 umol/L
#   TG          88.57 mg/dL = 1 mmol/L;  HDL 38.67 mg/dL = 1 mmol/L
ROWS = [
    ("glucose_fasting", "mmol/L", "14771-0", "mmol/L", "5.5", "5.5"),
    ("glucose_fasting", "mg/dL", "1558-6", "mg/dL", "18.016", "1"),
    ("hba1c", "mmol/mol", "59261-8", "mmol/mol", "48", "48"),
    ("hba1c", "%", "4548-4", "%", "7.15", "54.645"),
    ("insulin_fasting", "pmol/L", "20448-7", "pmol/L", "60", "60"),
    ("insulin_fasting", "uIU/mL", "20448-7", "u[IU]/mL", "1", "6.0"),
    ("magnesium_serum", "mmol/L", "2601-3", "mmol/L", "0.85", "0.85"),
    ("magnesium_serum", "mg/dL", "19123-9", "mg/dL", "2.431", "1"),
    ("magnesium_serum", "mEq/L", "2601-3", "meq/L", "2", "1"),
    ("creatinine_serum", "umol/L", "14682-9", "umol/L", "80", "80"),
    ("creatinine_serum", "mg/dL", "2160-0", "mg/dL", "1", "88.42"),
    ("egfr", "mL/min/1.73m2", "98979-8", "mL/min/{1.73_m2}", "75", "75"),
    ("triglycerides", "mmol/L", "14927-8", "mmol/L", "1.7", "1.7"),
    ("triglycerides", "mg/dL", "2571-8", "mg/dL", "88.57", "1"),
    ("hdl_cholesterol", "mmol/L", "14646-4", "mmol/L", "1.2", "1.2"),
    ("hdl_cholesterol", "mg/dL", "2085-9", "mg/dL", "38.67", "1"),
]


def test_the_analytes_and_units_are_the_contracts_with_the_si_unit_first():
    assert {code: [u.code for u in a.units] for code, a in A.items()} == CONTRACT_UNITS
    assert {(row[0], row[1]) for row in ROWS} == {
        (code, unit) for code, units in CONTRACT_UNITS.items() for unit in units
    }


@pytest.mark.parametrize("analyte, unit, loinc, ucum, value, value_si", ROWS)
def test_each_unit_has_its_factor_loinc_and_ucum(analyte, unit, loinc, ucum, value, value_si):
    info = A[analyte].unit(unit)
    assert info.loinc == loinc
    assert info.ucum == ucum
    assert si(analyte, value, unit) == D(value_si)
    assert labs.from_si(A[analyte], D(value_si), unit).quantize(D("0.0001")) == D(value)


@pytest.mark.parametrize("analyte, unit", [(row[0], row[1]) for row in ROWS])
@pytest.mark.parametrize("value", ["0.0001", "0.75", "1", "5.55", "99.5", "125.5", "1234.5678"])
def test_every_unit_gives_back_what_was_entered(analyte, unit, value):
    # Stored to 6 places in SI; back in the unit, to the 4 places a value is kept to, it is
    # exactly what was typed (in every unit, even through the 88.57 of triglycerides).
    value_si = labs.to_si(A[analyte], D(value), unit)
    back = labs.from_si(A[analyte], value_si, unit)
    assert back.quantize(D("0.0001")) == D(value)


def test_an_unknown_unit_is_a_key_error():
    with pytest.raises(KeyError):
        labs.to_si(A["hba1c"], D(5), "mg/dL")
    with pytest.raises(KeyError):
        labs.from_si(A["glucose_fasting"], D(5), "%")


# --- Bounds --------------------------------------------------------------------------------

BOUNDS = {  # analyte: (lowest, highest) possible, SI unit, inclusive
    "glucose_fasting": ("0.5", "60"),
    "hba1c": ("9", "196"),
    "insulin_fasting": ("0.6", "6000"),
    "magnesium_serum": ("0.1", "5"),
    "creatinine_serum": ("5", "3000"),
    "egfr": ("1", "200"),
    "triglycerides": ("0.05", "150"),
    "hdl_cholesterol": ("0.05", "6"),
}
STEP = D("0.000001")  # one unit of the stored SI value


@pytest.mark.parametrize("analyte", list(BOUNDS))
def test_bounds_hold_just_inside_and_refuse_just_outside(analyte):
    low, high = (D(v) for v in BOUNDS[analyte])
    info = A[analyte]
    assert (info.si_min, info.si_max) == (low, high)
    for inside in (low, low + STEP, high - STEP, high):
        labs.check_bounds(info, inside)  # no error
    for outside in (low - STEP, high + STEP, D(0), D(-1)):
        with pytest.raises(labs.BoundsError, match=info.si.label):
            labs.check_bounds(info, outside)


def test_bounds_catch_a_value_typed_in_the_wrong_unit():
    # 100 (meant as mg/dL) typed as mmol/L: 100 mmol/L of glucose is over 60.
    with pytest.raises(labs.BoundsError):
        labs.check_bounds(A["glucose_fasting"], si("glucose_fasting", "100", "mmol/L"))
    # 55 (meant as mmol/mol) typed as %: (55 - 2.15) x 10.929 = 577.6 mmol/mol, over 196.
    with pytest.raises(labs.BoundsError):
        labs.check_bounds(A["hba1c"], si("hba1c", "55", "%"))


# --- Categories at every edge --------------------------------------------------------------


def category(analyte: str, value: str, unit: str) -> str:
    return labs.result_category(analyte, si(analyte, value, unit)).code


@pytest.mark.parametrize(
    "value, unit, code",
    [
        # ADA: < 100 mg/dL normal, 100-125 prediabetes, >= 126 diabetes.
        ("99", "mg/dL", "normal"),
        ("100", "mg/dL", "prediabetes"),
        ("125", "mg/dL", "prediabetes"),
        ("126", "mg/dL", "diabetes"),
        # Read as a lab reports it, to the whole mg/dL (half up).
        ("99.4", "mg/dL", "normal"),
        ("99.5", "mg/dL", "prediabetes"),
        ("125.4", "mg/dL", "prediabetes"),
        ("125.5", "mg/dL", "diabetes"),
        # mmol/L: 5.5 x 18.016 = 99.09 -> 99; 5.6 -> 100.89 -> 101; 6.9 -> 124.31 -> 124;
        # 7.0 -> 126.11 -> 126 (ADA's own 5.6 and 7.0 mmol/L).
        ("5.5", "mmol/L", "normal"),
        ("5.6", "mmol/L", "prediabetes"),
        ("6.9", "mmol/L", "prediabetes"),
        ("7.0", "mmol/L", "diabetes"),
    ],
)
def test_fasting_glucose_categories(value, unit, code):
    assert category("glucose_fasting", value, unit) == code
    assert (
        labs.GLYCAEMIA_LABELS[code]
        == labs.result_category("glucose_fasting", si("glucose_fasting", value, unit)).label
    )


@pytest.mark.parametrize(
    "value, unit, code",
    [
        # ADA: < 5.7 % normal, 5.7-6.4 % prediabetes, >= 6.5 % diabetes ...
        ("5.6", "%", "normal"),
        ("5.7", "%", "prediabetes"),
        ("6.4", "%", "prediabetes"),
        ("6.5", "%", "diabetes"),
        # ... which ADA gives as < 39, 39-47 and >= 48 mmol/mol. 47 mmol/mol is
        # 47 / 10.929 + 2.15 = 6.45 %, still prediabetes; 48 is 6.54 %.
        ("38", "mmol/mol", "normal"),
        ("39", "mmol/mol", "prediabetes"),
        ("47", "mmol/mol", "prediabetes"),
        ("48", "mmol/mol", "diabetes"),
    ],
)
def test_hba1c_categories(value, unit, code):
    assert category("hba1c", value, unit) == code


def test_every_hba1c_percent_a_lab_reports_has_adas_category():
    for tenths in range(30, 201):  # 3.0 % to 20.0 %
        percent = D(tenths) / 10
        expected = (
            "normal" if percent < D("5.7") else "prediabetes" if percent < D("6.5") else "diabetes"
        )
        assert category("hba1c", str(percent), "%") == expected, percent


@pytest.mark.parametrize(
    "value, unit, code",
    [
        # Low < 0.75 mmol/L, normal 0.75-1.05, high > 1.05 (to 0.01 mmol/L).
        ("0.74", "mmol/L", "low"),
        ("0.75", "mmol/L", "normal"),
        ("1.05", "mmol/L", "normal"),
        ("1.06", "mmol/L", "high"),
        # mg/dL: 1.81 / 2.431 = 0.7446 -> 0.74; 1.82 / 2.431 = 0.7487 -> 0.75.
        ("1.81", "mg/dL", "low"),
        ("1.82", "mg/dL", "normal"),
        # mEq/L = mmol/L x 2: 1.48 -> 0.74, 1.50 -> 0.75, 2.10 -> 1.05, 2.12 -> 1.06.
        ("1.48", "mEq/L", "low"),
        ("1.50", "mEq/L", "normal"),
        ("2.10", "mEq/L", "normal"),
        ("2.12", "mEq/L", "high"),
    ],
)
def test_serum_magnesium_categories(value, unit, code):
    assert category("magnesium_serum", value, unit) == code
    assert (
        labs.magnesium_category(si("magnesium_serum", value, unit)).label
        == (labs.MAGNESIUM_LABELS[code])
    )


@pytest.mark.parametrize(
    "egfr, stage",
    [
        # KDIGO: G1 >= 90, G2 60-89, G3a 45-59, G3b 30-44, G4 15-29, G5 < 15, read on the
        # whole number a lab reports (half up).
        ("120", "G1"),
        ("90", "G1"),
        ("89.5", "G1"),
        ("89.4", "G2"),
        ("89", "G2"),
        ("60", "G2"),
        ("59.5", "G2"),
        ("59.4", "G3a"),
        ("59", "G3a"),
        ("45", "G3a"),
        ("44.5", "G3a"),
        ("44", "G3b"),
        ("30", "G3b"),
        ("29.5", "G3b"),
        ("29", "G4"),
        ("15", "G4"),
        ("14.5", "G4"),
        ("14", "G5"),
        ("1", "G5"),
    ],
)
def test_kdigo_stages(egfr, stage):
    result = labs.kdigo_stage(D(egfr))
    assert result.code == stage
    assert result.label.startswith(f"{stage}: ")
    assert labs.kdigo_stage(float(egfr)).code == stage
    assert category("egfr", egfr, "mL/min/1.73m2") == stage


@pytest.mark.parametrize(
    "value, unit, code",
    [
        # NCEP ATP III: < 150 normal, 150-199 borderline high, 200-499 high, >= 500 very high.
        ("149", "mg/dL", "normal"),
        ("149.4", "mg/dL", "normal"),
        ("149.5", "mg/dL", "borderline_high"),
        ("150", "mg/dL", "borderline_high"),
        ("199", "mg/dL", "borderline_high"),
        ("200", "mg/dL", "high"),
        ("499", "mg/dL", "high"),
        ("500", "mg/dL", "very_high"),
        # mmol/L: 1.69 x 88.57 = 149.68 -> 150; 1.68 x 88.57 = 148.80 -> 149.
        ("1.68", "mmol/L", "normal"),
        ("1.69", "mmol/L", "borderline_high"),
    ],
)
def test_triglyceride_categories(value, unit, code):
    assert category("triglycerides", value, unit) == code


@pytest.mark.parametrize(
    "value, unit, code",
    [
        # NCEP ATP III: < 40 mg/dL low, >= 60 high.
        ("39", "mg/dL", "low"),
        ("39.5", "mg/dL", "normal"),
        ("40", "mg/dL", "normal"),
        ("59", "mg/dL", "normal"),
        ("60", "mg/dL", "high"),
        # mmol/L: 1.03 x 38.67 = 39.83 -> 40; 1.01 x 38.67 = 39.06 -> 39; 1.55 -> 59.94 -> 60.
        ("1.01", "mmol/L", "low"),
        ("1.03", "mmol/L", "normal"),
        ("1.55", "mmol/L", "high"),
    ],
)
def test_hdl_categories(value, unit, code):
    assert category("hdl_cholesterol", value, unit) == code


@pytest.mark.parametrize("analyte", ["insulin_fasting", "creatinine_serum"])
def test_insulin_and_creatinine_have_no_category_of_their_own(analyte):
    assert labs.result_category(analyte, D(80)) is None


# --- Which glycaemic result speaks ---------------------------------------------------------

NORMAL, PRE, DIAB = (
    labs.Category(code, labs.GLYCAEMIA_LABELS[code]) for code in labs.GLYCAEMIA_ORDER
)


def test_higher_glycaemia_names_the_higher_result_whatever_the_order():
    assert labs.higher_glycaemia() is None
    assert labs.higher_glycaemia(("hba1c", PRE)) == ("hba1c", PRE)
    assert labs.higher_glycaemia(("hba1c", PRE), ("glucose_fasting", NORMAL)) == ("hba1c", PRE)
    assert labs.higher_glycaemia(("glucose_fasting", NORMAL), ("hba1c", PRE)) == ("hba1c", PRE)
    assert labs.higher_glycaemia(("hba1c", NORMAL), ("glucose_fasting", DIAB)) == (
        "glucose_fasting",
        DIAB,
    )
    assert labs.higher_glycaemia(("glucose_fasting", DIAB), ("hba1c", PRE)) == (
        "glucose_fasting",
        DIAB,
    )


def test_higher_glycaemia_on_a_tie_names_the_first():
    for code in (NORMAL, PRE, DIAB):
        assert labs.higher_glycaemia(("hba1c", code), ("glucose_fasting", code)) == ("hba1c", code)
        assert labs.higher_glycaemia(("glucose_fasting", code), ("hba1c", code)) == (
            "glucose_fasting",
            code,
        )


# --- HOMA-IR, worked by hand ----------------------------------------------------------------


@pytest.mark.parametrize(
    "glucose, glucose_unit, insulin, insulin_unit, expected",
    [
        # 5.0 mmol/L x 10 uIU/mL / 22.5 = 50 / 22.5 = 2.222... -> 2.22
        ("5.0", "mmol/L", "10", "uIU/mL", "2.22"),
        # 90 mg/dL = 90 / 18.016 = 4.99556 mmol/L; 54 pmol/L = 54 / 6.0 = 9 uIU/mL;
        # 4.99556 x 9 / 22.5 = 44.960 / 22.5 = 1.998 -> 2.00 (by mg/dL: 90 x 9 / 405 = 2.00)
        ("90", "mg/dL", "54", "pmol/L", "2.00"),
        # 6.3 mmol/L; 150 pmol/L = 25 uIU/mL; 6.3 x 25 / 22.5 = 157.5 / 22.5 = 7.00
        ("6.3", "mmol/L", "150", "pmol/L", "7.00"),
    ],
)
def test_homa_ir_worked_examples(glucose, glucose_unit, insulin, insulin_unit, expected):
    value = labs.homa_ir(
        si("glucose_fasting", glucose, glucose_unit), si("insulin_fasting", insulin, insulin_unit)
    )
    assert value == D(expected)


# --- TyG, worked by hand --------------------------------------------------------------------


@pytest.mark.parametrize(
    "tg, tg_unit, glucose, glucose_unit, expected",
    [
        # ln(150 mg/dL x 100 mg/dL / 2) = ln(7500) = ln(7.5) + ln(1000)
        #   = 2.01490 + 6.90776 = 8.92266 -> 8.92
        ("150", "mg/dL", "100", "mg/dL", "8.92"),
        # 1.0 mmol/L TG = 88.57 mg/dL; 5.0 mmol/L glucose = 90.08 mg/dL;
        # 88.57 x 90.08 / 2 = 3989.19; ln(3989.19) = ln(4000) - ln(4000 / 3989.19)
        #   = 8.29405 - 0.00271 = 8.29134 -> 8.29
        ("1.0", "mmol/L", "5.0", "mmol/L", "8.29"),
    ],
)
def test_tyg_worked_examples(tg, tg_unit, glucose, glucose_unit, expected):
    value = labs.tyg_index(
        si("triglycerides", tg, tg_unit), si("glucose_fasting", glucose, glucose_unit)
    )
    assert value == D(expected)


# --- CKD-EPI 2021, worked by hand -----------------------------------------------------------
# eGFR = 142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age x 1.012 (female)
# female k 0.7, a -0.241; male k 0.9, a -0.302.  0.9938^50 = 0.73274, 0.9938^60 = 0.68856.


@pytest.mark.parametrize(
    "scr_mg_dl, sex, age, expected",
    [
        # Woman, 50, Scr 0.6 < k: (0.6/0.7)^-0.241 = 0.85714^-0.241 = 1.03785;
        # 142 x 1.03785 x 1 x 0.73274 x 1.012 = 109.28 -> 109
        ("0.6", "female", 50, 109),
        # Woman, 50, Scr 1.2 > k: (1.2/0.7)^-1.2 = 1.71429^-1.2 = 0.52372;
        # 142 x 1 x 0.52372 x 0.73274 x 1.012 = 55.15 -> 55
        ("1.2", "female", 50, 55),
        # Man, 60, Scr 0.8 < k: (0.8/0.9)^-0.302 = 0.88889^-0.302 = 1.03621;
        # 142 x 1.03621 x 1 x 0.68856 = 101.32 -> 101
        ("0.8", "male", 60, 101),
        # Man, 60, Scr 1.5 > k: (1.5/0.9)^-1.2 = 1.66667^-1.2 = 0.54173;
        # 142 x 1 x 0.54173 x 0.68856 = 52.97 -> 53
        ("1.5", "male", 60, 53),
        # At the knee itself both powers are 1: woman 30, Scr 0.7:
        # 142 x 0.9938^30 x 1.012 = 142 x 0.82979 x 1.012 = 119.24 -> 119
        ("0.7", "female", 30, 119),
    ],
)
def test_ckd_epi_2021_worked_examples(scr_mg_dl, sex, age, expected):
    creatinine = si("creatinine_serum", scr_mg_dl, "mg/dL")
    assert labs.ckd_epi_2021(creatinine, sex=sex, age=age) == D(expected)
    # The same person on their birthday, through ckd_epi_for.
    born = date(2026 - age, 3, 15)
    assert labs.ckd_epi_for(creatinine, sex=sex, born=born, on=date(2026, 3, 15)) == D(expected)


def test_ckd_epi_for_is_none_under_18_or_without_sex_or_birth_date():
    creatinine = si("creatinine_serum", "0.8", "mg/dL")
    born = date(2008, 3, 15)
    # 18 on 2026-03-15; the day before, 17.
    assert labs.ckd_epi_for(creatinine, sex="female", born=born, on=date(2026, 3, 14)) is None
    assert labs.ckd_epi_for(creatinine, sex="female", born=born, on=date(2026, 3, 15)) is not None
    assert (
        labs.ckd_epi_for(creatinine, sex="male", born=date(2015, 1, 1), on=date(2026, 1, 1)) is None
    )
    for sex in ("", None, "other", "unspecified"):
        assert (
            labs.ckd_epi_for(creatinine, sex=sex, born=date(1970, 1, 1), on=date(2026, 1, 1))
            is None
        )
    assert labs.ckd_epi_for(creatinine, sex="male", born=None, on=date(2026, 1, 1)) is None


def test_ckd_epi_2021_refuses_a_child_or_an_unknown_sex():
    with pytest.raises(ValueError):
        labs.ckd_epi_2021(D(70), sex="female", age=17)
    with pytest.raises(ValueError):
        labs.ckd_epi_2021(D(70), sex="", age=40)


def test_egfr_is_rounded_half_up():
    assert labs.egfr_rounded(D("59.5")) == 60
    assert labs.egfr_rounded(59.49) == 59
    assert labs.egfr_rounded(D("14.5")) == 15
