"""The write rules: good input is saved, bad input raises ValidationError and saves nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nutrition.diary import services
from nutrition.diary.models import DiaryEntry, Supplement, SupplementIntake
from tests.diary.factories import (
    DiaryEntryFactory,
    FoodFactory,
    PortionFactory,
    SupplementFactory,
    SupplementIntakeFactory,
)

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 3)


def test_entry_by_portion_half_a_cup(user, spinach):
    food, cup = spinach
    entry = services.diary_entry_create(
        user=user, day=DAY, meal="dinner", food_id=food.pk, portion_id=cup.pk, quantity="0.5"
    )
    assert entry.grams == Decimal("90.00")
    assert entry.magnesium_mg == Decimal("78.3")


def test_entry_by_portion_defaults_to_the_portions_amount(user, spinach):
    food, cup = spinach
    entry = services.diary_entry_create(
        user=user, day=DAY, meal="dinner", food_id=food.pk, portion_id=cup.pk
    )
    assert (entry.quantity, entry.grams) == (Decimal("1.000"), Decimal("180.00"))


def test_portion_with_an_amount_other_than_one(user):
    food = FoodFactory(magnesium_mg_per_100g=Decimal("20"))
    oz = PortionFactory(food=food, amount=3, description="oz", gram_weight=85)
    entry = services.diary_entry_create(
        user=user, day=DAY, meal="lunch", food_id=food.pk, portion_id=oz.pk, quantity=6
    )
    assert entry.grams == Decimal("170.00")


def test_entry_by_grams(user, spinach):
    food, _ = spinach
    entry = services.diary_entry_create(
        user=user, day=DAY, meal="lunch", food_id=food.pk, grams="100"
    )
    assert entry.portion is None and entry.magnesium_mg == Decimal("87.0")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"grams": "-1"}, "grams"),
        ({"grams": "0"}, "grams"),
        ({"grams": "5000.01"}, "grams"),
        ({"grams": "abc"}, "grams"),
        ({"grams": "NaN"}, "grams"),
        ({"grams": None}, "grams"),
        ({"meal": "brunch"}, "meal"),
        ({"day": "2026-02-30"}, "date"),
        ({"day": date(1800, 1, 1)}, "date"),
        ({"day": date(2099, 1, 1)}, "date"),
        ({"food_id": 999999}, "food"),
        ({"food_id": "x"}, "food"),
    ],
)
def test_bad_entries_save_nothing(user, spinach, changes, field):
    food, _ = spinach
    values = {"user": user, "day": DAY, "meal": "lunch", "food_id": food.pk, "grams": "100"}
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        services.diary_entry_create(**values)
    assert field in caught.value.message_dict
    assert DiaryEntry.objects.count() == 0


def test_portion_of_another_food_is_refused(user, spinach):
    food, _ = spinach
    other_portion = PortionFactory()
    with pytest.raises(ValidationError) as caught:
        services.diary_entry_create(
            user=user, day=DAY, meal="lunch", food_id=food.pk, portion_id=other_portion.pk
        )
    assert "portion" in caught.value.message_dict
    assert DiaryEntry.objects.count() == 0


def test_portion_quantity_over_5_kg_is_refused(user, spinach):
    food, cup = spinach
    with pytest.raises(ValidationError) as caught:
        services.diary_entry_create(
            user=user, day=DAY, meal="lunch", food_id=food.pk, portion_id=cup.pk, quantity=30
        )
    assert "quantity" in caught.value.message_dict


def test_grams_and_portion_together_are_refused(user, spinach):
    food, cup = spinach
    with pytest.raises(ValidationError):
        services.diary_entry_create(
            user=user, day=DAY, meal="lunch", food_id=food.pk, portion_id=cup.pk, grams=10
        )


def test_another_users_private_food_is_refused(user, other_user):
    private = FoodFactory(owner=other_user, data_type="custom")
    with pytest.raises(ValidationError) as caught:
        services.diary_entry_create(user=user, day=DAY, meal="lunch", food_id=private.pk, grams=100)
    assert "food" in caught.value.message_dict
    own = FoodFactory(owner=user, data_type="custom")
    assert services.diary_entry_create(user=user, day=DAY, meal="lunch", food_id=own.pk, grams=1)


def test_update_quantity_keeps_the_portion(user, spinach):
    food, cup = spinach
    entry = services.diary_entry_create(
        user=user, day=DAY, meal="dinner", food_id=food.pk, portion_id=cup.pk, quantity="0.5"
    )
    services.diary_entry_update(user=user, entry=entry, quantity="2")
    entry.refresh_from_db()
    assert (entry.portion, entry.grams) == (cup, Decimal("360.00"))
    services.diary_entry_update(user=user, entry=entry, grams="50", meal="snack")
    entry.refresh_from_db()
    assert (entry.portion, entry.quantity, entry.grams, entry.meal) == (
        None,
        None,
        Decimal("50.00"),
        "snack",
    )


def test_update_with_bad_input_changes_nothing(user, spinach):
    food, _ = spinach
    entry = services.diary_entry_create(
        user=user, day=DAY, meal="dinner", food_id=food.pk, grams=100
    )
    with pytest.raises(ValidationError):
        services.diary_entry_update(user=user, entry=entry, grams="-5", meal="lunch")
    with pytest.raises(ValidationError):
        services.diary_entry_update(user=user, entry=entry, quantity="2")  # a grams entry
    with pytest.raises(ValidationError):
        services.diary_entry_update(user=user, entry=entry, portion_id=PortionFactory().pk)
    entry.refresh_from_db()
    assert (entry.grams, entry.meal) == (Decimal("100.00"), "dinner")


def test_switching_food_of_a_portion_entry_needs_a_new_amount(user, spinach):
    food, cup = spinach
    entry = services.diary_entry_create(
        user=user, day=DAY, meal="dinner", food_id=food.pk, portion_id=cup.pk
    )
    with pytest.raises(ValidationError) as caught:
        services.diary_entry_update(user=user, entry=entry, food_id=FoodFactory().pk)
    assert "portion" in caught.value.message_dict


def test_another_users_entry_cannot_be_changed(user, other_user):
    entry = DiaryEntryFactory(user=other_user)
    with pytest.raises(DiaryEntry.DoesNotExist):
        services.diary_entry_update(user=user, entry=entry, grams=1)
    with pytest.raises(DiaryEntry.DoesNotExist):
        services.diary_entry_delete(user=user, entry=entry)
    assert DiaryEntry.objects.filter(pk=entry.pk).exists()


def test_copy_a_day_and_a_meal(user):
    yesterday, today = date(2026, 2, 2), DAY
    DiaryEntryFactory(user=user, date=yesterday, meal="breakfast")
    DiaryEntryFactory(user=user, date=yesterday, meal="lunch")
    DiaryEntryFactory(date=yesterday)  # someone else's
    assert len(services.diary_copy(user=user, source_day=yesterday, target_day=today).entries) == 2
    copied = services.diary_copy(
        user=user, source_day=yesterday, target_day=today, meal="lunch", target_meal="dinner"
    )
    assert [e.meal for e in copied.entries] == ["dinner"]
    assert DiaryEntry.objects.filter(user=user, date=today).count() == 3
    with pytest.raises(ValidationError):
        services.diary_copy(user=user, source_day=date(2026, 1, 1), target_day=today)


def test_supplement_by_salt_weight(user):
    supplement = services.supplement_create(
        user=user, name="Citrate tablets", form="citrate", compound_mg_per_unit="500"
    )
    assert supplement.elemental_mg_per_unit == Decimal("81.0")
    assert supplement.compound_mg_per_unit == Decimal("500")


def test_supplement_by_elemental_amount(user):
    supplement = services.supplement_create(
        user=user, name="Mix", form="other", elemental_mg_per_unit="120"
    )
    assert supplement.elemental_mg_per_unit == Decimal("120.0")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"form": "other", "compound_mg_per_unit": "500"}, "elemental_mg_per_unit"),
        ({"form": "unobtainium", "elemental_mg_per_unit": "100"}, "form"),
        ({"form": "citrate"}, "elemental_mg_per_unit"),
        ({"form": "citrate", "elemental_mg_per_unit": "0"}, "elemental_mg_per_unit"),
        ({"form": "citrate", "elemental_mg_per_unit": "2001"}, "elemental_mg_per_unit"),
        ({"form": "citrate", "compound_mg_per_unit": "-5"}, "compound_mg_per_unit"),
        ({"form": "citrate", "elemental_mg_per_unit": "100", "name": " "}, "name"),
    ],
)
def test_bad_supplements_save_nothing(user, values, field):
    values = {"name": "Tablets", **values}
    with pytest.raises(ValidationError) as caught:
        services.supplement_create(user=user, **values)
    assert field in caught.value.message_dict
    assert Supplement.objects.count() == 0


def test_supplement_update_recomputes_from_the_salt(user):
    supplement = services.supplement_create(
        user=user, name="Tablets", form="citrate", compound_mg_per_unit="500"
    )
    services.supplement_update(user=user, supplement=supplement, form="glycinate")
    assert supplement.elemental_mg_per_unit == Decimal("70.5")
    services.supplement_update(user=user, supplement=supplement, elemental_mg_per_unit="100")
    assert (supplement.elemental_mg_per_unit, supplement.compound_mg_per_unit) == (
        Decimal("100.0"),
        None,
    )


def test_deleting_a_supplement_with_doses_archives_it(user):
    used = SupplementIntakeFactory(supplement__user=user).supplement
    unused = SupplementFactory(user=user)
    services.supplement_delete(user=user, supplement=used)
    services.supplement_delete(user=user, supplement=unused)
    used.refresh_from_db()
    assert used.archived
    assert not Supplement.objects.filter(pk=unused.pk).exists()


def test_intake_rules(user, other_user):
    mine = SupplementFactory(user=user, elemental_mg_per_unit=Decimal("81"))
    theirs = SupplementFactory(user=other_user)
    intake = services.supplement_intake_create(user=user, day=DAY, supplement_id=mine.pk, units="2")
    assert intake.magnesium_mg == Decimal("162.0")
    for bad in ({"supplement_id": theirs.pk}, {"units": "0"}, {"units": "101"}, {"day": None}):
        with pytest.raises(ValidationError):
            services.supplement_intake_create(
                **{"user": user, "day": DAY, "supplement_id": mine.pk, **bad}
            )
    assert SupplementIntake.objects.count() == 1
    with pytest.raises(ValidationError):
        services.supplement_intake_update(user=user, intake=intake, supplement_id=theirs.pk)
    services.supplement_intake_update(user=user, intake=intake, units="1")
    assert intake.units == Decimal("1.00")


@pytest.mark.parametrize(
    ("field", "value"),
    [("grams", Decimal("0")), ("grams", Decimal("5001")), ("quantity", Decimal("-1"))],
)
def test_database_constraints_back_the_rules(user, field, value):
    entry = DiaryEntryFactory.build(user=user, food=FoodFactory(), date=DAY)
    setattr(entry, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_favourites(user, other_user):
    food = FoodFactory()
    assert services.favourite_set(user=user, food_id=food.pk, favourite=True)
    services.favourite_set(user=user, food_id=food.pk, favourite=True)
    assert user.favourite_foods.count() == 1
    with pytest.raises(ValidationError):
        services.favourite_set(user=user, food_id=FoodFactory(owner=other_user).pk, favourite=True)
    services.favourite_set(user=user, food_id=food.pk, favourite=False)
    assert user.favourite_foods.count() == 0


def test_account_deletion_takes_custom_foods_and_entries(user):
    from accounts.services import account_delete

    own = FoodFactory(owner=user, data_type="custom")
    DiaryEntryFactory(user=user, food=own)
    SupplementIntakeFactory(supplement__user=user)
    account_delete(user=user)
    assert DiaryEntry.objects.count() == 0 and SupplementIntake.objects.count() == 0


@pytest.mark.parametrize(
    ("call", "field"),
    [
        ({"grams": "0.001"}, "grams"),
        ({"grams": "1e400"}, "grams"),
        ({"grams": "-1e400"}, "grams"),
        ({"portion": True, "quantity": "0.0001"}, "quantity"),
        ({"portion": True, "quantity": "1e400"}, "quantity"),
    ],
)
def test_amounts_that_round_to_nothing_or_overflow_are_refused(user, spinach, call, field):
    food, cup = spinach
    values = {"user": user, "day": DAY, "meal": "lunch", "food_id": food.pk}
    if call.pop("portion", False):
        values["portion_id"] = cup.pk
    values.update(call)
    with pytest.raises(ValidationError) as caught:
        services.diary_entry_create(**values)
    assert field in caught.value.message_dict


@pytest.mark.parametrize("units", ["0.001", "1e400", "1e-400"])
def test_tiny_or_huge_doses_are_refused(user, units):
    supplement = SupplementFactory(user=user)
    with pytest.raises(ValidationError):
        services.supplement_intake_create(
            user=user, day=DAY, supplement_id=supplement.pk, units=units
        )


@pytest.mark.parametrize(
    "values",
    [
        {"elemental_mg_per_unit": "0.01"},
        {"elemental_mg_per_unit": "1e400"},
        {"compound_mg_per_unit": "0.01"},
        {"compound_mg_per_unit": "1e400"},
    ],
)
def test_tiny_or_huge_supplement_amounts_are_refused(user, values):
    with pytest.raises(ValidationError):
        services.supplement_create(user=user, name="X", form="citrate", **values)


@pytest.mark.parametrize("units", ["-1e400", "-0.001"])
def test_negative_huge_doses_are_refused(user, units):
    supplement = SupplementFactory(user=user)
    with pytest.raises(ValidationError):
        services.supplement_intake_create(
            user=user, day=DAY, supplement_id=supplement.pk, units=units
        )
    with pytest.raises(ValidationError):
        services.supplement_create(user=user, name="X", form="oxide", compound_mg_per_unit=units)
    with pytest.raises(ValidationError):
        services.supplement_create(user=user, name="X", form="oxide", elemental_mg_per_unit=units)
