"""Schemathesis over the whole `/api/schema/`, signed in: no request to the API answers 500, and
every answer is one the schema documents, in the shape it documents.

Every operation of the schema is fuzzed in-process against the WSGI application, as a
verified dietitian who passed both factors and re-authenticated recently (so the export
answers), with a consenting client and a day of data of their own, so that the ids the
fuzzing reaches include ones that exist. The run is bounded (`MAX_EXAMPLES` per operation, a
fixed seed, derandomized) and marked `schemathesis`: `make test` leaves it out and `.ci/run`
runs it on its own on each database.
"""

import os
import time

import hypothesis.strategies as st
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mgsite.wsgi import application
from nutrition.diary import services as diary_services
from tests.api_schema.conftest import COUNTS
from tests.api_schema.test_schema_document import served_schema

pytestmark = [pytest.mark.schemathesis]

# Per operation, in the fuzzing phase (the examples and coverage phases add their own cases).
# `SCHEMATHESIS_MAX_EXAMPLES=200` searches harder; CI keeps the bounded default.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))
SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20260204"))
BASE_URL = "https://localhost"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Re-authenticate before the export once this much of allauth's 300 s has passed.
REAUTHENTICATE_AFTER_SECONDS = 200


# What `/api/schema/` serves (`test_the_served_schema_is_the_generated_one` holds them equal),
# built without a request so that pytest can collect one test per operation.
schema = schemathesis.openapi.from_dict(
    served_schema(),
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "base-url": BASE_URL,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                # Signed in as `fuzz_person`; anonymous answers are tests/test_access.py's.
                "with-security-parameters": False,
            },
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)
schema.app = application  # in-process, through the WSGI application
_person = {}  # the signed-in person of the running test, for the hook below


@schema.hook
def before_generate_path_parameters(context, strategy):
    """Besides whatever the schema allows, the ids and days that exist for the person."""
    person = _person.get("current")
    known = person.known.get(context.operation.path) if person and context.operation else None
    if not known:
        return strategy
    existing = st.fixed_dictionaries({name: st.sampled_from(v) for name, v in known.items()})
    return st.one_of(existing, strategy)


def _with_known_fields(strategy):
    """`strategy`, or what it draws with the fields that exist for the person (foods, portions,
    supplements, an invitation's token, days in the diary), so that more requests get past
    "not found" and "no such day" to what they do."""
    person = _person.get("current")
    if person is None:
        return strategy

    def with_known(value):
        if not isinstance(value, dict):
            return st.just(value)
        fields = {k: st.sampled_from(v) for k, v in person.known_fields.items() if k in value}
        return st.fixed_dictionaries(fields).map(lambda known: {**value, **known})

    return st.one_of(strategy, strategy.flatmap(with_known))


@schema.hook
def before_generate_body(context, strategy):
    return _with_known_fields(strategy)


@schema.hook
def before_generate_query(context, strategy):
    return _with_known_fields(strategy)


def _at_a_known_address(case, person) -> None:
    """A coverage-phase case that varies the body or the query (not the address) goes to an
    object that exists, so that the variation reaches the checks instead of a 404."""
    known = person.known.get(case.operation.path)
    phase = case.meta.phase if case.meta else None
    if not known or phase is None or phase.name.value != "coverage":
        return
    location = getattr(phase.data, "parameter_location", None)
    if getattr(location, "value", location) == "path":
        return
    case.path_parameters = {name: values[0] for name, values in known.items()}


@pytest.fixture
def signed_in(fuzz_person, monkeypatch):
    # Limits that count requests would turn later cases into 429s (documented, so they would
    # pass, but test nothing more): raised for this test only.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {scope: "100000/min" for scope in SimpleRateThrottle.THROTTLE_RATES},
    )
    monkeypatch.setattr(diary_services, "MAX_NEW_ENTRIES_PER_MINUTE", 100_000)
    monkeypatch.setattr(diary_services, "MAX_NEW_DOSES_PER_MINUTE", 100_000)
    _person["current"] = fuzz_person
    # Requests go to the WSGI application itself, not through Django's test client, which
    # keeps Django from closing the test's database connection (inside its transaction) at
    # the end of each request: so do the same here.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield fuzz_person
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    _person.clear()


@schema.parametrize()
@pytest.mark.django_db
# One signed-in person and one database transaction serve all the cases of an operation, on
# purpose: what one case wrote is there for the next.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_answer_is_documented_and_never_a_500(case, signed_in):
    """A 500's traceback is in the failure's captured log (Django logs it)."""
    if case.path == "/api/v1/me/export/" and (
        time.monotonic() - signed_in.reauthenticated_at > REAUTHENTICATE_AFTER_SECONDS
    ):
        signed_in.reauthenticate()
    _at_a_known_address(case, signed_in)
    COUNTS.operations.add(case.operation.label)
    COUNTS.cases += 1
    response = case.call_and_validate(base_url=BASE_URL, headers=signed_in.headers(), checks=CHECKS)
    COUNTS.count(case.operation.label, response.status_code)
