"""Reads: the day's totals, targets and warnings, ranges, and their query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from nutrition.diary import selectors
from tests.diary.conftest import set_profile
from tests.diary.factories import (
    DiaryEntryFactory,
    FoodFactory,
    SupplementFactory,
    SupplementIntakeFactory,
)

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 3)


def _day_with(user, spinach, n_entries: int, supplement_units: int = 2):
    food, cup = spinach
    for i in range(n_entries):
        DiaryEntryFactory(
            user=user,
            date=DAY,
            food=food,
            portion=cup,
            quantity=Decimal("0.5"),
            grams=90,
            meal=["breakfast", "lunch", "dinner", "snack"][i % 4],
        )
    supplement = SupplementFactory(user=user, elemental_mg_per_unit=Decimal("81"))
    if supplement_units:
        SupplementIntakeFactory(supplement=supplement, date=DAY, units=supplement_units)


def test_day_totals(man_56, spinach):
    _day_with(man_56, spinach, 2)
    DiaryEntryFactory(user=man_56, date=DAY + timedelta(days=1), food=spinach[0])  # not today
    summary = selectors.day_summary(user=man_56, day=DAY)
    assert summary.food_mg == Decimal("156.6")
    assert summary.supplement_mg == Decimal("162.0")
    assert summary.total_mg == Decimal("318.6")
    assert summary.target.rda_mg == 420 and summary.target.supplement_ul_mg == 350
    assert summary.percent_of_rda == 76
    assert summary.nutrients["energy_kcal"] == Decimal("41.4")
    assert summary.nutrients["protein"] == Decimal("5.3")
    assert "fiber" not in summary.nutrients
    assert [w.code for w in summary.warnings] == ["medicine_timing"]
    assert summary.top_contributors()[0].share_percent == 49


def test_supplement_above_ul_counts_supplements_only(man_56, spinach):
    food, _ = spinach
    DiaryEntryFactory(user=man_56, date=DAY, food=food, grams=2000)  # 1,740 mg from food
    summary = selectors.day_summary(user=man_56, day=DAY)
    assert not any(w.code == "supplement_above_ul" for w in summary.warnings)
    SupplementIntakeFactory(
        supplement__user=man_56, supplement__elemental_mg_per_unit=Decimal("351"), date=DAY
    )
    summary = selectors.day_summary(user=man_56, day=DAY)
    codes = [w.code for w in summary.warnings]
    assert "supplement_above_ul" in codes
    assert "351.0 mg" in summary.warnings[0].message and "350 mg" in summary.warnings[0].message


def test_exactly_the_ul_is_not_a_warning(man_56):
    SupplementIntakeFactory(
        supplement__user=man_56, supplement__elemental_mg_per_unit=Decimal("350"), date=DAY
    )
    summary = selectors.day_summary(user=man_56, day=DAY)
    assert "supplement_above_ul" not in [w.code for w in summary.warnings]


def test_childrens_ul(user):
    set_profile(user, sex="female", birth_date=date(2020, 1, 1))  # 6 years old: UL 110
    SupplementIntakeFactory(
        supplement__user=user, supplement__elemental_mg_per_unit=Decimal("120"), date=DAY
    )
    summary = selectors.day_summary(user=user, day=DAY)
    assert summary.target.rda_mg == 130
    assert "supplement_above_ul" in [w.code for w in summary.warnings]


def test_kidney_disease_warning_with_any_supplement(user):
    set_profile(user, kidney_disease=True)
    assert selectors.day_summary(user=user, day=DAY).warnings == []
    SupplementIntakeFactory(
        supplement__user=user, supplement__elemental_mg_per_unit=Decimal("50"), date=DAY
    )
    codes = [w.code for w in selectors.day_summary(user=user, day=DAY).warnings]
    assert codes == ["kidney_disease_supplement", "medicine_timing"]


def test_food_without_a_magnesium_value_is_named(man_56):
    unknown = FoodFactory(magnesium_mg_per_100g=None)
    DiaryEntryFactory(user=man_56, date=DAY, food=unknown)
    summary = selectors.day_summary(user=man_56, day=DAY)
    assert summary.food_mg == 0
    assert summary.unknown_magnesium_entries[0].food_id == unknown.pk


def test_target_changes_on_the_birthday(user):
    set_profile(user, sex="female", birth_date=date(2008, 5, 1))
    assert selectors.magnesium_target(user=user, day=date(2027, 4, 30)).rda_mg == 360
    assert selectors.magnesium_target(user=user, day=date(2027, 5, 1)).rda_mg == 310


def test_today_is_in_the_users_time_zone(user):
    set_profile(user, timezone="Pacific/Auckland")
    with freeze_time("2026-02-03 12:30:00"):  # 01:30 on the 4th in Auckland
        assert selectors.today_for(user=user) == date(2026, 2, 4)
    set_profile(user, timezone="America/Los_Angeles")
    with freeze_time("2026-02-03 05:00:00"):  # 21:00 on the 2nd in Los Angeles
        assert selectors.today_for(user=user) == date(2026, 2, 2)


@pytest.mark.parametrize("n_entries", [1, 40])
def test_day_summary_query_count_is_constant(man_56, spinach, n_entries):
    _day_with(man_56, spinach, n_entries)
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.day_summary(user=man_56, day=DAY)
        [e.magnesium_mg for e in summary.entries]
        [i.magnesium_mg for i in summary.intakes]
        summary.meals, summary.top_contributors()
    assert len(queries) == 4
    assert len(summary.entries) == n_entries


def test_range_summary(man_56, spinach):
    food, _ = spinach
    start = date(2026, 2, 1)
    DiaryEntryFactory(user=man_56, date=start, food=food, grams=500)  # 435 mg: meets 420
    DiaryEntryFactory(user=man_56, date=start + timedelta(days=2), food=food, grams=100)
    SupplementIntakeFactory(
        supplement__user=man_56,
        supplement__elemental_mg_per_unit=Decimal("100"),
        date=start + timedelta(days=2),
    )
    DiaryEntryFactory(date=start, food=food, grams=4000)  # someone else's
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.range_summary(user=man_56, start=start, end=start + timedelta(days=6))
    assert len(queries) == 4
    assert len(summary.days) == 7
    assert [d.total_mg for d in summary.days][:3] == [Decimal("435.0"), 0, Decimal("187.0")]
    assert summary.average_total_mg == Decimal("311.0")
    assert summary.days_meeting_rda == 1
    assert summary.percent_days_meeting_rda == 50
    assert summary.top_sources[0].magnesium_mg == Decimal("522.0")


def test_range_limits(user):
    with pytest.raises(ValueError):
        selectors.range_summary(user=user, start=DAY, end=DAY - timedelta(days=1))
    with pytest.raises(ValueError):
        selectors.range_summary(user=user, start=DAY, end=DAY + timedelta(days=400))


def test_a_dietitians_personal_target_replaces_the_reference(man_56):
    """The clinic keeps the target; the diary reads it through the registry."""
    from nutrition.clinic.models import PersonalTarget

    PersonalTarget.objects.create(client=man_56, magnesium_mg=Decimal("500"))
    target = selectors.magnesium_target(user=man_56, day=DAY)
    assert (target.rda_mg, target.set_by, target.supplement_ul_mg) == (500, "dietitian", 350)
    assert "420 mg" in target.basis
    summary = selectors.range_summary(user=man_56, start=DAY, end=DAY)
    assert summary.days[0].rda_mg == 500


def test_range_summary_reads_the_profile_once(user):
    from accounts.models import Profile

    Profile.objects.filter(user=user).delete()
    with CaptureQueriesContext(connection) as queries:
        selectors.range_summary(user=user, start=DAY, end=DAY + timedelta(days=30))
    assert len(queries) == 3  # the person, entries, doses (source names only when there are)


def test_gap_suggestion_picks_the_closest_household_measure(user):
    from tests.diary.factories import PortionFactory

    seeds = FoodFactory(
        name="Pumpkin seeds", magnesium_mg_per_100g=Decimal("592"), net_carbs_g_per_100g=5
    )
    PortionFactory(food=seeds, seq=1, amount=1, description="cup", gram_weight=129)
    PortionFactory(food=seeds, seq=2, amount=1, description="oz", gram_weight=Decimal("28.35"))
    rice = FoodFactory(name="Rice", magnesium_mg_per_100g=Decimal("10"))
    [suggestion] = selectors.gap_suggestions(user=user, remaining_mg=Decimal("81"))
    assert suggestion.food.pk == seeds.pk and suggestion.portion_label == "0.5 oz"
    assert suggestion.grams == 14 and suggestion.net_carbs_g == Decimal("0.7")
    suggested = [s.food.pk for s in selectors.gap_suggestions(user=user, remaining_mg=100)]
    assert seeds.pk in suggested and rice.pk not in suggested
    assert (
        selectors.gap_suggestions(user=user, remaining_mg=Decimal("81"), net_carbs_budget_g=0) == []
    )
    assert selectors.gap_suggestions(user=user, remaining_mg=Decimal("0")) == []


def test_day_summary_without_a_profile_row(user, spinach):
    from accounts.models import Profile

    food, _ = spinach
    Profile.objects.filter(user=user).delete()
    DiaryEntryFactory(user=user, date=DAY, food=food, grams=100)
    SupplementIntakeFactory(
        supplement__user=user, supplement__elemental_mg_per_unit=Decimal("400"), date=DAY
    )
    summary = selectors.day_summary(user=user, day=DAY)
    assert (summary.food_mg, summary.supplement_mg) == (Decimal("87.0"), Decimal("400.0"))
    assert summary.target.rda_mg == 420  # the label Daily Value stands in
    assert "supplement_above_ul" in [w.code for w in summary.warnings]


@pytest.mark.parametrize(
    ("remaining", "label", "grams"),
    [
        # 130 almonds of 1.2 g hold 156 g: a whole count keeps its zero (not "13 almond").
        (Decimal("421.2"), "130 almond", 156),
        # Under ten, quarters: 2.75 oz.
        (Decimal("200"), "2.75 oz", 78),
        # From ten up, whole units: 99.25 almonds are offered as 100.
        (Decimal("321.6"), "100 almond", 120),
    ],
)
def test_gap_suggestion_counts_read_as_people_count(user, remaining, label, grams):
    from tests.diary.factories import PortionFactory

    almonds = FoodFactory(name="Almonds", magnesium_mg_per_100g=Decimal("270"))
    if "almond" in label:
        PortionFactory(food=almonds, seq=1, amount=1, description="almond", gram_weight="1.2")
    else:
        PortionFactory(food=almonds, seq=1, amount=1, description="oz", gram_weight="28.35")
    [suggestion] = selectors.gap_suggestions(user=user, remaining_mg=remaining)
    assert (suggestion.portion_label, suggestion.grams) == (label, grams)


@pytest.mark.parametrize(
    ("exact", "count"),
    [
        (Decimal("0.1"), Decimal("0.25")),
        (Decimal("2.6"), Decimal("2.75")),
        (Decimal("3"), Decimal("3")),
        (Decimal("9.9"), Decimal("10")),
        (Decimal("99.25"), Decimal("100")),
        (Decimal("130"), Decimal("130")),
        (Decimal("130.01"), Decimal("131")),
    ],
)
def test_household_counts_cover_the_gap_in_quarters_then_whole_units(exact, count):
    assert selectors.household_count(exact) == count
