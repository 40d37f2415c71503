"""`manage.py seed_demo`: a believable demo diary, credentials printed once."""

import io
from decimal import Decimal

import pytest
from allauth.mfa.utils import is_mfa_enabled
from django.core.management import call_command

from accounts.models import User
from nutrition.clinic.management.commands import seed_demo
from nutrition.clinic.models import CareRelationship
from nutrition.diary import selectors
from nutrition.diary.models import DiaryEntry, SupplementIntake
from tests.diary.factories import DataSourceFactory, FoodFactory, PortionFactory

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _sr28(ndb: str, mg: str, portion: str | None = None, grams: str = "100"):
    food = FoodFactory(
        data_source=DataSourceFactory(slug="usda-sr28"),
        source_id=ndb,
        data_type="sr_legacy",
        magnesium_mg_per_100g=Decimal(mg),
    )
    if portion:
        PortionFactory(food=food, seq=1, amount=1, description=portion, gram_weight=grams)
    return food


def test_without_food_data_the_accounts_are_still_made():
    output = _run()
    assert "not loaded" in output and "demo@example.com" in output
    demo = User.objects.get(email="demo@example.com")
    assert demo.emailaddress_set.get().verified
    assert User.objects.get(email="admin@example.com").is_superuser
    assert not DiaryEntry.objects.exists()
    dietitian = User.objects.get(email="dietitian@example.com")
    assert dietitian.is_dietitian and is_mfa_enabled(dietitian)
    assert CareRelationship.objects.active().filter(dietitian=dietitian, client=demo).exists()
    assert "two-factor secret:" in output


def test_sixty_days_of_entries_and_one_ul_warning():
    # Every food the menus name, with a portion matching the menu's, at a typical value.
    made = set()
    for ndb, hint, _, grams in seed_demo.MENU_ITEMS:
        if ndb not in made:
            made.add(ndb)
            _sr28(ndb, "60", hint or None, grams)
    output = _run()
    assert "days of meals and supplements" in output
    assert output.count("password:") == 3
    demo = User.objects.get(email="demo@example.com")
    dates = DiaryEntry.objects.filter(user=demo).dates("date", "day")
    assert 45 <= len(dates) <= 60
    assert (max(dates) - min(dates)).days <= 59
    assert SupplementIntake.objects.filter(user=demo).exists()
    today = selectors.today_for(user=demo)
    summary = selectors.range_summary(user=demo, start=min(dates), end=today)
    assert 150 < summary.average_total_mg < 1200  # believable daily totals
    warned = [
        d
        for d in summary.days
        if "supplement_above_ul"
        in [w.code for w in selectors.day_summary(user=demo, day=d.day).warnings]
    ]
    assert len(warned) == 1
    # A second run changes nothing and prints no password.
    count = DiaryEntry.objects.count()
    assert "exists already" in _run() and DiaryEntry.objects.count() == count
    assert "password:" in _run("--reset")
