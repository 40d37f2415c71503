"""The clinic's people (a dietitian, a consenting client) for the client's record."""

from tests.clinic.conftest import client_user, dietitian, relationship

__all__ = ["client_user", "dietitian", "relationship"]
