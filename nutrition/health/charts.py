"""The health record's charts: what each chart shows (series, reference bands and lines, in the
unit the person reads) and the geometry of the server-rendered SVG. Templates draw; this module
only measures. No queries: the series come from readings already read, the magnesium intake
from one read of the diary's figures (`selectors.intake_before`).

The charts are drawn for a phone first: a 360-unit-wide viewBox with 14-unit text (`FONT`), so on
a 360 px screen, where the chart is about 328 px wide inside the page's margins, every label is
at least 12 px tall. Under each result's point a bar shows the average magnesium of the 30
days before it, food solid and supplements striped, as on the diary's trends.
"""

import itertools
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from nutrition import labs
from nutrition.health.selectors import (
    IntakeBefore,
    PersonFacts,
    Reading,
    egfr_series,
    homa_ir_series,
    tyg_series,
)

WIDTH = 360
HEIGHT = 270
FONT = 14  # units: 14 × 328 / 360 ≈ 12.8 px on a 360 px phone


# --- What a chart shows -------------------------------------------------------------------
@dataclass(frozen=True)
class Band:
    """A reference range in the chart's unit; None is open-ended."""

    low: Decimal | None
    high: Decimal | None
    label: str
    kind: str  # "good", "mid", "high": a CSS class, never the only cue (labels say it)


@dataclass(frozen=True)
class Line:
    value: Decimal
    label: str


@dataclass(frozen=True)
class SeriesPoint:
    day: date
    value: Decimal  # in the chart's unit, as a laboratory reports it
    detail: str = ""  # a category or a stage in words
    intake: IntakeBefore | None = None


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    unit: str  # as a person reads it; "" for a plain index
    points: list[SeriesPoint]  # oldest first
    bands: list[Band] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    reference: str = ""


CHARTED = (
    "glucose_fasting",
    "hba1c",
    "insulin_fasting",
    "homa_ir",
    "tyg_index",
    "egfr",
    "magnesium_serum",
    "triglycerides",
    "hdl_cholesterol",
)


def _in_unit(analyte: labs.Analyte, value: Decimal, given_in: str, unit: str) -> Decimal:
    """A threshold stated in `given_in` (as the guideline states it), in the chart's unit."""
    return labs.reported(analyte, labs.to_si(analyte, value, given_in), unit)


def _three_bands(
    analyte: labs.Analyte, bounds: tuple[Decimal, Decimal], given_in: str, unit: str
) -> list[Band]:
    low, high = (_in_unit(analyte, b, given_in, unit) for b in bounds)
    names = labs.GLYCAEMIA_LABELS
    return [
        Band(None, low, names["normal"], "good"),
        Band(low, high, names["prediabetes"], "mid"),
        Band(high, None, names["diabetes"], "high"),
    ]


def _analyte_extras(code: str, unit: str) -> tuple[list[Band], list[Line], str]:
    """Reference bands and lines of an analyte's chart, from the tables of nutrition.labs."""
    analyte = labs.ANALYTES[code]
    label = analyte.unit(unit).label
    if code == "glucose_fasting":
        bands = _three_bands(analyte, labs.GLUCOSE_FASTING_MG_DL, "mg/dL", unit)
        return bands, [], _bands_text(bands, label, labs.GLYCAEMIA_SOURCE)
    if code == "hba1c":
        bands = _three_bands(analyte, labs.HBA1C_PERCENT, "%", unit)
        return bands, [], _bands_text(bands, label, labs.GLYCAEMIA_SOURCE)
    if code == "magnesium_serum":
        low, high = (_in_unit(analyte, b, "mmol/L", unit) for b in labs.MAGNESIUM_MMOL_L)
        bands = [Band(low, high, "usual range", "good")]
        return bands, [], f"Usual range {low}–{high} {label}. {labs.MAGNESIUM_SOURCE}"
    if code == "triglycerides":
        level = _in_unit(analyte, labs.TRIGLYCERIDES_MG_DL[2][0], "mg/dL", unit)
        text = f"Borderline high from {level} {label}. {labs.LIPIDS_SOURCE}"
        return [], [Line(level, f"{level}: borderline high")], text
    if code == "hdl_cholesterol":
        level = _in_unit(analyte, labs.HDL_MG_DL[0], "mg/dL", unit)
        text = f"Low under {level} {label}. {labs.LIPIDS_SOURCE}"
        return [], [Line(level, f"{level}: low below")], text
    return [], [], ""


def _bands_text(bands: list[Band], unit: str, source: str) -> str:
    parts = []
    for band in bands:
        if band.low is None:
            parts.append(f"under {band.high} {unit} {band.label}")
        elif band.high is None:
            parts.append(f"{band.low} {unit} and over {band.label}")
        else:
            parts.append(f"{band.low} to under {band.high} {unit} {band.label}")
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]}. {source}"


def build_series(
    readings: list[Reading],
    person: PersonFacts,
    units: dict[str, str],
    intake: dict[date, IntakeBefore],
    on: date,
) -> list[Series]:
    """One series per analyte or marker that has data up to `on`, in a fixed order.

    `units` is the unit each analyte is charted in (the one of the person's latest result of
    it, so the chart reads like their reports); `intake` the magnesium before each day.
    """
    found: dict[str, Series] = {}
    by_analyte: dict[str, list[Reading]] = {}
    for reading in sorted(readings, key=lambda r: (r.taken_on, r.id)):
        if reading.taken_on <= on:
            by_analyte.setdefault(reading.analyte, []).append(reading)
    for code, rows in by_analyte.items():
        if code not in CHARTED:
            continue
        analyte = labs.ANALYTES[code]
        unit = units.get(code) or analyte.si.code
        if analyte.unit(unit) is None:
            unit = analyte.si.code
        points = []
        for r in rows:
            category = labs.result_category(code, r.value_si)
            points.append(
                SeriesPoint(
                    r.taken_on,
                    labs.reported(analyte, r.value_si, unit),
                    category.label if category else "",
                    intake.get(r.taken_on),
                )
            )
        bands, lines, reference = _analyte_extras(code, unit)
        found[code] = Series(
            code, analyte.name, analyte.unit(unit).label, points, bands, lines, reference
        )
    homa = homa_ir_series(readings, on)
    if homa:
        cut = labs.HOMA_IR_COMMON_CUTOFF
        found["homa_ir"] = Series(
            "homa_ir",
            "HOMA-IR",
            "",
            [SeriesPoint(m.taken_on, m.value, "", intake.get(m.taken_on)) for m in homa],
            lines=[Line(cut, f"{cut}: often-used cut-off")],
            reference=f"Values above about {cut} are often read as insulin resistance. "
            f"{labs.HOMA_IR_SOURCE}",
        )
    tyg = tyg_series(readings, on)
    if tyg:
        found["tyg_index"] = Series(
            "tyg_index",
            "TyG index",
            "",
            [SeriesPoint(m.taken_on, m.value, "", intake.get(m.taken_on)) for m in tyg],
            reference=f"No single agreed cut-off. {labs.TYG_SOURCE}",
        )
    egfr = egfr_series(readings, person, on)
    if egfr:
        level = Decimal(labs.EGFR_SUPPLEMENT_CAUTION)
        found["egfr"] = Series(
            "egfr",
            "eGFR",
            labs.ANALYTES["egfr"].si.label,
            [
                SeriesPoint(
                    e.taken_on,
                    e.value,
                    f"{e.stage.label}{', computed from creatinine' if e.computed else ''}",
                    intake.get(e.taken_on),
                )
                for e in egfr
            ],
            lines=[Line(level, f"{level}: supplements only on advice")],
            reference=f"Under {level}: take magnesium supplements only on a clinician's advice. "
            f"{labs.KDIGO_SOURCE}",
        )
    return [found[key] for key in CHARTED if key in found]


# --- Geometry -----------------------------------------------------------------------------
def _f(value: float) -> str:
    """A coordinate for an SVG attribute: short and locale-free."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Tick:
    position: str
    label: str


@dataclass(frozen=True)
class DrawnPoint:
    x: str
    y: str
    title: str


@dataclass(frozen=True)
class DrawnBand:
    y: str
    height: str
    kind: str
    label: str
    label_y: str
    show_label: bool


@dataclass(frozen=True)
class DrawnLine:
    y: str
    label: str
    label_y: str


@dataclass(frozen=True)
class IntakeBar:
    x: str
    width: str
    food_y: str
    food_height: str
    supplement_y: str
    supplement_height: str
    title: str


@dataclass(frozen=True)
class LineChart:
    series: Series
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    intake_top: int
    intake_bottom: int
    points: list[DrawnPoint]
    polyline: str
    bands: list[DrawnBand]
    lines: list[DrawnLine]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    bars: list[IntakeBar]
    intake_ticks: list[Tick]

    @property
    def font_size(self) -> int:
        return FONT

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def intake_label_y(self) -> int:
        return self.intake_top - 8

    @property
    def intake_middle_y(self) -> int:
        return (self.intake_top + self.intake_bottom) // 2

    @property
    def middle_x(self) -> int:
        return (self.plot_left + self.plot_right) // 2


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return round(multiple * magnitude, 12)
    return round(10 * magnitude, 12)


def _tick_text(value: float, step: float) -> str:
    """A tick's label with as many decimals as the step has (0.25 → two)."""
    exponent = Decimal(repr(step)).normalize().as_tuple().exponent
    places = max(0, -int(exponent))
    return f"{value:.{places}f}"


def _value_scale(series: Series) -> tuple[float, float, float]:
    """(bottom, top, step) of the value axis: the points and every band edge and line, so a
    reference is on the chart even when all results sit on one side of it."""
    values = [float(p.value) for p in series.points]
    values += [float(line.value) for line in series.lines]
    for band in series.bands:
        values += [float(edge) for edge in (band.low, band.high) if edge is not None]
    lowest, highest = min(values), max(values)
    span = highest - lowest or max(abs(highest), 1.0)
    pad = span * 0.15
    step = _nice_step(span + 2 * pad)
    bottom = math.floor((lowest - pad) / step) * step
    if lowest >= 0 > bottom:
        bottom = 0.0  # values here are never negative
    top = math.ceil((highest + pad) / step) * step
    return bottom, top, step


def line_chart(series: Series, *, width: int = WIDTH, height: int = HEIGHT) -> LineChart:
    """The series as points joined by a line over their dates, its reference bands and lines,
    and the magnesium bars under it on the same date axis."""
    left, right, top = 44, width - 10, 10
    bottom = round(height * 0.55)
    intake_top, intake_bottom = bottom + 32, height - 26
    plot_w, plot_h = right - left, bottom - top

    low, high, step = _value_scale(series)

    def y(value: float) -> float:
        return bottom - (value - low) / (high - low) * plot_h

    days = [p.day for p in series.points]
    first, last = min(days), max(days)
    span_days = (last - first).days
    inset = 14  # room for the first and last bars

    def x(day: date) -> float:
        if span_days == 0:
            return left + plot_w / 2
        return left + inset + (day - first).days / span_days * (plot_w - 2 * inset)

    unit = f" {series.unit}" if series.unit else ""
    points = [
        DrawnPoint(
            _f(x(p.day)),
            _f(y(float(p.value))),
            f"{p.day:%d %b %Y}: {p.value}{unit}{f' ({p.detail})' if p.detail else ''}",
        )
        for p in series.points
    ]
    polyline = " ".join(f"{p.x},{p.y}" for p in points) if len(points) > 1 else ""

    bands = []
    for band in series.bands:
        b_low = low if band.low is None else max(float(band.low), low)
        b_high = high if band.high is None else min(float(band.high), high)
        if b_high <= b_low:
            continue
        y_top, y_bottom = y(b_high), y(b_low)
        bands.append(
            DrawnBand(
                _f(y_top),
                _f(y_bottom - y_top),
                band.kind,
                band.label,
                _f(y_top + FONT),
                y_bottom - y_top >= FONT + 4,  # a label only where it fits
            )
        )
    lines = [
        DrawnLine(_f(y(float(line.value))), line.label, _f(y(float(line.value)) - 4))
        for line in series.lines
    ]
    count = round((high - low) / step)
    y_ticks = [
        Tick(_f(y(low + i * step)), _tick_text(low + i * step, step)) for i in range(count + 1)
    ]

    # Ticks on the date axis: the first and last day, and the middle one when there is room.
    picked = [first] if span_days == 0 else [first, last]
    if span_days >= 60:
        picked.insert(1, min(days, key=lambda d: abs((d - first).days - span_days / 2)))
    x_ticks = [Tick(_f(x(d)), f"{d:%b %Y}" if span_days >= 60 else f"{d:%d %b}") for d in picked]

    # The magnesium bars: one per result day, the same scale in every chart of the page would
    # need another pass; each chart scales to its own highest average, with a tick for it.
    with_intake = [p for p in series.points if p.intake and p.intake.days_logged]
    most = max([float(p.intake.total_mg) for p in with_intake] + [100.0])
    intake_step = _nice_step(most, 2)
    intake_max = math.ceil(most / intake_step) * intake_step
    intake_h = intake_bottom - intake_top

    def iy(mg: float) -> float:
        return intake_bottom - mg / intake_max * intake_h

    distinct = sorted(set(days))
    gap = min((x(b) - x(a) for a, b in itertools.pairwise(distinct)), default=24.0)
    bar_w = max(2.0, min(16.0, gap * 0.6))
    bars = []
    for p in with_intake:
        food, supplements = float(p.intake.food_mg), float(p.intake.supplement_mg)
        cx = x(p.day)
        bars.append(
            IntakeBar(
                _f(cx - bar_w / 2),
                _f(bar_w),
                _f(iy(food)),
                _f(intake_bottom - iy(food)),
                _f(iy(food + supplements)),
                _f(iy(food) - iy(food + supplements)),
                f"30 days before {p.day:%d %b %Y}: {p.intake.food_mg} mg food and "
                f"{p.intake.supplement_mg} mg supplements a day, {p.intake.days_logged} days "
                "logged",
            )
        )
    intake_ticks = [
        Tick(_f(iy(0)), "0"),
        Tick(_f(iy(intake_max)), f"{intake_max:g}"),
    ]
    return LineChart(
        series=series,
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        intake_top=intake_top,
        intake_bottom=intake_bottom,
        points=points,
        polyline=polyline,
        bands=bands,
        lines=lines,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        bars=bars,
        intake_ticks=intake_ticks,
    )
