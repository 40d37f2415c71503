"""One arithmetic for magnesium (nutrition/amounts.py), everywhere a day is shown.

Random days of entries and doses: the meals add up to the day's food figure, food plus
supplements is the total, and the day API, the summary API, the CSV export, the dietitian's
view of the day and the dietitian's board all show the same figures. Then the worked
examples that were wrong before: a dose of 0.25 × 313 mg, three entries of 0.05 mg, a cup of
spinach on the food page.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nutrition import amounts
from nutrition.diary import selectors
from nutrition.diary.models import DiaryEntry, Meal, SupplementIntake
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import connect, make_dietitian
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.diary.factories import FoodFactory, SupplementFactory
from tests.factories import UserFactory

grams = st.decimals(min_value="0.01", max_value="1500", places=2)
per_100g = st.one_of(st.none(), st.decimals(min_value="0", max_value="800", places=3))
entries = st.lists(st.tuples(st.sampled_from(Meal.values), grams, per_100g), max_size=12)
doses = st.lists(
    st.tuples(
        st.decimals(min_value="0.01", max_value="5", places=2),
        st.decimals(min_value="0.1", max_value="500", places=1),
    ),
    max_size=4,
)


def _number(value) -> Decimal:
    return Decimal(str(value))


def _csv_day(client, day) -> dict[str, Decimal]:
    response = client.get("/diary/export.csv")
    rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    return {
        row[3]: Decimal(row[6])
        for row in rows
        if row[0] == day.isoformat() and row[1] == "day total"
    }


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(day_entries=entries, day_doses=doses)
def test_every_view_of_a_day_shows_the_same_figures_and_they_add_up(day_entries, day_doses):
    person, dietitian = UserFactory(), make_dietitian()
    connect(dietitian, person)
    day = timezone.now().date()  # the person's today (UTC), so the board sees it too
    for meal, weight, value in day_entries:
        food = FoodFactory(magnesium_mg_per_100g=value)
        DiaryEntry.objects.create(user=person, date=day, meal=meal, food=food, grams=weight)
    for units, per_unit in day_doses:
        supplement = SupplementFactory(user=person, elemental_mg_per_unit=per_unit)
        SupplementIntake.objects.create(user=person, date=day, supplement=supplement, units=units)

    summary = selectors.day_summary(user=person, day=day)
    assert sum((m.magnesium_mg for m in summary.meals), Decimal(0)) == summary.food_mg
    assert summary.food_mg + summary.supplement_mg == summary.total_mg
    # Each figure is its exact sum rounded half-up to 0.1 (meals, then supplements).
    for meal in summary.meals:
        exact = amounts.total(e.magnesium_exact for e in meal.entries)
        assert meal.magnesium_mg == exact.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")

    api = sign_in(HttpsAPIClient(), person)
    shown = api.get(f"/api/v1/diary/days/{day}/").json()["magnesium"]
    figures = {
        "from food": _number(shown["food_mg"]),
        "from supplements": _number(shown["supplement_mg"]),
        "total": _number(shown["total_mg"]),
    }
    assert figures == {
        "from food": summary.food_mg,
        "from supplements": summary.supplement_mg,
        "total": summary.total_mg,
    }
    assert figures["from food"] + figures["from supplements"] == figures["total"]

    ranged = api.get("/api/v1/diary/summary/", {"start": day, "end": day}).json()["days"][0]
    assert (
        _number(ranged["food_mg"]),
        _number(ranged["supplement_mg"]),
        _number(ranged["total_mg"]),
    ) == (figures["from food"], figures["from supplements"], figures["total"])

    if day_entries or day_doses:
        assert _csv_day(sign_in(HttpsClient(), person), day) == figures

    clinic = sign_in(HttpsAPIClient(), dietitian)
    seen = clinic.get(f"/api/v1/clinic/clients/{person.pk}/days/{day}/").json()["magnesium"]
    assert _number(seen["total_mg"]) == figures["total"]
    board = clinic.get("/api/v1/clinic/clients/").json()["results"][0]
    if day_entries or day_doses:  # the 7-day average of one logged day is that day
        assert _number(board["average_magnesium_mg_7d"]) == figures["total"]


# --- The examples that disagreed before -----------------------------------------------------------


@pytest.mark.django_db
def test_a_quarter_dose_of_313_mg_is_78_3_mg_on_every_view(user):
    """0.25 × 313 mg = 78.25 mg: half-up is 78.3, on the day, the trends and the board."""
    day = timezone.now().date()
    dietitian = make_dietitian()
    connect(dietitian, user)
    supplement = SupplementFactory(user=user, elemental_mg_per_unit=Decimal("313"))
    SupplementIntake.objects.create(user=user, date=day, supplement=supplement, units="0.25")
    page = sign_in(HttpsClient(), user)
    assert "78.3 mg" in page.get(f"/diary/{day}/").content.decode()
    assert ">78.3<" in page.get("/diary/trends/", {"days": 7}).content.decode()
    board = sign_in(HttpsClient(), dietitian).get("/clinic/").content.decode()
    assert "78.3" in board and "78.2" not in board


@pytest.mark.django_db
def test_three_entries_of_0_05_mg_make_the_same_meal_and_day_total(user):
    day = timezone.now().date()
    tiny = FoodFactory(magnesium_mg_per_100g=Decimal("0.5"))  # 10 g hold 0.05 mg
    for _ in range(3):
        DiaryEntry.objects.create(user=user, date=day, meal="lunch", food=tiny, grams=10)
    summary = selectors.day_summary(user=user, day=day)
    lunch = next(m for m in summary.meals if m.meal == "lunch")
    assert lunch.magnesium_mg == summary.food_mg == summary.total_mg == Decimal("0.2")
