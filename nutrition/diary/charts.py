"""Geometry for the server-rendered SVG charts. Templates draw; this module only measures.

Food is drawn solid and supplements striped, so the two read apart without colour.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from nutrition import amounts
from nutrition.diary.selectors import DaySummary, RangeSummary

BAR_WIDTH = 600


def _f(value: float) -> str:
    """A coordinate for an SVG attribute: short and locale-free."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class DayBar:
    width: int
    food_width: str
    supplement_x: str
    supplement_width: str
    target_x: str | None
    has_target: bool


def day_bar(summary: DaySummary) -> DayBar:
    """The split bar under the day's total: food, then supplements, with a target tick."""
    target = Decimal(summary.target.rda_mg or 0)
    scale = max(summary.total_mg, target, Decimal("1")) * Decimal("1.05")
    food = float(summary.food_mg / scale) * BAR_WIDTH
    supplements = float(summary.supplement_mg / scale) * BAR_WIDTH
    return DayBar(
        width=BAR_WIDTH,
        food_width=_f(food),
        supplement_x=_f(food),
        supplement_width=_f(supplements),
        target_x=_f(float(target / scale) * BAR_WIDTH) if target else None,
        has_target=bool(target),
    )


@dataclass(frozen=True)
class ChartBar:
    day: date
    x: str
    width: str
    food_y: str
    food_height: str
    supplement_y: str
    supplement_height: str
    label: str


@dataclass(frozen=True)
class Tick:
    position: str
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[ChartBar]
    target_points: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def _nice_step(top: float) -> int:
    for step in (25, 50, 100, 200, 250, 500, 1000, 2000):
        if top / step <= 6:
            return step
    return 5000


def trend_chart(summary: RangeSummary, *, width: int = 720, height: int = 260) -> TrendChart:
    """Stacked daily bars (food below, supplements above) and the target as a step line."""
    left, right, top, bottom = 48, width - 12, 12, height - 32
    plot_w, plot_h = right - left, bottom - top
    days = summary.days
    highest = max(
        [float(d.total_mg) for d in days] + [float(d.rda_mg or 0) for d in days] + [100.0]
    )
    step = _nice_step(highest * 1.1)
    y_max = step * (int(highest * 1.1 // step) + 1)

    def y(value: float) -> float:
        return bottom - value / y_max * plot_h

    slot = plot_w / max(len(days), 1)
    gap = min(slot * 0.2, 4)
    bars = []
    for i, d in enumerate(days):
        x = left + i * slot + gap / 2
        food, supplement = float(d.food_mg), float(d.supplement_mg)
        bars.append(
            ChartBar(
                day=d.day,
                x=_f(x),
                width=_f(slot - gap),
                food_y=_f(y(food)),
                food_height=_f(bottom - y(food)),
                supplement_y=_f(y(food + supplement)),
                supplement_height=_f(y(food) - y(food + supplement)),
                label=f"{d.day:%a %d %b}: {amounts.shown_text(d.food_mg)} mg food, "
                f"{amounts.shown_text(d.supplement_mg)} mg supplements",
            )
        )
    points = []
    for i, d in enumerate(days):
        if d.rda_mg:
            ty = _f(y(d.rda_mg))
            points.append(f"{_f(left + i * slot)},{ty} {_f(left + (i + 1) * slot)},{ty}")
    every = max(1, len(days) // 6)
    x_ticks = [
        Tick(_f(left + (i + 0.5) * slot), f"{d.day:%d %b}")
        for i, d in enumerate(days)
        if i % every == 0
    ]
    y_ticks = [Tick(_f(y(v)), str(v)) for v in range(0, y_max + 1, step)]
    return TrendChart(
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        bars=bars,
        target_points=" ".join(points),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
    )
