"""The trend chart on a phone: text that stays at least 12 px at 360 px, the supplement upper
limit drawn above each day's food, and every day focusable with its numbers."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from freezegun import freeze_time

from nutrition.diary import charts, selectors
from nutrition.health import charts as health_charts
from tests.diary.factories import DiaryEntryFactory, SupplementIntakeFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 2, 10)
# The chart's rendered width on a 360 px screen: the page's 16 px margins either side.
PHONE_CHART_PX = 360 - 2 * 16
CSS = Path(settings.BASE_DIR) / "static" / "css"


@pytest.fixture
def week(man_56, spinach):
    """Food on three days (300 g of spinach: 261 mg); 200 mg of supplements today."""
    food, _ = spinach
    for offset in (0, 3, 6):
        DiaryEntryFactory(user=man_56, date=TODAY - timedelta(days=offset), food=food, grams=300)
    SupplementIntakeFactory(
        supplement__user=man_56, supplement__elemental_mg_per_unit=200, date=TODAY
    )
    return man_56


def _trends(client, days=7) -> str:
    with freeze_time("2026-02-10 12:00"):
        r = client.get("/diary/trends/", {"days": days})
    assert r.status_code == 200
    return r.content.decode()


def _days(html: str) -> list[dict[str, str]]:
    found = re.findall(
        r'<a href="([^"]+)" class="chart-day"([^>]*)>\s*<title>([^<]*)</title>', html
    )
    return [
        {"href": href, "title": title, **dict(re.findall(r'(aria-label|data-\w+)="([^"]*)"', a))}
        for href, a, title in found
    ]


def test_each_day_is_a_focusable_link_with_its_numbers(user_client, week):
    days = _days(_trends(user_client))
    assert len(days) == 7
    today = days[-1]
    assert today["href"] == "/diary/2026-02-10/"
    assert today["title"] == today["aria-label"]
    assert (
        "261.0 mg food, 200.0 mg supplements, 461.0 mg in total of a 420 mg target"
        in (today["title"])
    )
    assert (today["data-food"], today["data-supplements"], today["data-total"]) == (
        "261.0",
        "200.0",
        "461.0",
    )
    assert today["data-target"] == "420" and today["data-limit"] == "350"
    assert days[-2]["title"].endswith("not logged") and days[-2]["data-total"] == ""


def test_the_details_box_and_its_script_are_there_and_hidden_without_javascript(user_client, week):
    html = _trends(user_client)
    assert re.search(
        r'<div class="chart-details" data-chart-details aria-live="polite" hidden>', html
    )
    assert re.search(r'<script nonce="[^"]+" src="[^"]*js/charts\.js"', html)
    # The links live in a group, not an image (whose children would be presentational).
    assert 'role="group"' in html and 'role="img"' not in html.split("trend-chart")[1][:300]
    assert "<table" in html  # the fallback with every number


def test_the_supplement_limit_is_drawn_above_the_food_of_days_with_supplements(week):
    summary = selectors.range_summary(user=week, start=TODAY - timedelta(days=6), end=TODAY)
    chart = charts.trend_chart(summary)
    # One mark, over today's slot, at food (261 mg) + 350 mg.
    marks = re.findall(r"M([\d.]+) ([\d.]+)H([\d.]+)", chart.limit_path)
    assert len(marks) == 1
    x1, y, x2 = (float(v) for v in marks[0])
    last = chart.bars[-1]
    assert x1 <= float(last.x) < x2 <= chart.plot_right + 0.1
    zero = float(chart.y_ticks[0].position)
    per_mg = (zero - float(last.food_y)) / 261
    assert y == pytest.approx(zero - per_mg * (261 + 350), abs=0.2)
    assert y >= chart.plot_top  # the scale makes room for it


def test_the_limit_line_and_its_legend_are_on_the_page(user_client, week):
    html = _trends(user_client)
    assert re.search(r'<path class="limit-line" d="M[\d.]+ [\d.]+H[\d.]+"', html)
    assert "Supplement limit (dotted)" in html


def test_no_limit_line_without_supplements(user_client, man_56, spinach):
    food, _ = spinach
    DiaryEntryFactory(user=man_56, date=TODAY, food=food, grams=300)
    html = _trends(user_client)
    assert 'class="limit-line"' not in html


@pytest.mark.parametrize("days", [7, 30, 90])
def test_text_is_at_least_12_px_on_a_360_px_phone(user_client, week, days):
    html = _trends(user_client, days)
    width = int(re.search(r'<svg viewBox="0 0 (\d+) \d+"[^>]*class="trend-chart"', html).group(1))
    assert width <= 360  # drawn for a phone
    sizes = [int(s) for s in re.findall(r'<text class="axis-label"[^>]*font-size="(\d+)"', html)]
    assert sizes and all(size * PHONE_CHART_PX / width >= 12 for size in sizes)
    # No style sheet makes them smaller again.
    assert "font-size" not in re.search(
        r"\.trend-chart \.axis-label \{[^}]*\}", (CSS / "diary.css").read_text()
    ).group(0)
    # At most five date labels, so they never overlap.
    assert len(re.findall(r'text-anchor="middle" font-size', html)) <= charts.X_LABELS


def test_health_record_charts_text_is_at_least_12_px_on_a_phone():
    assert health_charts.FONT * PHONE_CHART_PX / health_charts.WIDTH >= 12
    css = (CSS / "health.css").read_text()
    for rule in re.findall(r"\.health-chart \.(?:axis|band)-label \{[^}]*\}", css):
        assert "font-size" not in rule


def test_the_clinic_chart_links_each_day_to_the_clients_day(week):
    summary = selectors.range_summary(user=week, start=TODAY - timedelta(days=6), end=TODAY)
    chart = charts.trend_chart(summary, day_url=lambda d: f"?date={d.isoformat()}")
    assert chart.bars[-1].url == "?date=2026-02-10"
