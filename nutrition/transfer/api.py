"""The record as FHIR in the JSON API: the person's own, and a consenting client's for their
dietitian.

The answer is `application/fhir+json` (FHIR's own media type) unless the request asks for
`application/json` in its Accept header; the body is the same. Refusals are plain
`application/json`, as everywhere else in the API. Four queries (the profile, the results,
the diary's entries and doses) whatever the size of the record, plus the consent check and
the access-log row for a dietitian.
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from mgsite.api_schema import limits
from mgsite.dates import EARLIEST_DAY, LATEST_DAY
from nutrition.clinic import selectors as clinic_selectors
from nutrition.clinic.permissions import IsClinicMember
from nutrition.diary import selectors as diary_selectors
from nutrition.health import selectors as health_selectors
from nutrition.transfer import fhir

IDENTITY = "identity"
CLIENT_RECORD = "health record (FHIR export)"


class FhirJsonRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


# --- What the schema says (the body itself is built by `nutrition.transfer.fhir`) ----------
class FhirEntrySerializer(serializers.Serializer):
    fullUrl = serializers.CharField(  # FHIR names
        help_text="urn:uuid:…, the same for the same row at every export."
    )
    resource = serializers.DictField(
        help_text='A FHIR R5 resource: "Patient", "Observation" or "NutritionIntake".'
    )


class FhirBundleSerializer(serializers.Serializer):
    resourceType = limits(serializers.CharField(), enum=["Bundle"])
    type = limits(serializers.CharField(), enum=["collection"])
    timestamp = serializers.DateTimeField()
    entry = FhirEntrySerializer(many=True)


INCLUDE = OpenApiParameter(
    "include",
    str,
    enum=[IDENTITY],
    description='"identity" adds the name and e-mail address to the Patient; without it the '
    "record names no one. Any other value is a 400.",
)
FHIR_SCHEMA = extend_schema(
    # DRF's ?format= is there (fhir, json) but undocumented: the Accept header says it.
    parameters=[INCLUDE, OpenApiParameter("format", exclude=True)],
    responses={200: FhirBundleSerializer},
    description="A FHIR R5 Bundle of type collection: one Patient (gender, birth date), an "
    "Observation per lab result (LOINC code, UCUM valueQuantity, effectiveDateTime; insulin "
    "in pmol/L sent as µIU/mL and magnesium in mEq/L as mmol/L) and a NutritionIntake per "
    "logged day (magnesium in mg from food and from supplements, as `ingredientLabel`). "
    "Served as application/fhir+json, or application/json when the Accept header asks for it.",
)


def _wants_identity(request: Request) -> bool:
    raw = request.query_params.get("include")
    if raw is None:
        return False
    if raw != IDENTITY:
        raise ValidationError({"include": [f'Leave it out, or ask for "{IDENTITY}".']})
    return True


def record_of(person: User, *, identity: bool) -> dict[str, Any]:
    """The person's record as a Bundle: four queries, whatever its size."""
    facts = health_selectors.person_facts(user=person)
    results = [
        fhir.LabValue(r.pk, r.analyte, r.value, r.unit, r.value_si, r.taken_on, r.note)
        for r in health_selectors.lab_results_for(user=person)
    ]
    # Every logged day the site can hold, in the diary's two queries.
    days = [
        fhir.DayMagnesium(day, food, supplements)
        for day, (food, supplements) in diary_selectors.magnesium_by_day(
            person, EARLIEST_DAY, LATEST_DAY
        ).items()
    ]
    patient = fhir.PatientFacts(
        pk=person.pk,
        sex=facts.sex,
        birth_date=facts.birth_date,
        name=person.name if identity else None,
        email=person.email if identity else None,
    )
    return fhir.bundle(person=patient, results=results, days=days, timestamp=timezone.now())


class FhirView(APIView):
    renderer_classes = [FhirJsonRenderer, JSONRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A refusal is no FHIR resource: plain JSON, as the schema says of every refusal.
        if response.status_code >= 400 and isinstance(
            getattr(response, "accepted_renderer", None), FhirJsonRenderer
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


class MyFhirView(FhirView):
    """`GET /api/v1/me/fhir/?include=identity`: your record as a FHIR R5 Bundle."""

    @FHIR_SCHEMA
    def get(self, request: Request) -> Response:
        identity = _wants_identity(request)
        return Response(record_of(request.user, identity=identity))


class ClientFhirView(FhirView):
    """`GET /api/v1/clinic/clients/{id}/fhir/?include=identity`: a consenting client's record
    as a FHIR R5 Bundle, logged in their access log."""

    permission_classes = [IsClinicMember]

    @FHIR_SCHEMA
    def get(self, request: Request, client_id: int) -> Response:
        identity = _wants_identity(request)
        client = clinic_selectors.client_for_dietitian(
            dietitian=request.user, client_id=client_id, what=CLIENT_RECORD
        )
        return Response(record_of(client, identity=identity))
