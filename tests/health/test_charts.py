"""The charts of the health record: one per analyte or marker with data, its reference bands,
and the average magnesium of the 30 days before each result, worked out by hand here from a
small diary entered through the diary's own services."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils.html import escape

from accounts.models import Profile
from nutrition import labs
from nutrition.diary import services as diary
from nutrition.health import charts, selectors, services
from nutrition.health.selectors import IntakeBefore
from tests.diary.factories import spinach_boiled

pytestmark = pytest.mark.django_db
CHARTS = "/health-record/charts/"


def add(user, analyte, value, unit, taken_on):
    return services.lab_result_create(
        user=user, analyte=analyte, value=Decimal(str(value)), unit=unit, taken_on=taken_on
    )


def eat(user, food, day, grams):
    diary.diary_entry_create(user=user, day=day, meal="lunch", food_id=food.pk, grams=grams)


@pytest.fixture
def small_diary(user):
    """Spinach is 87 mg per 100 g; one tablet is 100 mg.

    31 Dec: 500 g (435 mg)       outside both windows
     1 Jan: 100 g (87 mg)        in the window of 31 Jan (1–30 Jan)
    20 Jan: 200 g (174 mg) + one tablet (100 mg)   in both windows
    31 Jan: 1000 g (870 mg)      the day of the first results: not in their window, in the
                                 window of 10 Feb (11 Jan – 9 Feb)
    """
    Profile.objects.filter(user=user).update(timezone="UTC")
    food, _cup = spinach_boiled()
    eat(user, food, date(2025, 12, 31), 500)
    eat(user, food, date(2026, 1, 1), 100)
    eat(user, food, date(2026, 1, 20), 200)
    tablet = diary.supplement_create(
        user=user, name="Citrate", form="citrate", elemental_mg_per_unit=Decimal(100)
    )
    diary.supplement_intake_create(
        user=user, day=date(2026, 1, 20), supplement_id=tablet.pk, units=Decimal(1)
    )
    eat(user, food, date(2026, 1, 31), 1000)
    add(user, "glucose_fasting", 100, "mg/dL", date(2026, 1, 31))
    add(user, "insulin_fasting", 15, "uIU/mL", date(2026, 1, 31))
    add(user, "glucose_fasting", 110, "mg/dL", date(2026, 2, 10))
    return user


def test_intake_before_each_result_is_averaged_over_logged_days(small_diary):
    found = selectors.intake_before(
        user=small_diary, days=[date(2026, 1, 31), date(2026, 2, 10), date(2026, 6, 1)]
    )
    # 31 Jan: food (87 + 174) / 2, supplements (0 + 100) / 2, over 2 logged days.
    assert found[date(2026, 1, 31)] == IntakeBefore(Decimal("130.5"), Decimal("50.0"), 2)
    # 10 Feb: food (174 + 870) / 2, supplements (100 + 0) / 2.
    assert found[date(2026, 2, 10)] == IntakeBefore(Decimal("522.0"), Decimal("50.0"), 2)
    # Nothing logged in the 30 days before: no average, and it says so.
    assert found[date(2026, 6, 1)] == IntakeBefore(None, None, 0)


def test_the_window_is_the_30_days_ending_the_day_before():
    assert selectors.intake_window(date(2026, 1, 31)) == (date(2026, 1, 1), date(2026, 1, 30))
    by_day = {date(2026, 1, 1): (Decimal(10), Decimal(0)), date(2026, 1, 31): (Decimal(99), 0)}
    assert selectors.average_intake_before(by_day, date(2026, 1, 31)).food_mg == Decimal("10.0")
    assert selectors.average_intake_before(by_day, date(2026, 2, 1)).days_logged == 1


def _figure(page: str, key: str) -> str:
    return page.split(f'data-series="{key}"')[1].split("</section>")[0]


def test_charts_page_draws_each_series_with_its_points_and_intake(user_client, small_diary):
    page = user_client.get(CHARTS).content.decode()
    assert re.findall(r'data-series="([a-z_]+)"', page) == [
        "glucose_fasting",
        "insulin_fasting",
        "homa_ir",
    ]
    glucose = _figure(page, "glucose_fasting")
    assert glucose.count('<circle class="point"') == 2
    assert glucose.count('<g class="intake-bar">') == 2
    assert _figure(page, "insulin_fasting").count('<circle class="point"') == 1
    homa = _figure(page, "homa_ir")
    assert homa.count('<circle class="point"') == 1 and "3.70" in homa
    # The table fallback: the averages worked out above, newest first, days logged.
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", glucose, re.S)
    assert "10 Feb 2026" in rows[0] and "522.0" in rows[0] and "50.0" in rows[0]
    assert "31 Jan 2026" in rows[1] and "130.5" in rows[1] and "50.0" in rows[1]
    assert "2 of 30 days logged" in rows[0] and "2 of 30 days logged" in rows[1]
    assert "30 days before 31 Jan 2026: 130.5 mg food and 50.0 mg supplements" in glucose
    # Glycaemia bands, in the unit of the person's reports.
    assert "prediabetes range" in glucose and "Under 100 mg/dL normal range" in glucose
    assert "Timing, not cause." in page and escape(labs.NOT_A_DIAGNOSIS) in page
    assert "the 30 days ending the day before the sample was taken" in page


def test_a_chart_without_diary_data_says_nothing_was_logged(user_client, user):
    add(user, "egfr", 55, "mL/min/1.73m2", date(2026, 1, 5))
    add(user, "magnesium_serum", "1.9", "mg/dL", date(2026, 1, 5))
    page = user_client.get(CHARTS).content.decode()
    egfr = _figure(page, "egfr")
    assert 'class="ref-line"' in egfr and "60: supplements only on advice" in egfr
    assert (
        "Nothing logged" in egfr
        and "0 of 30 days logged" in egfr
        and '<g class="intake-bar">' not in egfr
    )
    magnesium = _figure(page, "magnesium_serum")
    # The 0.75–1.05 mmol/L band in mg/dL, the unit of the report.
    assert "Usual range 1.82–2.55 mg/dL" in magnesium and 'class="band band-good"' in magnesium


def test_no_results_no_charts(user_client):
    page = user_client.get(CHARTS).content.decode()
    assert "No results to chart yet" in page and "<svg" not in page.split("<main")[1]


# --- The geometry alone ---------------------------------------------------------------------
def _series(values, bands=(), lines=()):
    return charts.Series(
        "x",
        "X",
        "mmol/L",
        [charts.SeriesPoint(day, Decimal(v)) for day, v in values],
        list(bands),
        list(lines),
    )


def test_points_go_left_to_right_by_date_and_up_with_the_value():
    chart = charts.line_chart(
        _series([(date(2026, 1, 1), "5"), (date(2026, 3, 1), "7"), (date(2026, 3, 2), "6")])
    )
    xs = [float(p.x) for p in chart.points]
    ys = [float(p.y) for p in chart.points]
    assert xs == sorted(xs) and chart.plot_left < xs[0] and xs[-1] < chart.plot_right
    assert ys[1] < ys[2] < ys[0]  # higher values are higher up (smaller y)
    assert all(chart.plot_top <= y <= chart.plot_bottom for y in ys)
    assert len(chart.polyline.split()) == 3
    assert chart.width == 360  # drawn for a phone


def test_a_single_result_sits_in_the_middle_with_no_line():
    chart = charts.line_chart(_series([(date(2026, 1, 1), "5")]))
    assert float(chart.points[0].x) == pytest.approx((chart.plot_left + chart.plot_right) / 2)
    assert chart.polyline == "" and len(chart.x_ticks) == 1


def test_bands_and_lines_are_on_the_chart_even_far_from_the_values():
    band = charts.Band(Decimal("0.75"), Decimal("1.05"), "usual range", "good")
    line = charts.Line(Decimal("2"), "2: a level")
    chart = charts.line_chart(_series([(date(2026, 1, 1), "0.5")], [band], [line]))
    drawn = chart.bands[0]
    assert chart.plot_top <= float(drawn.y) and float(drawn.y) + float(drawn.height) <= (
        chart.plot_bottom
    )
    assert chart.plot_top <= float(chart.lines[0].y) <= chart.plot_bottom
    labels = [float(t.label) for t in chart.y_ticks]
    assert labels[0] <= 0.5 and labels[-1] >= 2


def test_intake_bars_stack_supplements_on_food():
    point = charts.SeriesPoint(
        date(2026, 1, 1), Decimal(5), intake=IntakeBefore(Decimal(200), Decimal(100), 10)
    )
    chart = charts.line_chart(charts.Series("x", "X", "", [point]))
    bar = chart.bars[0]
    assert float(bar.food_height) == pytest.approx(2 * float(bar.supplement_height), abs=0.2)
    assert float(bar.food_y) + float(bar.food_height) == pytest.approx(chart.intake_bottom)
    assert float(bar.supplement_y) + float(bar.supplement_height) == pytest.approx(
        float(bar.food_y), abs=0.1
    )
