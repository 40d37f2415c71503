"""Trends page, SVG chart and the CSV export."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from freezegun import freeze_time

from nutrition.diary import charts, selectors
from nutrition.diary.exports import safe_cell
from tests.diary.factories import DiaryEntryFactory, FoodFactory, SupplementIntakeFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 2, 10)


@pytest.fixture
def month(man_56, spinach):
    food, _ = spinach
    for offset in range(0, 30, 3):
        DiaryEntryFactory(user=man_56, date=TODAY - timedelta(days=offset), food=food, grams=300)
    SupplementIntakeFactory(
        supplement__user=man_56, supplement__elemental_mg_per_unit=200, date=TODAY
    )
    return man_56


@pytest.mark.parametrize("days", [7, 30, 90])
def test_trends_page_periods(user_client, month, days):
    with freeze_time("2026-02-10 12:00"):
        r = user_client.get("/diary/trends/", {"days": days})
    html = r.content.decode()
    assert r.status_code == 200
    assert f"last {days} days" in html
    assert '<title id="chart-title">' in html and '<desc id="chart-desc">' in html
    assert html.count('class="bar-food"') == days
    assert "<table" in html and "style=" not in html


def test_trends_numbers(user_client, month):
    with freeze_time("2026-02-10 12:00"):
        html = user_client.get("/diary/trends/", {"days": 7}).content.decode()
    # Days 10 and 7 and 4 logged: 261 + 200 mg, 261 mg, 261 mg; one meets 420.
    assert "1 of 3 logged (33 %)" in html
    assert "327.7 mg" in html  # (461 + 261 + 261) / 3 = 327.67


def test_bad_period_falls_back_to_30(user_client, month):
    with freeze_time("2026-02-10 12:00"):
        html = user_client.get("/diary/trends/", {"days": "x"}).content.decode()
    assert "last 30 days" in html


def test_chart_geometry_stacks_supplements_on_food(month):
    summary = selectors.range_summary(user=month, start=TODAY - timedelta(days=6), end=TODAY)
    chart = charts.trend_chart(summary)
    last = chart.bars[-1]
    assert float(last.supplement_y) + float(last.supplement_height) == pytest.approx(
        float(last.food_y), abs=0.11
    )
    assert chart.target_points  # the target line is drawn
    assert chart.y_ticks[0].label == "0"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Spinach", "Spinach"),
        (Decimal("-1.5"), "-1.5"),
        (None, ""),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_csv_export_is_formula_safe(user_client, user, other_user):
    food = FoodFactory(owner=user, name='=HYPERLINK("http://evil")')
    DiaryEntryFactory(user=user, food=food, date=date(2026, 2, 3), grams=Decimal("50"))
    DiaryEntryFactory(user=other_user, date=date(2026, 2, 3))
    SupplementIntakeFactory(
        supplement__user=user, supplement__name="@tablets", date=date(2026, 2, 3)
    )
    r = user_client.get("/diary/export.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert rows[0][0] == "date" and len(rows) == 3 + 3  # two rows, then the day's totals
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'
    assert rows[1][6] == "25.0"
    assert rows[2][3] == "'@tablets"
    assert [row[1:4] + row[6:] for row in rows[3:]] == [
        ["day total", "", "from food", "25.0"],
        ["day total", "", "from supplements", "100.0"],
        ["day total", "", "total", "125.0"],
    ]
