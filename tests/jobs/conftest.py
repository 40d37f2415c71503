from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Load every view now: the jobs reverse URLs, and a module first imported under freeze_time
# keeps freezegun's clock (DRF's throttles take `time.time` when they are imported).
import mgsite.urls  # noqa: F401
from accounts.models import Profile
from outbox.models import OutboxMessage
from outbox.services import email_queue
from tests.diary.factories import (
    DiaryEntryFactory,
    FoodFactory,
    SupplementIntakeFactory,
    spinach_boiled,
)
from tests.factories import UserFactory

# A Monday. The week summarised on it is Monday 23 to Sunday 29 November 2026 (2026-W48).
MONDAY = date(2026, 11, 30)
LAST_WEEK = [date(2026, 11, 23 + n) for n in range(7)]


def opted_in(**extra):
    person = UserFactory(**extra)
    Profile.objects.filter(user=person).update(
        sex="female", birth_date=date(1990, 6, 15), timezone="UTC", weekly_summary=True
    )
    return person


def week_of(person, *, spinach=None, rich=None):
    """Mon 23: 200 g spinach (174 mg) + 100 g of a 200 mg food; Wed 25: a 400 mg supplement
    (the UL is 350 mg); Sun 29: 100 g spinach (87 mg). Outside the week: Sun 22 and Mon 30."""
    spinach = spinach or spinach_boiled()[0]
    rich = rich or FoodFactory(name="Pumpkin seeds", magnesium_mg_per_100g=Decimal("200"))
    DiaryEntryFactory(user=person, date=LAST_WEEK[0], food=spinach, grams=200)
    DiaryEntryFactory(user=person, date=LAST_WEEK[0], food=rich, grams=100)
    SupplementIntakeFactory(
        supplement__user=person, supplement__elemental_mg_per_unit=400, date=LAST_WEEK[2]
    )
    DiaryEntryFactory(user=person, date=LAST_WEEK[6], food=spinach, grams=100)
    DiaryEntryFactory(user=person, date=date(2026, 11, 22), food=rich, grams=500)
    DiaryEntryFactory(user=person, date=MONDAY, food=rich, grams=500)
    return spinach, rich


def outbox_cost() -> int:
    """Queries one `email_queue` call costs (what every job pays per message sent)."""
    with CaptureQueriesContext(connection) as captured:
        email_queue(
            to="probe@example.com", subject="probe", text="probe", key="probe", category="probe"
        )
    OutboxMessage.objects.filter(key="probe").delete()
    return len(captured)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://mg.example.org"
