"""The food page measures magnesium against the signed-in person's own target."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Profile
from nutrition.clinic.models import PersonalTarget
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
    PersonalTarget.objects.create(client=user, magnesium_mg=Decimal("435"))
    page = user_client.get(f"/foods/{food.pk}/").content.decode()
    assert "20% of your dietitian&#x27;s 435 mg daily target" in page


@pytest.mark.django_db
def test_add_to_diary_from_the_food_page(user_client, user):
    from nutrition.diary.models import DiaryEntry

    food, cup = spinach_boiled()
    page = user_client.get(f"/foods/{food.pk}/").content.decode()
    assert "Add to today's diary" in page and 'action="/diary/add/"' in page
    response = user_client.post(
        "/diary/add/", {"food": food.pk, "amount": "0.5", "unit": cup.pk, "meal": "dinner"}
    )
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(user=user)
    assert entry.grams == Decimal("90.00") and entry.meal == "dinner"
    bad = user_client.post("/diary/add/", {"food": food.pk, "amount": "-1", "unit": "g"})
    assert bad.status_code == 400 and DiaryEntry.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_visitors_get_no_add_form(client):
    food, _cup = spinach_boiled()
    assert b"/diary/add/" not in client.get(f"/foods/{food.pk}/").content
    assert client.post("/diary/add/", {"food": food.pk}).status_code == 302
