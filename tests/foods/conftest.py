"""Fixtures shared by the food tests."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.db import transaction

from tests.accounts.helpers import sign_in


@pytest.fixture(scope="module")
def sr28(django_db_setup, django_db_blocker):
    """The full USDA SR28 release, loaded once for a module inside a transaction that is
    rolled back at the end, so other tests still start from an empty food table."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_usda", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin_client(client, staff_user):
    """A staff member signed in to the admin (staff reach it only with two-factor
    authentication turned on)."""
    TOTP.activate(staff_user, generate_totp_secret())
    sign_in(client, staff_user)
    return client
