"""A person's record as a FHIR R5 Bundle (type "collection"), built from plain values.

No queries here: `nutrition.transfer.api` reads the person, their lab results and their days,
and this module turns them into the JSON a FHIR client reads:

- one Patient: gender and birth date; a name and e-mail only when asked for;
- one Observation per lab result (LOINC code, UCUM valueQuantity, the day it was taken); a
  value in a unit that does not fit its LOINC code's property is sent converted (insulin in
  pmol/L as µIU/mL under 20448-7 "units/volume", magnesium in mEq/L as mmol/L under 2601-3
  "moles/volume");
- one NutritionIntake per logged day: what carried the magnesium (food, dietary supplements)
  as `consumedItem`, and the magnesium of each in mg as `ingredientLabel` (R5 has no total
  element; the labels add up to the day's total, as the diary shows it).

Every entry's fullUrl is a urn:uuid derived from the row (uuid5), so exporting the same
record again gives the same ids and references.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from nutrition import labs

# Fixed for the site: ids must not change between exports (so not derived from a secret).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://mgsite.app/fhir")

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# LOINC long common names of the codes in `labs.ANALYTES` (loinc.org).
LOINC_DISPLAY = {
    "14771-0": "Fasting glucose [Moles/volume] in Serum or Plasma",
    "1558-6": "Fasting glucose [Mass/volume] in Serum or Plasma",
    "59261-8": "Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol",
    "4548-4": "Hemoglobin A1c/Hemoglobin.total in Blood",
    "20448-7": "Insulin [Units/volume] in Serum or Plasma",
    "2601-3": "Magnesium [Moles/volume] in Serum or Plasma",
    "19123-9": "Magnesium [Mass/volume] in Serum or Plasma",
    "14682-9": "Creatinine [Moles/volume] in Serum or Plasma",
    "2160-0": "Creatinine [Mass/volume] in Serum or Plasma",
    "98979-8": "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, "
    "Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)",
    "14927-8": "Triglyceride [Moles/volume] in Serum or Plasma",
    "2571-8": "Triglyceride [Mass/volume] in Serum or Plasma",
    "14646-4": "Cholesterol in HDL [Moles/volume] in Serum or Plasma",
    "2085-9": "Cholesterol in HDL [Mass/volume] in Serum or Plasma",
}

# (analyte, unit entered) -> the unit it is sent in: the unit that fits the LOINC code's
# property (20448-7 is units/volume, 2601-3 moles/volume).
SENT_AS = {
    ("insulin_fasting", "pmol/L"): "uIU/mL",
    ("magnesium_serum", "mEq/L"): "mmol/L",
}

GENDERS = {"female": "female", "male": "male"}  # anything else: "unknown"

FOOD = "food"
SUPPLEMENTS = "supplements"
CONSUMED = {
    FOOD: ("food", "Foods logged in the diary", "Magnesium from food"),
    SUPPLEMENTS: (
        "dietary supplement",
        "Magnesium supplements logged in the diary",
        "Magnesium from dietary supplements",
    ),
}


@dataclass(frozen=True)
class PatientFacts:
    pk: int
    sex: str  # "female", "male" or "" (not said)
    birth_date: date | None
    # Only when the identity is asked for; None leaves it out.
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class LabValue:
    pk: int
    analyte: str
    value: Decimal  # as entered, in `unit`
    unit: str
    value_si: Decimal
    taken_on: date
    note: str = ""


@dataclass(frozen=True)
class DayMagnesium:
    day: date
    food_mg: Decimal  # as the diary shows it (0.1 mg)
    supplement_mg: Decimal


def urn(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}/{key}')}"


def number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: whole numbers without a fraction."""
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def sent_value(result: LabValue) -> tuple[Decimal, labs.Unit]:
    """The value and unit an Observation carries: as entered, or converted (`SENT_AS`) and
    rounded as a laboratory reports that unit."""
    analyte = labs.ANALYTES[result.analyte]
    target = SENT_AS.get((result.analyte, result.unit))
    if target is None:
        unit = analyte.unit(result.unit) or analyte.si
        return result.value, unit
    return labs.reported(analyte, result.value_si, target), analyte.unit(target)


def patient(facts: PatientFacts) -> dict:
    resource: dict = {"resourceType": "Patient", "gender": GENDERS.get(facts.sex, "unknown")}
    if facts.birth_date is not None:
        resource["birthDate"] = facts.birth_date.isoformat()
    if facts.name:
        resource["name"] = [{"text": facts.name}]
    if facts.email:
        resource["telecom"] = [{"system": "email", "value": facts.email}]
    return resource


def observation(result: LabValue, subject: str) -> dict:
    analyte = labs.ANALYTES[result.analyte]
    value, unit = sent_value(result)
    resource: dict = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {"system": OBSERVATION_CATEGORY, "code": "laboratory", "display": "Laboratory"}
                ]
            }
        ],
        "code": {
            "coding": [{"system": LOINC, "code": unit.loinc, "display": LOINC_DISPLAY[unit.loinc]}],
            "text": analyte.name,
        },
        "subject": {"reference": subject},
        "effectiveDateTime": result.taken_on.isoformat(),
        "valueQuantity": {
            "value": number(value),
            "unit": unit.label,
            "system": UCUM,
            "code": unit.ucum,
        },
    }
    if result.note:
        resource["note"] = [{"text": result.note}]
    return resource


def _mg(value: Decimal) -> dict:
    return {"value": number(value), "unit": "mg", "system": UCUM, "code": "mg"}


def nutrition_intake(day: DayMagnesium, subject: str) -> dict:
    """The day's magnesium by source. A source is listed when it carried magnesium; a day of
    food without any (water, say) still lists its food, as consumedItem needs one item."""
    amounts = {FOOD: day.food_mg, SUPPLEMENTS: day.supplement_mg}
    sources = [key for key, mg in amounts.items() if mg > 0] or [FOOD]
    return {
        "resourceType": "NutritionIntake",
        "status": "completed",
        "subject": {"reference": subject},
        "occurrenceDateTime": day.day.isoformat(),
        "consumedItem": [
            {
                "id": key,
                "type": {"text": CONSUMED[key][0]},
                "nutritionProduct": {"concept": {"text": CONSUMED[key][1]}},
            }
            for key in sources
        ],
        "ingredientLabel": [
            {
                "id": f"magnesium-{key}",
                "nutrient": {"concept": {"text": CONSUMED[key][2]}},
                "amount": _mg(amounts[key]),
            }
            for key in sources
        ],
    }


def bundle(
    *,
    person: PatientFacts,
    results: Iterable[LabValue],
    days: Iterable[DayMagnesium],
    timestamp: datetime,
) -> dict:
    """The record as a Bundle of type "collection"; results and days oldest first."""
    subject = urn("Patient", person.pk)
    entries = [{"fullUrl": subject, "resource": patient(person)}]
    for result in sorted(results, key=lambda r: (r.taken_on, r.pk)):
        entries.append(
            {"fullUrl": urn("Observation", result.pk), "resource": observation(result, subject)}
        )
    for day in sorted(days, key=lambda d: d.day):
        entries.append(
            {
                "fullUrl": urn("NutritionIntake", f"{person.pk}/{day.day.isoformat()}"),
                "resource": nutrition_intake(day, subject),
            }
        )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timestamp.isoformat(timespec="seconds"),
        "entry": entries,
    }
