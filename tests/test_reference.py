"""The reference tables, row by row, and the functions over them."""

from datetime import date
from decimal import Decimal

import pytest

from nutrition import reference as ref

# Every cell of the RDA table in DOMAIN.md: (age in years, male, female, pregnant, lactating).
RDA_ROWS = [
    (1, 80, 80, None, None),
    (3, 80, 80, None, None),
    (4, 130, 130, None, None),
    (8, 130, 130, None, None),
    (9, 240, 240, None, None),
    (13, 240, 240, None, None),
    (14, 410, 360, 400, 360),
    (18, 410, 360, 400, 360),
    (19, 400, 310, 350, 310),
    (30, 400, 310, 350, 310),
    (31, 420, 320, 360, 320),
    (50, 420, 320, 360, 320),
    (51, 420, 320, None, None),
    (90, 420, 320, None, None),
]


@pytest.mark.parametrize(("age", "male", "female", "pregnant", "lactating"), RDA_ROWS)
def test_rda_table_row(age, male, female, pregnant, lactating):
    assert ref.magnesium_rda_mg("male", age) == male
    assert ref.magnesium_rda_mg("female", age) == female
    if pregnant is not None:
        assert ref.magnesium_rda_mg("female", age, life_stage="pregnant") == pregnant
        assert ref.magnesium_rda_mg("female", age, life_stage="lactating") == lactating


@pytest.mark.parametrize(("months", "ai"), [(0, 30), (3, 30), (6, 30), (7, 75), (11, 75)])
@pytest.mark.parametrize("sex", ["female", "male"])
def test_infant_adequate_intake_by_months(sex, months, ai):
    assert ref.magnesium_rda_mg(sex, 0, months) == ai


def test_infant_needs_months():
    with pytest.raises(ref.MissingAge):
        ref.magnesium_rda_mg("female", 0)


def test_life_stage_outside_the_table():
    # A mother younger than 14 takes the 14–18 value; from 51 the life stage stops counting.
    assert ref.magnesium_rda_mg("female", 13, life_stage="pregnant") == 400
    assert ref.magnesium_rda_mg("female", 51, life_stage="pregnant") == 320
    # A life stage never changes a man's value.
    assert ref.magnesium_rda_mg("male", 30, life_stage="pregnant") == 400


@pytest.mark.parametrize("bad", [("female", -1), ("unknown", 30), ("", 30)])
def test_rda_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        ref.magnesium_rda_mg(*bad)


@pytest.mark.parametrize(
    ("age", "ul"),
    [(0, None), (1, 65), (3, 65), (4, 110), (8, 110), (9, 350), (18, 350), (50, 350), (99, 350)],
)
def test_supplement_ul_row(age, ul):
    assert ref.supplement_ul_mg(age) == ul


@pytest.mark.parametrize(
    ("age", "stage", "dv"),
    [
        (0, "none", None),
        (1, "none", 80),
        (3, "none", 80),
        (4, "none", 420),
        (40, "none", 420),
        (None, "none", 420),
        (30, "pregnant", 400),
        (30, "lactating", 400),
    ],
)
def test_daily_value(age, stage, dv):
    assert ref.daily_value_mg(age, stage) == dv


# Every row of the elemental table: (form, percent).
ELEMENTAL_ROWS = [
    ("oxide", "60.3"),
    ("hydroxide", "41.7"),
    ("carbonate", "28.8"),
    ("citrate", "16.2"),
    ("malate", "15.5"),
    ("glycinate", "14.1"),
    ("chloride", "12.0"),
    ("lactate", "12.0"),
    ("sulfate", "9.9"),
    ("taurate", "8.9"),
    ("aspartate", "8.4"),
    ("threonate", "8.3"),
    ("orotate", "7.3"),
    ("gluconate", "5.9"),
]


@pytest.mark.parametrize(("form", "percent"), ELEMENTAL_ROWS)
def test_elemental_row(form, percent):
    assert ref.elemental_fraction(form) == Decimal(percent) / 100
    assert ref.elemental_mg(form, 1000) == Decimal(percent) * 10


def test_every_contract_form_is_known():
    forms = {form for form, _ in ref.SUPPLEMENT_FORMS}
    assert forms == {row[0] for row in ELEMENTAL_ROWS} | {"other"}


@pytest.mark.parametrize(
    ("form", "compound", "elemental"),
    [
        ("citrate", 500, Decimal("81.0")),
        ("oxide", 400, Decimal("241.2")),
        ("glycinate", "1000", Decimal("141.0")),
        ("sulfate", Decimal("250"), Decimal("24.8")),
        ("citrate", 0, Decimal("0.0")),
    ],
)
def test_elemental_mg_worked_examples(form, compound, elemental):
    assert ref.elemental_mg(form, compound) == elemental


def test_elemental_percent_agrees_with_the_formula():
    # Spot-check the table against n × 24.305 / molar mass for the simple salts.
    molar_mass = {"oxide": "40.304", "hydroxide": "58.319", "carbonate": "84.313"}
    for form, mass in molar_mass.items():
        computed = ref.MG_ATOMIC_MASS / Decimal(mass) * 100
        assert abs(computed - ref.ELEMENTAL_PERCENT[form][0]) < Decimal("0.1")


def test_elemental_mg_refuses_other_and_negatives():
    with pytest.raises(ValueError):
        ref.elemental_mg("other", 500)
    with pytest.raises(ValueError):
        ref.elemental_mg("citrate", -1)


@pytest.mark.parametrize(
    ("born", "on", "years"),
    [
        (date(1990, 6, 15), date(2026, 6, 14), 35),
        (date(1990, 6, 15), date(2026, 6, 15), 36),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
    ],
)
def test_age_changes_on_the_birthday(born, on, years):
    assert ref.age_in_years(born, on) == years


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (date(2026, 1, 15), date(2026, 1, 15), 0),
        (date(2026, 1, 15), date(2026, 7, 14), 5),
        (date(2026, 1, 15), date(2026, 7, 15), 6),
        (date(2026, 1, 15), date(2026, 8, 15), 7),
        (date(2025, 1, 31), date(2025, 12, 30), 10),
    ],
)
def test_age_in_months(born, on, months):
    assert ref.age_in_months(born, on) == months


def test_reference_values_change_on_the_birthday():
    born = date(1976, 3, 10)  # turns 50 then 51
    before = ref.reference_values(
        sex="female", birth_date=born, life_stage="none", on=date(2026, 3, 9)
    )
    on_day = ref.reference_values(
        sex="female", birth_date=born, life_stage="none", on=date(2026, 3, 10)
    )
    assert (before.rda_mg, on_day.rda_mg) == (320, 320)
    young = date(2008, 5, 1)  # 18 then 19: 360 -> 310
    assert (
        ref.reference_values(
            sex="female", birth_date=young, life_stage="none", on=date(2027, 4, 30)
        ).rda_mg
        == 360
    )
    assert (
        ref.reference_values(
            sex="female", birth_date=young, life_stage="none", on=date(2027, 5, 1)
        ).rda_mg
        == 310
    )


def test_reference_values_for_a_woman_of_35():
    values = ref.reference_values(
        sex="female", birth_date=date(1990, 6, 15), life_stage="none", on=date(2026, 1, 10)
    )
    assert (values.rda_mg, values.supplement_ul_mg) == (320, 350)
    assert "female aged 35" in values.basis


def test_reference_values_for_infants_use_months():
    born = date(2026, 1, 15)
    six = ref.reference_values(sex="male", birth_date=born, life_stage="none", on=date(2026, 8, 14))
    seven = ref.reference_values(
        sex="male", birth_date=born, life_stage="none", on=date(2026, 8, 15)
    )
    assert (six.rda_mg, seven.rda_mg) == (30, 75)
    assert six.supplement_ul_mg is None
    assert "Adequate Intake" in six.basis


def test_reference_values_without_a_full_profile():
    unknown = ref.reference_values(sex="", birth_date=None, life_stage="none", on=date(2026, 1, 1))
    assert unknown.rda_mg == 420 and unknown.supplement_ul_mg == 350
    assert "Daily Value" in unknown.basis
    # Children's values do not depend on sex, so the sex is not needed.
    child = ref.reference_values(
        sex="", birth_date=date(2020, 1, 1), life_stage="none", on=date(2026, 1, 1)
    )
    assert child.rda_mg == 130 and child.supplement_ul_mg == 110
    adult = ref.reference_values(
        sex="", birth_date=date(1980, 1, 1), life_stage="none", on=date(2026, 1, 1)
    )
    assert adult.rda_mg == 420 and adult.supplement_ul_mg == 350


def test_pregnancy_basis_is_named():
    values = ref.reference_values(
        sex="female", birth_date=date(1996, 1, 1), life_stage="pregnant", on=date(2026, 1, 1)
    )
    assert values.rda_mg == 350 and "pregnant" in values.basis
