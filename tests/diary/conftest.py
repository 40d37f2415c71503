from datetime import date

import pytest

from accounts.models import Profile
from tests.diary.factories import spinach_boiled

DAY = date(2026, 2, 3)


def set_profile(user, **values) -> Profile:
    """Profile values for a test: a man born 20 January 1970 unless told otherwise."""
    defaults = {"sex": "male", "birth_date": date(1970, 1, 20), "life_stage": "none"}
    Profile.objects.filter(user=user).update(**{**defaults, **values})
    return Profile.objects.get(user=user)


@pytest.fixture
def day():
    return DAY


@pytest.fixture
def spinach(db):
    return spinach_boiled()


@pytest.fixture
def man_56(user):
    set_profile(user)
    return user
