"""Cronometer's exports (on the web: More › Account, export data): the "Servings" export
("Food & Recipe Entries", the file `servings.csv`) and the "Biometrics" export
(`biometrics.csv`).

Servings — one row per food logged, every nutrient as eaten (not per 100 g):

    Day,Time,Group,Food Name,Amount,Energy (kcal),Alcohol (g),Caffeine (mg),Water (g),
    B1 (Thiamine) (mg),…,Calcium (mg),Copper (mg),Iron (mg),Magnesium (mg),Manganese (mg),
    …,Protein (g),Threonine (g),Tryptophan (g),Tyrosine (g),Valine (g),Category
    2026-03-13,08:14 AM,Breakfast,"Oats, Rolled, Dry",80.00 g,311.00,…,138.00,…,"Cereal Grains"
    2026-03-13,,Uncategorized,French Fries,150.00 g,293.24,…,,…,"Vegetables"

What varies with the person's account and settings, all read by column name:
- "Time" exists only where time stamps are on (often blank: recipes have none); "Group" is
  the diary group ("Breakfast", …, or "Uncategorized" for entries outside a group — older
  exports have no Group at all); "Category" (the food's category) is last, when present.
- Only the nutrients the person tracks are columns, so "Magnesium (mg)" may be missing;
  a blank cell is a food with no value for it (unknown, not zero).
- "Energy (kcal)" or, with kilojoules chosen, "Energy (kJ)".
- "Amount" is the quantity and the serving as the diary shows them: "80.00 g", "1.00 cup",
  "1.00 full recipe", "2.00 large"; a weight is read from it (see `_amounts`).
Required: Day, Food Name, Amount. Magnesium is kept exactly as written ("138.00" stays
Decimal("138.00")): it is the file's own figure for what was eaten.

Biometrics — one row per measurement, long format:

    Day,Time,Group,Metric,Unit,Amount
    2026-02-01,07:10 AM,Uncategorized,Weight,kg,83.52
    2026-02-01,,Uncategorized,Blood Glucose,mg/dL,97
    2026-02-01,,Uncategorized,Blood Pressure,mmHg,120/80
    2026-02-01,,Uncategorized,Weight (Garmin),kg,83.524

"Time" and "Group" are missing from older exports (Day,Metric,Unit,Amount). Required: Day,
Metric, Unit, Amount. Metrics synced from a device carry it in parentheses ("Weight
(Garmin)", "Blood Glucose (Dexcom)").

Which metrics are lab results (`LAB_METRICS`): the health record's analytes under the names
Cronometer and people give them. "Blood Glucose" becomes *fasting* glucose, the only glucose
the record holds: Cronometer does not say when a reading was taken, so the preview says the
readings are taken as fasting ones (a note) and the person checks them. A lab metric read
from a device ("Blood Glucose (Dexcom)", a continuous monitor's stream) is not a lab result:
it is returned without an analyte, like weight or steps, and counted in a note. A lab metric
in a unit the record does not take is skipped with its reason. Other metrics (weight, body
fat, blood pressure "120/80", sleep, …) are returned with analyte None when their value is a
number, skipped with their reason when not.

Days are ISO (YYYY-MM-DD) as Cronometer writes them; a file saved again by a spreadsheet may
have 12/14/2017 (read as `_table.Days` says). Sources: the column names public readers of real
exports use (gocronometer's servings parser names Cronometer's nutrient columns one by one)
and the sample exports in public test suites.
"""

from __future__ import annotations

import re
from decimal import Decimal

from nutrition import labs

from . import _table
from ._amounts import grams_in
from .base import (
    CRONOMETER_BIOMETRICS,
    CRONOMETER_SERVINGS,
    BiometricLine,
    FoodLine,
    ImportFileError,
    ParsedFile,
)

# --- Servings -----------------------------------------------------------------------------
DAY = "Day"
GROUP = "Group"
FOOD_NAME = "Food Name"
AMOUNT = "Amount"
ENERGY_KCAL = "Energy (kcal)"
ENERGY_KJ = "Energy (kJ)"
MAGNESIUM = "Magnesium (mg)"
SERVINGS_REQUIRED = (DAY, FOOD_NAME, AMOUNT)
SERVINGS_COLUMNS = (DAY, GROUP, FOOD_NAME, AMOUNT, ENERGY_KCAL, ENERGY_KJ, MAGNESIUM)
# A kilocalorie is 4.184 kJ (the thermochemical calorie, as food labels use).
KJ_PER_KCAL = Decimal("4.184")

NO_MAGNESIUM_COLUMN = (
    "This Cronometer export has no magnesium column (Cronometer leaves out the nutrients "
    "you don't track), so each food is matched by name and its magnesium estimated."
)


def parse_servings(table: _table.Table) -> ParsedFile:
    parsed = ParsedFile(format=CRONOMETER_SERVINGS)
    day_i = table.column(DAY)
    name_i = table.column(FOOD_NAME)
    amount_i = table.column(AMOUNT)
    group_i = table.column(GROUP)
    magnesium_i = table.column(MAGNESIUM)
    kcal_i = table.column(ENERGY_KCAL)
    kj_i = table.column(ENERGY_KJ)
    if magnesium_i is None:
        parsed.notes.append(NO_MAGNESIUM_COLUMN)
    days = _table.Days(table.rows, day_i, DAY)
    for row in table.rows:
        parsed.rows += 1
        if _table.is_summary(row.cells[day_i], row.cell(group_i)):
            parsed.skipped.append((row.line, _table.SUMMARY_REASON))
            continue
        day = days.read(row.cells[day_i], line=row.line)
        name = row.cells[name_i].strip()
        if not name:
            parsed.skipped.append((row.line, "no food name"))
            continue
        amount_text = row.cells[amount_i].strip()
        magnesium = _table.not_negative(
            _table.number(row.cell(magnesium_i), line=row.line, column=MAGNESIUM),
            line=row.line,
            column=MAGNESIUM,
        )
        if kcal_i is not None:
            energy = _table.number(row.cells[kcal_i], line=row.line, column=ENERGY_KCAL)
        elif kj_i is not None:
            kj = _table.number(row.cells[kj_i], line=row.line, column=ENERGY_KJ)
            energy = None if kj is None else kj / KJ_PER_KCAL
        else:
            energy = None
        parsed.foods.append(
            FoodLine(
                line=row.line,
                day=day,
                group=row.cell(group_i),
                name=name,
                amount_text=amount_text,
                grams=grams_in(amount_text),
                magnesium_mg=magnesium,
                energy_kcal=energy,
            )
        )
    return parsed


# --- Biometrics ---------------------------------------------------------------------------
METRIC = "Metric"
UNIT = "Unit"
BIOMETRICS_REQUIRED = (DAY, METRIC, UNIT, AMOUNT)
BIOMETRICS_COLUMNS = (DAY, GROUP, METRIC, UNIT, AMOUNT)

# Metric names (compared without case) that are the health record's analytes.
LAB_METRICS: dict[str, str] = {
    "blood glucose": "glucose_fasting",
    "glucose": "glucose_fasting",
    "fasting glucose": "glucose_fasting",
    "fasting blood glucose": "glucose_fasting",
    "hba1c": "hba1c",
    "a1c": "hba1c",
    "hemoglobin a1c": "hba1c",
    "haemoglobin a1c": "hba1c",
    "insulin": "insulin_fasting",
    "fasting insulin": "insulin_fasting",
    "magnesium": "magnesium_serum",
    "serum magnesium": "magnesium_serum",
    "creatinine": "creatinine_serum",
    "serum creatinine": "creatinine_serum",
    "egfr": "egfr",
    "triglycerides": "triglycerides",
    "hdl": "hdl_cholesterol",
    "hdl cholesterol": "hdl_cholesterol",
    "cholesterol (hdl)": "hdl_cholesterol",
}
# Units as written (compared without case, spaces or the micro sign's spelling) → the record's
# unit code. mIU/L and µIU/mL are the same quantity (1 mIU/L = 1 µIU/mL); mU/L is insulin's
# older spelling of mIU/L.
_UNIT_ALIASES = {
    "miu/l": "uiu/ml",
    "mu/l": "uiu/ml",
    "uu/ml": "uiu/ml",
    "ml/min/1.73m²": "ml/min/1.73m2",
}
_DEVICE = re.compile(r"(.+?)\s*\((.+)\)")

FASTING_GLUCOSE_NOTE = (
    "Blood glucose readings are imported as fasting glucose, the one the health record "
    "keeps: Cronometer doesn't say when a reading was taken, so check that these were "
    "taken before eating."
)


def _unit_key(unit: str) -> str:
    text = unit.replace("µ", "u").replace("μ", "u").replace(" ", "").casefold()
    return _UNIT_ALIASES.get(text, text)


def record_unit(analyte_code: str, unit: str) -> str | None:
    """The health record's code for `unit` of an analyte, None when the record takes no such
    unit for it."""
    wanted = _unit_key(unit)
    for accepted in labs.ANALYTES[analyte_code].units:
        if _unit_key(accepted.code) == wanted:
            return accepted.code
    return None


def lab_analyte(metric: str) -> tuple[str | None, str | None]:
    """(analyte, device): the analyte a metric is, and the device when a lab metric was synced
    from one ("Blood Glucose (Dexcom)" → (None, "Dexcom"))."""
    name = _table.key(metric)
    if name in LAB_METRICS:
        return LAB_METRICS[name], None
    if (match := _DEVICE.fullmatch(name)) and match[1] in LAB_METRICS:
        return None, match[2]
    return None, None


def parse_biometrics(table: _table.Table) -> ParsedFile:
    parsed = ParsedFile(format=CRONOMETER_BIOMETRICS)
    day_i = table.column(DAY)
    metric_i = table.column(METRIC)
    unit_i = table.column(UNIT)
    amount_i = table.column(AMOUNT)
    group_i = table.column(GROUP)
    days = _table.Days(table.rows, day_i, DAY)
    device_readings = 0
    glucose = False
    for row in table.rows:
        parsed.rows += 1
        metric = row.cells[metric_i].strip()
        if _table.is_summary(row.cells[day_i], row.cell(group_i)):
            parsed.skipped.append((row.line, _table.SUMMARY_REASON))
            continue
        day = days.read(row.cells[day_i], line=row.line)
        unit = row.cells[unit_i].strip()
        amount = row.cells[amount_i].strip()
        if not metric:
            parsed.skipped.append((row.line, "no metric named"))
            continue
        analyte, device = lab_analyte(metric)
        if analyte is None:
            try:
                value = _table.number(amount, line=row.line, column=AMOUNT)
            except ImportFileError:
                value = None
            if value is None:
                shown = f"{amount} {unit}".strip() or "no value"
                parsed.skipped.append((row.line, f"{metric}: {shown} is not a single number"))
                continue
            if device:
                device_readings += 1
            parsed.biometrics.append(BiometricLine(row.line, day, metric, value, unit, None))
            continue
        value = _table.number(amount, line=row.line, column=AMOUNT)
        if value is None:
            raise ImportFileError(f'"{AMOUNT}" is empty for {metric}.', line=row.line)
        code = record_unit(analyte, unit)
        if code is None:
            accepted = ", ".join(u.label for u in labs.ANALYTES[analyte].units)
            parsed.skipped.append(
                (
                    row.line,
                    f'{metric} in "{unit}", a unit the health record does not take '
                    f"(it takes {accepted})",
                )
            )
            continue
        glucose = glucose or analyte == "glucose_fasting"
        parsed.biometrics.append(
            BiometricLine(row.line, day, metric, value, unit, analyte, unit_code=code)
        )
    if glucose:
        parsed.notes.append(FASTING_GLUCOSE_NOTE)
    if device_readings:
        readings = "reading" if device_readings == 1 else "readings"
        verb = "is not a lab result" if device_readings == 1 else "are not lab results"
        parsed.notes.append(
            f"{device_readings} {readings} synced from a device (such as a continuous glucose "
            f"monitor) {verb}, so they are not added to the health record."
        )
    return parsed
