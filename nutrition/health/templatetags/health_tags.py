"""Number formatting for the health record pages."""

from decimal import Decimal

from django import template

from nutrition import labs
from nutrition.health.models import LabResult

register = template.Library()


@register.filter
def plain(value: Decimal | float | int | None) -> str:
    """A number without trailing zeros: 5.5000 -> 5.5, 100.0000 -> 100."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def unit_label(result: LabResult) -> str:
    """The unit of a result as a person reads it (µmol/L, not umol/L)."""
    unit = result.analyte_info.unit(result.unit)
    return unit.label if unit else result.unit


@register.filter
def si_text(result: LabResult) -> str:
    """The value in the SI unit, as a laboratory would report it; empty when entered in SI."""
    analyte = result.analyte_info
    if result.unit == analyte.si.code:
        return ""
    value = labs.reported(analyte, result.value_si, analyte.si.code)
    return f"{value} {analyte.si.label}"


@register.filter
def analyte_name(code: str) -> str:
    info = labs.ANALYTES.get(code)
    return info.name if info else code
