"""The clinic's people (a dietitian, a consenting client) for the client's record and reports.

The PDF tests need WeasyPrint's system libraries: without them they are skipped with what to
install, and under CI=true (whose `.ci/run` installs them) that is an error instead."""

import os

import pytest

from nutrition.transfer import pdf
from tests.clinic.conftest import client_user, dietitian, relationship

__all__ = ["client_user", "dietitian", "relationship"]


def pytest_collection_modifyitems(config, items):
    mine = [item for item in items if "/tests/transfer/" in str(item.fspath)]
    if mine and not pdf.available() and os.environ.get("CI") == "true":
        raise pytest.UsageError(
            f"CI=true but WeasyPrint cannot run ({pdf.unavailable_reason()}): the PDF report "
            "tests must run. " + pdf.NEEDS
        )
