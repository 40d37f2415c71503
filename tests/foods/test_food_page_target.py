"""The food page measures magnesium against the signed-in person's own target."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Profile
from tests.diary.factories import spinach_boiled


@pytest.mark.django_db
def test_anonymous_visitors_see_the_daily_value(client):
    food, _cup = spinach_boiled()
    page = client.get(f"/foods/{food.pk}/").content.decode()
    assert "21% of the 420 mg Daily Value" in page  # 87 / 420


@pytest.mark.django_db
def test_signed_in_people_see_their_own_target(user_client, user):
    food, _cup = spinach_boiled()
    Profile.objects.filter(user=user).update(sex="female", birth_date=date(1990, 6, 15))
    page = user_client.get(f"/foods/{food.pk}/").content.decode()
    assert "27% of your 320 mg daily target" in page  # 87 / 320


@pytest.mark.django_db
def test_a_dietitians_target_is_named_as_such(user_client, user):
    food, _cup = spinach_boiled()
    Profile.objects.filter(user=user).update(magnesium_target_mg=Decimal("435"))
    page = user_client.get(f"/foods/{food.pk}/").content.decode()
    assert "20% of your dietitian&#x27;s 435 mg daily target" in page
