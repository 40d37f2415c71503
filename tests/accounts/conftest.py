import pytest

from tests.accounts.helpers import reauthenticate_in_browser_api
from tests.conftest import HttpsAPIClient


@pytest.fixture
def reauthenticated_api(user, password):
    """The person's API client, signed in and re-authenticated a moment ago, as the export
    needs."""
    c = HttpsAPIClient()
    c.force_login(user)
    reauthenticate_in_browser_api(c, password)
    return c
