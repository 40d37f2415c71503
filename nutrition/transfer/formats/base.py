"""What every reader of another tracker's export returns: plain data, no Django.

The importer (nutrition.transfer.services) turns these into diary entries and lab results
through the diary's and the health record's services; the readers only read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The formats the contract names (`format` of POST /api/v1/me/imports/).
CRONOMETER_SERVINGS = "cronometer-servings"
CRONOMETER_BIOMETRICS = "cronometer-biometrics"
MACROFACTOR = "macrofactor"
MYFITNESSPAL = "myfitnesspal"
FORMATS = (CRONOMETER_SERVINGS, CRONOMETER_BIOMETRICS, MACROFACTOR, MYFITNESSPAL)
LABELS = {
    CRONOMETER_SERVINGS: "Cronometer (servings)",
    CRONOMETER_BIOMETRICS: "Cronometer (biometrics)",
    MACROFACTOR: "MacroFactor",
    MYFITNESSPAL: "MyFitnessPal",
}


class ImportFileError(ValueError):
    """The file cannot be read; `line` is the 1-based line of the file (the header is 1)."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class FoodLine:
    """One food the person logged, as the file gives it."""

    line: int  # 1-based line in the file
    day: date
    group: str  # the meal or group as written ("Breakfast", "Uncategorized", "" when none)
    name: str  # the food's name as written
    amount_text: str  # the amount as written: "80.00 g", "1 cup", "2 x 30 g"
    grams: Decimal | None  # when the amount (or the file) gives a weight, else None
    magnesium_mg: Decimal | None  # the file's own figure when it has a magnesium column
    energy_kcal: Decimal | None = None


@dataclass(frozen=True)
class BiometricLine:
    """One measurement from a biometrics export."""

    line: int
    day: date
    metric: str  # as written: "Blood Glucose", "Weight", "HbA1c"
    value: Decimal
    unit: str  # as written: "mg/dL", "mmol/L", "%", "kg"
    # The health record's analyte (nutrition.labs codes: "glucose_fasting", "hba1c", …) when the
    # measurement is a lab result the record holds, else None (weight, steps: skipped).
    analyte: str | None
    # The health record's code for the unit (a code of the analyte's units in nutrition.labs,
    # "mg/dL", "mmol/L", "%", …) when `analyte` is set; the unit as written may be spelt
    # otherwise ("mg/dl", "µmol/L", "mIU/L").
    unit_code: str | None = None


@dataclass
class ParsedFile:
    format: str  # one of FORMATS
    foods: list[FoodLine] = field(default_factory=list)
    biometrics: list[BiometricLine] = field(default_factory=list)
    rows: int = 0  # data lines read (not counting the header and blank lines)
    # Said to the person in the preview: "MyFitnessPal's nutrition export has no magnesium
    # and no food names, so nothing can be imported as magnesium."
    notes: list[str] = field(default_factory=list)
    # Lines read but not imported, with why: [(line, "a summary row"), …]
    skipped: list[tuple[int, str]] = field(default_factory=list)
