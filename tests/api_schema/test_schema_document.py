"""The OpenAPI schema itself: valid, without generator warnings, and saying what the API
answers. What the API really answers is held to it by `test_schemathesis.py`."""

import json

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from nutrition.clinic.services import MAX_EMAIL_LENGTH, MAX_TARGET_MG, MIN_TARGET_MG
from nutrition.diary import custom_foods
from nutrition.diary.models import (
    MAX_COMPOUND_MG_PER_UNIT,
    MAX_ELEMENTAL_MG_PER_UNIT,
    MAX_ENTRY_GRAMS,
    MAX_NET_CARBS_BUDGET_G,
    MAX_QUANTITY,
    MAX_UNITS,
)
from nutrition.foods.bounds import MIN_PORTION_GRAMS

BODY_METHODS = {"post", "put", "patch"}


def served_schema() -> dict:
    """What `/api/schema/` serves, built without a request (as `manage.py spectacular` does)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


@pytest.fixture(scope="module")
def document() -> dict:
    return served_schema()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_schema_is_valid_and_generates_without_warnings(tmp_path):
    # What `manage.py spectacular --validate --fail-on-warn` checks; it raises on a problem.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "api.yaml")


@pytest.mark.django_db
def test_the_served_schema_is_the_generated_one(client):
    assert client.get("/api/schema/?format=json").json() == served_schema()


def test_every_operation_documents_its_refusals(document):
    public = {"/api/v1/foods/", "/api/v1/foods/{id}/", "/api/v1/articles/"}
    public.add("/api/v1/articles/{slug}/")
    for path, method, operation in operations(document):
        answers = operation["responses"]
        where = f"{method.upper()} {path}"
        assert "429" in answers and "Retry-After" in answers["429"]["headers"], where
        assert ("403" in answers) is (path not in public), where
        if "{" in path or any(p["name"] == "page" for p in operation.get("parameters", [])):
            assert "404" in answers, where
        if method in BODY_METHODS:
            assert {"400", "415"} <= answers.keys(), where
            body = answers["400"]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ValidationError"}, where
        for code, answer in answers.items():
            if code >= "400":
                assert "application/json" in answer.get("content", {}), (where, code)


@pytest.mark.parametrize(
    ("where", "method", "status"),
    [
        ("/api/v1/me/foods/{id}/", "delete", "400"),  # still in the diary or a recipe
        ("/api/v1/me/recipes/{food_id}/", "delete", "400"),
        ("/api/v1/diary/foods/", "get", None),  # no such operation: the list is the truth
    ],
)
def test_operations_declare_their_own_refusals(document, where, method, status):
    if status is None:
        assert where not in document["paths"]
        return
    assert status in document["paths"][where][method]["responses"]


def test_lists_that_ignore_odd_parameters_do_not_claim_a_400(document):
    for path in ("/api/v1/articles/", "/api/v1/clinic/clients/"):
        assert "400" not in document["paths"][path]["get"]["responses"], path
    assert "400" in document["paths"]["/api/v1/foods/"]["get"]["responses"]


def test_pages_are_bounded(document):
    parameters = {
        p["name"]: p["schema"] for p in document["paths"]["/api/v1/foods/"]["get"]["parameters"]
    }
    assert parameters["page"]["minimum"] == 1
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 100)
    assert parameters["search"]["maxLength"] == 200


def _limits(schema: dict) -> tuple:
    return (
        schema.get("minimum"),
        schema.get("exclusiveMinimum", False),
        schema.get("maximum"),
        schema.get("exclusiveMaximum", False),
    )


ABOVE_ZERO = (0, True)


@pytest.mark.parametrize(
    ("component", "field", "expected"),
    [
        ("DiaryEntryRequest", "grams", (*ABOVE_ZERO, MAX_ENTRY_GRAMS, False)),
        ("DiaryEntryRequest", "quantity", (*ABOVE_ZERO, MAX_QUANTITY, False)),
        ("PatchedDiaryEntryRequest", "grams", (*ABOVE_ZERO, MAX_ENTRY_GRAMS, False)),
        ("SupplementRequest", "elemental_mg_per_unit", (*ABOVE_ZERO, 2000, False)),
        ("SupplementRequest", "compound_mg_per_unit", (*ABOVE_ZERO, 20000, False)),
        ("SupplementIntakeRequest", "units", (*ABOVE_ZERO, MAX_UNITS, False)),
        (
            "PatchedDiarySettingsRequest",
            "net_carbs_budget_g",
            (0, False, MAX_NET_CARBS_BUDGET_G, False),
        ),
        ("IngredientCreateRequest", "grams", (*ABOVE_ZERO, MAX_ENTRY_GRAMS, False)),
        ("IngredientCreateRequest", "quantity", (*ABOVE_ZERO, MAX_QUANTITY, False)),
        ("RecipeCreateRequest", "servings", (1, False, custom_foods.MAX_SERVINGS, False)),
        (
            "CustomFoodRequest",
            "serving_grams",
            (float(MIN_PORTION_GRAMS), False, MAX_ENTRY_GRAMS, False),
        ),
        ("PersonalTargetRequest", "magnesium_mg", (MIN_TARGET_MG, False, MAX_TARGET_MG, False)),
    ],
)
def test_numbers_carry_the_limits_the_services_enforce(document, component, field, expected):
    assert MAX_ELEMENTAL_MG_PER_UNIT == 2000 and MAX_COMPOUND_MG_PER_UNIT == 20000
    schema = document["components"]["schemas"][component]["properties"][field]
    assert _limits(schema) == expected


def test_custom_food_nutrients_carry_their_limits(document):
    properties = document["components"]["schemas"]["CustomFoodRequest"]["properties"]
    for key, (_label, _unit, most) in custom_foods.CUSTOM_NUTRIENTS.items():
        assert _limits(properties[key]) == (0, False, most, False), key
    assert properties["name"]["maxLength"] == custom_foods.NAME_MAX


@pytest.mark.parametrize(
    ("component", "field", "length"),
    [
        ("InvitationCreateRequest", "client_email", MAX_EMAIL_LENGTH),
        ("NoteRequest", "text", 2000),
        ("SupplementRequest", "name", 120),
        ("RecipeCreateRequest", "name", custom_foods.NAME_MAX),
        ("AcceptRequest", "token", 200),
        ("ProfileRequest", "timezone", 64),
    ],
)
def test_texts_carry_their_maximum_length(document, component, field, length):
    assert document["components"]["schemas"][component]["properties"][field]["maxLength"] == length


@pytest.mark.parametrize("path", ["/api/v1/me/fhir/", "/api/v1/clinic/clients/{client_id}/fhir/"])
def test_the_fhir_record_is_described(document, path):
    operation = document["paths"][path]["get"]
    ok = operation["responses"]["200"]["content"]
    assert list(ok) == ["application/fhir+json", "application/json"]
    assert ok["application/fhir+json"]["schema"] == {"$ref": "#/components/schemas/FhirBundle"}
    include = {p["name"]: p for p in operation["parameters"]}["include"]
    assert include["schema"]["enum"] == ["identity"]
    assert "format" not in {p["name"] for p in operation["parameters"]}
    bundle = document["components"]["schemas"]["FhirBundle"]["properties"]
    assert set(bundle) == {"resourceType", "type", "timestamp", "entry"}
