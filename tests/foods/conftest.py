"""Fixtures shared by the food tests."""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def sr28(django_db_setup, django_db_blocker):
    """The full USDA SR28 release, loaded once for a module inside a transaction that is
    rolled back at the end, so other tests still start from an empty food table."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_usda", verbosity=0)
        yield
        transaction.set_rollback(True)
