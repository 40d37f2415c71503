"""The report as a file: the period a request asks for, the printable HTML the PDF is made
from, the same figures as spreadsheet rows, and a safe file name.

The figures come from `nutrition.transfer.report_selectors.report_for`; nothing here computes one.
"""

import re
from collections.abc import Iterator, Mapping
from datetime import date

from django.template.loader import render_to_string
from django.utils.text import slugify

from mgsite import dates
from nutrition import amounts, labs
from nutrition.diary.exports import safe_cell
from nutrition.transfer.report_selectors import DEFAULT_DAYS, MAX_DAYS, Period, Report

START_AFTER_END = "The start comes after the end."
TOO_LONG = f"Ask for at most {MAX_DAYS} days at a time."


class PeriodError(ValueError):
    """A period a request cannot have; `errors` names each field with what is wrong."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def period_from(params: Mapping[str, str], *, today: date) -> Period:
    """`?start=&end=` (YYYY-MM-DD, 1900–2100, start ≤ end, at most MAX_DAYS days); a missing
    or empty end is `today`, a missing or empty start the DEFAULT_DAYS days up to the end."""
    errors: dict[str, list[str]] = {}
    parsed: dict[str, date | None] = {}
    for field in ("start", "end"):
        raw = params.get(field) or None
        try:
            parsed[field] = None if raw is None else dates.parse_day(raw)
        except dates.DayError as exc:
            errors[field] = [str(exc)]
    if errors:
        raise PeriodError(errors)
    end = parsed["end"] or today
    start = parsed["start"]
    if start is None:
        start = Period.ending(end, DEFAULT_DAYS).start
        start = max(start, dates.EARLIEST_DAY)
    if start > end:
        raise PeriodError({"start": [START_AFTER_END]})
    period = Period(start, end)
    if period.days > MAX_DAYS:
        raise PeriodError({"end": [TOO_LONG]})
    return period


def filename(report: Report, *, whose: str, extension: str) -> str:
    """`magnesium-report-<whose>-<start>-to-<end>.<extension>`, in ASCII letters, digits and
    hyphens only (`whose` is slugified; a name with nothing left of it is dropped)."""
    slug = slugify(whose)[:40].strip("-")
    parts = ["magnesium-report", slug, report.period.start.isoformat(), "to"]
    parts.append(report.period.end.isoformat())
    name = "-".join(part for part in parts if part)
    assert re.fullmatch(r"[a-z0-9-]+", name), name
    return f"{name}.{extension}"


def html(report: Report) -> str:
    """The printable page the PDF is made from (templates/transfer/report.html)."""
    context = {
        "report": report,
        "not_a_diagnosis": labs.NOT_A_DIAGNOSIS,
        "glycaemia_basis": {"hba1c": "HbA1c", "glucose_fasting": "fasting glucose"},
    }
    return render_to_string("transfer/report.html", context)


# --- The same figures for a spreadsheet -----------------------------------------------------
HEADER = [
    "section",
    "date",
    "item",
    "food_mg",
    "supplements_mg",
    "total_mg",
    "target_mg",
    "value",
    "unit",
    "detail",
]


def _row(section: str, day: date | None = None, item: object = "", **cells: object) -> list[str]:
    row = dict.fromkeys(HEADER, "")
    row.update(section=section, date=day.isoformat() if day else "", item=item, **cells)
    return [safe_cell(row[column]) for column in HEADER]


def _mg(value) -> str:
    return amounts.shown_text(value, missing="")


def csv_rows(report: Report) -> Iterator[list[str]]:
    """One table, a `section` column saying what each row is: the report itself, each day of
    the period, the period's totals, top sources, supplements, upper-limit days, lab results,
    markers and notes. Every text cell goes through the diary export's formula guard."""
    period = report.period
    yield HEADER
    yield _row(
        "report",
        item=report.person_name,
        detail=f"{period.start.isoformat()} to {period.end.isoformat()}; {report.prepared_for}",
    )
    for d in report.summary.days:
        if not d.logged:
            yield _row("day", d.day, target_mg=d.rda_mg or "", detail="not logged")
            continue
        notes = []
        if d.meets_target:
            notes.append("target met")
        if d.above_supplement_limit:
            notes.append(f"supplements above the {d.supplement_ul_mg} mg upper limit")
        yield _row(
            "day",
            d.day,
            food_mg=_mg(d.food_mg),
            supplements_mg=_mg(d.supplement_mg),
            total_mg=_mg(d.total_mg),
            target_mg=d.rda_mg or "",
            detail="; ".join(notes),
        )
    yield _row(
        "period total",
        item=f"{report.summary.days_logged} logged days",
        food_mg=_mg(report.food_mg),
        supplements_mg=_mg(report.supplement_mg),
        total_mg=_mg(report.total_mg),
    )
    if report.summary.average_total_mg is not None:
        yield _row("average per logged day", total_mg=_mg(report.summary.average_total_mg))
    for source in report.summary.top_sources:
        yield _row("top source", item=source.name, food_mg=_mg(source.magnesium_mg))
    for taken in report.supplements:
        yield _row(
            "supplement",
            item=f"{taken.name} ({taken.form})",
            supplements_mg=_mg(taken.magnesium_mg),
            value=taken.doses,
            unit="doses",
            detail=f"on {taken.days} days; {taken.elemental_mg_per_unit} mg elemental per unit",
        )
    for d in report.limit_days:
        yield _row(
            "above upper limit",
            d.day,
            supplements_mg=_mg(d.supplement_mg),
            value=d.supplement_ul_mg,
            unit="mg (upper limit)",
        )
    for result in report.lab_results:
        info = result.analyte_info
        unit = info.unit(result.unit)
        category = result.category
        yield _row(
            "lab result",
            result.taken_on,
            item=info.name,
            value=result.value.normalize(),
            unit=unit.label if unit else result.unit,
            detail=category.label if category else "",
        )
    yield from _marker_rows(report)
    for note in report.notes:
        yield _row(
            "note",
            note.day or note.created_at.date(),
            item=note.author_name,
            detail=note.text,
        )


def _marker_rows(report: Report) -> Iterator[list[str]]:
    picture = report.picture
    if picture.homa_ir:
        yield _row("marker", picture.homa_ir.taken_on, item="HOMA-IR", value=picture.homa_ir.value)
    if picture.tyg_index:
        yield _row(
            "marker", picture.tyg_index.taken_on, item="TyG index", value=picture.tyg_index.value
        )
    if picture.egfr:
        how = "computed from creatinine (CKD-EPI 2021)" if picture.egfr.computed else "reported"
        yield _row(
            "marker",
            picture.egfr.taken_on,
            item="eGFR",
            value=picture.egfr.value,
            unit="mL/min/1.73 m²",
            detail=f"{picture.egfr.stage.label}; {how}",
        )
    if picture.glycaemia:
        yield _row(
            "marker", picture.glycaemia.taken_on, item="Blood sugar", detail=picture.glycaemia.label
        )
    if picture.magnesium_status:
        status = picture.magnesium_status
        yield _row(
            "marker",
            status.taken_on,
            item="Serum magnesium",
            value=status.value_mmol_l,
            unit="mmol/L",
            detail=status.label,
        )
