"""What the JSON API's OpenAPI schema says beyond the serializers: the errors every operation
can answer, and the limits the services enforce on fields they do not type.

`ApiSchema` (DRF's `DEFAULT_SCHEMA_CLASS`) adds to each operation the error answers it can
give, with their bodies:

- 400 (`ValidationError`, DRF's `{field: [messages]}`, or `{"detail": …}` for a body that cannot
  be read) when the operation reads a body or parameters other than ids and pages (unless its
  view says `refuses_parameters = False`: it reads what it can and ignores the rest);
- 403 (`ErrorDetail`) unless anyone may call it;
- 404 (`ErrorDetail`) when the address holds an id, a day or a slug, or the list has pages;
- 415 (`ErrorDetail`) when it reads a body (one in none of JSON, form or multipart encoding);
- 429 (`ErrorDetail` with Retry-After) when a throttle counts it.

A view declares any other error answer it gives (a 400 on a delete, a 409…) with
`extend_schema(responses={400: OpenApiResponse(description=…)})`; the body is filled in here.

`limits(field, …)` documents a field's limits that the services check (with their own
messages), such as `limits(DecimalField(), minimum=0, maximum=5000)`.

Imports no app of the project (any layer may use it)."""

from decimal import Decimal
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.fields import Field
from rest_framework.permissions import AllowAny

from mgsite.converters import DAY_REGEX

PAGE_PARAMETERS = frozenset({"page", "page_size"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

ERROR_DETAIL = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Each refused field named with its messages (`non_field_errors` for the "
    'request as a whole); a body that cannot be read at all is `{"detail": "…"}`.',
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object"},
        ]
    },
}
ERROR_SCHEMAS = {"400": ("ValidationError", VALIDATION_ERROR)}
DEFAULT_ERROR_SCHEMA = ("ErrorDetail", ERROR_DETAIL)
DESCRIPTIONS = {
    "400": "A parameter is refused; the body names it.",
    "403": "Not signed in with a verified e-mail address, or not allowed to do this.",
    "404": "No such object for you (another person's is not found either), or no such page.",
    "409": "The request conflicts with the current state.",
    "415": "The body is not JSON, a form or multipart form data.",
    "429": "Too many requests; try again after Retry-After seconds.",
}
BODY_REFUSED = "The request is refused, each wrong field named in the body; nothing was saved."
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}

_LIMITS_ATTRIBUTE = "_mgsite_schema_limits"


def limits(field: Field, **schema: Any) -> Field:
    """`field`, with limits (`minimum`, `maximum`, `exclusiveMinimum`, `maxLength`…) added to
    its schema. The field validates as before: the service behind it checks the limits and
    says what is wrong in its own words."""
    # On a subclass of the field's own: DRF copies declared fields for each serializer by
    # constructing them again from their arguments, which would drop an attribute.
    cls = type(field)
    attributes = {_LIMITS_ATTRIBUTE: {key: _plain(value) for key, value in schema.items()}}
    field.__class__ = type(cls.__name__, (cls,), {**attributes, "__module__": cls.__module__})
    return field


def _plain(value: Any) -> Any:
    """Decimals as JSON numbers: 5000 rather than "5000"."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class ApiSchema(AutoSchema):
    """drf-spectacular's AutoSchema with each operation's error answers and fields' limits."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        codes = self._error_codes(operation) | {code for code in responses if code >= "400"}
        for code in codes:
            responses[code] = self._error_response(code, responses.get(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        extra = getattr(field, _LIMITS_ATTRIBUTE, None)
        if extra and "$ref" not in schema:
            schema = {**schema, **extra}
            for bound in ("minimum", "maximum"):
                flag = f"exclusive{bound.title()}"
                if bound in extra and flag not in extra:
                    schema.pop(flag, None)
        return schema

    # --- Which errors an operation can answer -----------------------------------------------

    def _error_codes(self, operation: dict[str, Any]) -> set[str]:
        parameters = operation.get("parameters", [])
        codes = set()
        if self.method in BODY_METHODS:
            codes |= {"400", "415"}
        if getattr(self.view, "refuses_parameters", True) and any(
            self._checked(p) for p in parameters
        ):
            codes.add("400")
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.add("403")
        if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
            codes.add("404")
        if self.view.get_throttles():
            codes.add("429")
        return codes

    @staticmethod
    def _checked(parameter: dict[str, Any]) -> bool:
        """Whether the view checks this parameter's value (and refuses it with a 400): ids and
        slugs in the address only match or not (a 404), pages are DRF's (a 404 too)."""
        if parameter["in"] == "path":
            return parameter["schema"].get("pattern") == f"^{DAY_REGEX}$"
        return parameter["in"] == "query" and parameter["name"] not in PAGE_PARAMETERS

    def _error_response(self, code: str, declared: dict[str, Any] | None) -> dict[str, Any]:
        response = dict(declared or {})
        if not response.get("description"):
            response["description"] = DESCRIPTIONS.get(code, "Refused.")
            if code == "400" and self.method in BODY_METHODS:
                response["description"] = BODY_REFUSED
        if "content" not in response:
            name, schema = ERROR_SCHEMAS.get(code, DEFAULT_ERROR_SCHEMA)
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
            )
            self.registry.register_on_missing(component)
            response["content"] = {"application/json": {"schema": component.ref}}
        if code == "429":
            response["headers"] = {**RETRY_AFTER, **response.get("headers", {})}
        return response
