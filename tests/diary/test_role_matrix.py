"""Who can reach a person's diary: only the person. Another person, a dietitian with or
without the person's consent (the clinic has its own read-only views) and staff all get a
404 for the person's entries, doses and products, see none of them, and change nothing."""

from datetime import date
from decimal import Decimal

import pytest

from nutrition.clinic.models import CareRelationship
from nutrition.diary.models import DiaryEntry, Supplement, SupplementIntake
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import make_dietitian
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.diary.factories import DiaryEntryFactory, SupplementFactory, SupplementIntakeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 3)
OUTSIDERS = ["other", "dietitian_without_consent", "dietitian_with_consent", "staff"]


@pytest.fixture
def owners_day(user, spinach):
    food, cup = spinach
    entry = DiaryEntryFactory(
        user=user, date=DAY, food=food, portion=cup, quantity=Decimal("1"), grams=180
    )
    supplement = SupplementFactory(user=user, name="Owner's glycinate")
    dose = SupplementIntakeFactory(user=user, supplement=supplement, date=DAY)
    return entry, dose, supplement


def _outsider(role: str, owner):
    if role == "staff":
        return UserFactory(is_staff=True, is_superuser=True)
    if role == "other":
        return UserFactory()
    dietitian = make_dietitian()
    if role == "dietitian_with_consent":
        CareRelationship.objects.create(dietitian=dietitian, client=owner)
    return dietitian


def _unchanged(entry, dose, supplement) -> bool:
    return (
        DiaryEntry.objects.filter(pk=entry.pk, grams=entry.grams, meal=entry.meal).exists()
        and SupplementIntake.objects.filter(pk=dose.pk, units=dose.units).exists()
        and Supplement.objects.filter(pk=supplement.pk, archived=False).exists()
    )


@pytest.mark.parametrize("role", OUTSIDERS)
def test_api_gives_outsiders_404_and_nothing(user, owners_day, role):
    entry, dose, supplement = owners_day
    api = HttpsAPIClient()
    sign_in(api, _outsider(role, user))
    for url in (
        f"/api/v1/diary/entries/{entry.pk}/",
        f"/api/v1/diary/supplement-intakes/{dose.pk}/",
        f"/api/v1/supplements/{supplement.pk}/",
    ):
        assert api.get(url).status_code == 404
        assert api.patch(url, {"meal": "snack", "units": 5, "name": "x"}).status_code == 404
        assert api.delete(url).status_code == 404
    for url in ("/api/v1/diary/entries/", "/api/v1/supplements/"):
        assert api.get(url).json()["count"] == 0
    day = api.get(f"/api/v1/diary/days/{DAY.isoformat()}/").json()
    assert day["entries"] == [] and day["supplement_intakes"] == []  # their own, empty day
    assert _unchanged(entry, dose, supplement)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_pages_give_outsiders_404_and_nothing(user, owners_day, role):
    entry, dose, supplement = owners_day
    client = HttpsClient()
    sign_in(client, _outsider(role, user))
    assert client.get(f"/diary/entries/{entry.pk}/").status_code == 404
    form = {"meal": "snack", "amount": "2", "unit": "g"}
    assert client.post(f"/diary/entries/{entry.pk}/", form).status_code == 404
    assert client.post(f"/diary/entries/{entry.pk}/delete/").status_code == 404
    assert client.post(f"/diary/doses/{dose.pk}/delete/").status_code == 404
    assert client.post(f"/diary/supplements/{supplement.pk}/delete/").status_code == 404
    page = client.get(f"/diary/{DAY.isoformat()}/").content.decode()
    assert "Spinach" not in page and "Owner&#x27;s glycinate" not in page
    assert _unchanged(entry, dose, supplement)
