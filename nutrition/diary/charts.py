"""Geometry for the server-rendered SVG charts. Templates draw; this module only measures.

Food is drawn solid and supplements striped, so the two read apart without colour.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse

from nutrition import amounts
from nutrition.diary.selectors import DaySummary, DayTotals, RangeSummary

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


# The trend chart is drawn for a phone first: its viewBox is as wide as a 360 px screen, and
# its text is 14 units, so on a 360 px screen (the chart about 328 px wide inside the page's
# margins) every label is at least 12 px tall. Wider screens cap the chart (diary.css).
TREND_WIDTH = 360
TREND_HEIGHT = 240
TREND_FONT = 14
X_LABELS = 5  # at most, so "03 Feb" labels never touch at 14 units


@dataclass(frozen=True)
class ChartBar:
    day: date
    x: str
    width: str
    food_y: str
    food_height: str
    supplement_y: str
    supplement_height: str
    label: str  # the day's figures in words: the bar's title and accessible name
    # The figures the details box shows when the day is tapped or focused (charts.js).
    day_text: str
    food_text: str
    supplement_text: str
    total_text: str
    target: int | None
    supplement_ul: int | None
    url: str


@dataclass(frozen=True)
class Tick:
    position: str
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    font_size: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[ChartBar]
    target_points: str
    limit_path: str  # the supplement upper limit, above each day's food: an SVG path
    y_ticks: list[Tick]
    x_ticks: list[Tick]

    @property
    def slot_top(self) -> int:
        return self.plot_top

    @property
    def slot_height(self) -> int:
        return self.plot_bottom - self.plot_top


_PLACEHOLDER = date(2000, 1, 1)


def diary_day_url() -> Callable[[date], str]:
    """A day's page in the person's own diary, reversed once: a 90-day chart links 90 days."""
    base = reverse("diary:day", args=[_PLACEHOLDER])
    return lambda day: base.replace(_PLACEHOLDER.isoformat(), day.isoformat())


def _nice_step(top: float) -> int:
    for step in (25, 50, 100, 200, 250, 500, 1000, 2000):
        if top / step <= 5:
            return step
    return 5000


def _day_label(d: DayTotals) -> str:
    """A day's figures in words, as its bar's title and accessible name."""
    text = (
        f"{d.day:%a} {d.day.day} {d.day:%b}: {amounts.shown_text(d.food_mg)} mg food, "
        f"{amounts.shown_text(d.supplement_mg)} mg supplements, "
        f"{amounts.shown_text(d.total_mg)} mg in total"
    )
    if d.rda_mg:
        text += f" of a {d.rda_mg} mg target"
    if d.above_supplement_limit:
        text += f"; supplements above the {d.supplement_ul_mg} mg limit"
    return text if d.logged else f"{d.day:%a} {d.day.day} {d.day:%b}: not logged"


def trend_chart(
    summary: RangeSummary,
    *,
    day_url: Callable[[date], str] | None = None,
    width: int = TREND_WIDTH,
    height: int = TREND_HEIGHT,
) -> TrendChart:
    """Stacked daily bars (food below, supplements above), the target as a step line, and
    the supplement upper limit as a dotted mark above each day's food on days with
    supplements (supplements may reach that far). Each day links to `day_url(day)`, by
    default the person's own day page."""
    day_url = day_url or diary_day_url()
    left, right, top, bottom = 40, width - 8, 10, height - 30
    plot_w, plot_h = right - left, bottom - top
    days = summary.days
    with_supplements = [d for d in days if d.supplement_mg > 0 and d.supplement_ul_mg]
    highest = max(
        [float(d.total_mg) for d in days]
        + [float(d.rda_mg or 0) for d in days]
        + [float(d.food_mg) + (d.supplement_ul_mg or 0) for d in with_supplements]
        + [100.0]
    )
    step = _nice_step(highest * 1.1)
    y_max = step * (int(highest * 1.1 // step) + 1)

    def y(value: float) -> float:
        return bottom - value / y_max * plot_h

    slot = plot_w / max(len(days), 1)
    gap = min(slot * 0.2, 4)
    bars = []
    limit = []
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
                label=_day_label(d),
                day_text=f"{d.day:%a} {d.day.day} {d.day:%b}",
                food_text=amounts.shown_text(d.food_mg) if d.logged else "",
                supplement_text=amounts.shown_text(d.supplement_mg) if d.logged else "",
                total_text=amounts.shown_text(d.total_mg) if d.logged else "",
                target=d.rda_mg,
                supplement_ul=d.supplement_ul_mg,
                url=day_url(d.day),
            )
        )
        if d.supplement_mg > 0 and d.supplement_ul_mg:
            ly = _f(y(food + d.supplement_ul_mg))
            limit.append(f"M{_f(left + i * slot)} {ly}H{_f(left + (i + 1) * slot)}")
    points = []
    for i, d in enumerate(days):
        if d.rda_mg:
            ty = _f(y(d.rda_mg))
            points.append(f"{_f(left + i * slot)},{ty} {_f(left + (i + 1) * slot)},{ty}")
    every = max(1, -(-len(days) // X_LABELS))
    x_ticks = [
        Tick(_f(left + (i + 0.5) * slot), f"{d.day.day} {d.day:%b}")
        for i, d in enumerate(days)
        if i % every == 0
    ]
    y_ticks = [Tick(_f(y(v)), str(v)) for v in range(0, y_max + 1, step)]
    return TrendChart(
        width=width,
        height=height,
        font_size=TREND_FONT,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        bars=bars,
        target_points=" ".join(points),
        limit_path="".join(limit),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
    )
