from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from accounts.models import Profile
from nutrition.clinic import services
from nutrition.clinic.models import CareRelationship
from tests.accounts.helpers import sign_in
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.diary.factories import DiaryEntryFactory, SupplementIntakeFactory, spinach_boiled
from tests.factories import UserFactory


def make_dietitian(**extra):
    dietitian = UserFactory(is_dietitian=True, **extra)
    TOTP.activate(dietitian, generate_totp_secret())
    return dietitian


def connect(dietitian, client) -> CareRelationship:
    return CareRelationship.objects.create(dietitian=dietitian, client=client)


@pytest.fixture
def dietitian(db):
    return make_dietitian(name="Dana Dietitian")


@pytest.fixture
def client_user(db):
    person = UserFactory(name="Carla Client")
    Profile.objects.filter(user=person).update(
        sex="female", birth_date=date(1990, 6, 15), timezone="UTC"
    )
    return person


@pytest.fixture
def relationship(dietitian, client_user):
    return connect(dietitian, client_user)


@pytest.fixture
def logged_day(client_user):
    """Today: 200 g boiled spinach (174 mg) and 400 mg from a supplement (over the UL)."""
    today = timezone.localdate()
    food, _cup = spinach_boiled()
    DiaryEntryFactory(user=client_user, date=today, food=food, grams=200)
    SupplementIntakeFactory(
        supplement__user=client_user, supplement__elemental_mg_per_unit=400, date=today
    )
    return today


def as_role(role: str, *, dietitian, client_user, api: bool):
    """A client (test client or API client) signed in as one of the roles of the matrix."""
    make = HttpsAPIClient if api else HttpsClient
    c = make()
    people = {
        "anonymous": None,
        "client": client_user,
        "stranger": UserFactory(),
        "dietitian_consented": dietitian,
        "dietitian_without_consent": make_dietitian(),
        "dietitian_revoked": None,
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }
    if role == "dietitian_revoked":
        other = make_dietitian()
        ended = connect(other, client_user)
        services.care_relationship_end(client=client_user, relationship_id=ended.pk)
        people[role] = other
    if people[role] is not None:
        sign_in(c, people[role])
    return c


def add_results(user, *rows, copies: int = 1) -> None:
    """Lab results of `user`: (analyte, value, unit, taken_on) each, `copies` times, stored as
    the health services store them (value kept as entered, converted to SI)."""
    from decimal import Decimal

    from nutrition import labs
    from nutrition.health.models import LabResult

    made = []
    for analyte, value, unit, taken_on in rows:
        info = labs.ANALYTES[analyte]
        number = Decimal(str(value))
        made += [
            LabResult(
                user=user,
                analyte=analyte,
                value=number,
                unit=unit,
                value_si=labs.to_si(info, number, unit),
                taken_on=taken_on,
            )
            for _ in range(copies)
        ]
    LabResult.objects.bulk_create(made)
