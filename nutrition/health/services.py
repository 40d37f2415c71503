"""Writes to the health record. Every rule about what may be stored lives here: the forms and
the API check shapes only, so a bad value is refused the same way everywhere."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from mgsite.dates import in_range, local_today
from nutrition import labs
from nutrition.health.models import LabResult, Source
from nutrition.health.selectors import person_facts

NOTE_MAX = 200
FUTURE_DAY = "A result cannot be dated in the future."


def _checked(
    *, user: User, analyte: Any, value: Any, unit: Any, taken_on: Any, note: Any
) -> dict[str, Any]:
    """The fields to store, or ValidationError naming each bad one. Nothing is saved here."""
    errors: dict[str, list[str]] = {}
    info = labs.ANALYTES.get(analyte) if isinstance(analyte, str) else None
    if info is None:
        errors["analyte"] = [f"Choose one of: {', '.join(labs.ANALYTES)}."]
    unit_info = info.unit(unit) if info and isinstance(unit, str) else None
    if info is not None and unit_info is None:
        errors["unit"] = [f"{info.name} is given in {', '.join(u.code for u in info.units)}."]
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        number = None
        errors["value"] = ["Enter a number."]
    if number is not None and number <= 0:
        errors["value"] = ["Enter a value above zero."]
        number = None
    value_si = None
    if number is not None and unit_info is not None:
        try:
            number = number.quantize(Decimal(1).scaleb(-labs.VALUE_PLACES), rounding=ROUND_HALF_UP)
            value_si = labs.to_si(info, number, unit)
            labs.check_bounds(info, value_si)
        except labs.BoundsError as exc:
            errors["value"] = [str(exc)]
        except InvalidOperation:
            errors["value"] = ["Enter a smaller number."]
    if not isinstance(taken_on, date) or not in_range(taken_on):
        errors["taken_on"] = ["Enter the date the sample was taken, as YYYY-MM-DD."]
    elif taken_on > local_today(person_facts(user=user).timezone_name):
        errors["taken_on"] = [FUTURE_DAY]
    note = note or ""
    if not isinstance(note, str) or len(note) > NOTE_MAX or "\x00" in note:
        errors["note"] = [f"Keep the note to {NOTE_MAX} characters of text."]
    if errors:
        raise ValidationError(errors)
    return {
        "analyte": analyte,
        "value": number,
        "unit": unit,
        "value_si": value_si,
        "taken_on": taken_on,
        "note": note.strip(),
    }


def lab_result_check(
    *, user: User, analyte: str, value: Decimal | str, unit: str, taken_on: date, note: str = ""
) -> None:
    """ValidationError naming each field `lab_result_create` would refuse; saves nothing (an
    import's preview says which of its readings the record will not take, and why)."""
    _checked(user=user, analyte=analyte, value=value, unit=unit, taken_on=taken_on, note=note)


@transaction.atomic
def lab_result_create(
    *,
    user: User,
    analyte: str,
    value: Decimal | str,
    unit: str,
    taken_on: date,
    note: str = "",
    source: str = Source.SELF,
    entered_by: User | None = None,
) -> LabResult:
    fields = _checked(
        user=user, analyte=analyte, value=value, unit=unit, taken_on=taken_on, note=note
    )
    return LabResult.objects.create(user=user, source=source, entered_by=entered_by, **fields)


@transaction.atomic
def lab_result_update(*, user: User, result: LabResult, **changes: Any) -> LabResult:
    """Change some fields of one of `user`'s results; the rest stay as they were."""
    if result.user_id != user.pk:
        raise LabResult.DoesNotExist
    current = {
        "analyte": result.analyte,
        "value": result.value,
        "unit": result.unit,
        "taken_on": result.taken_on,
        "note": result.note,
    }
    current.update({key: value for key, value in changes.items() if key in current})
    if "analyte" in changes and "unit" not in changes and changes["analyte"] != result.analyte:
        current["unit"] = None  # a new analyte needs its own unit
    fields = _checked(user=user, **current)
    for name, value in fields.items():
        setattr(result, name, value)
    result.save()
    return result


def lab_result_delete(*, user: User, result: LabResult) -> None:
    if result.user_id != user.pk:
        raise LabResult.DoesNotExist
    result.delete()
