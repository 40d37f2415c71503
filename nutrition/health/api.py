"""The health record in the JSON API: a person's lab results and the picture derived from them.

Every queryset starts from the signed-in person (another person's result is a 404); the
serializers check shapes only and the services decide what may be stored, so the API and the
page refuse the same values with the same words. The clinic serves a client's record through
the same serializers (`LabResultSerializer`, `picture_payload`).
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mgsite.api_base import PersonalViewSet
from mgsite.api_schema import limits
from mgsite.dates import RANGE_NOTE, DaySerializerField, local_today, parse_day_param
from nutrition import labs
from nutrition.health import selectors, services
from nutrition.health.models import ANALYTE_CHOICES, UNIT_CODES, LabResult, Source

NUMBER: dict[str, Any] = {"max_digits": None, "decimal_places": None, "coerce_to_string": False}
UNITS_NOTE = "; ".join(
    f"{a.code}: {', '.join(u.code for u in a.units)}" for a in labs.ANALYTES.values()
)


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class LabResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    analyte = serializers.ChoiceField(choices=ANALYTE_CHOICES)
    value = limits(
        serializers.DecimalField(
            help_text="As on the lab report, in `unit`; kept to 0.0001. A value outside what "
            "a living person can have is a 400.",
            **NUMBER,
        ),
        minimum=0,
        exclusiveMinimum=True,
        maximum=100_000,
    )
    unit = serializers.ChoiceField(
        choices=UNIT_CODES, help_text=f"One of the analyte's units ({UNITS_NOTE}); first = SI."
    )
    taken_on = DaySerializerField(help_text="The day the sample was taken; not in the future.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    loinc = serializers.CharField(read_only=True)
    value_si = serializers.DecimalField(read_only=True, **NUMBER)
    unit_si = serializers.CharField(read_only=True)
    category = serializers.SerializerMethodField()
    source = serializers.ChoiceField(choices=Source.choices, read_only=True)

    @extend_schema_field(CategorySerializer(allow_null=True))
    def get_category(self, result: LabResult) -> dict[str, str] | None:
        category = result.category
        return {"code": category.code, "label": category.label} if category else None

    def to_representation(self, result: LabResult) -> dict[str, Any]:
        data = super().to_representation(result)
        data["value_si"] = float(result.value_si.normalize())
        data["value"] = float(result.value.normalize())
        return data

    def create(self, validated_data: dict[str, Any]) -> LabResult:
        context = self.context
        return services.lab_result_create(
            user=context["subject"],
            source=context.get("source", Source.SELF),
            entered_by=context.get("entered_by"),
            **validated_data,
        )

    def update(self, result: LabResult, validated_data: dict[str, Any]) -> LabResult:
        return services.lab_result_update(
            user=self.context["subject"], result=result, **validated_data
        )


class MarkerSerializer(serializers.Serializer):
    value = serializers.FloatField()
    taken_on = serializers.DateField()


class EgfrSerializer(MarkerSerializer):
    stage = serializers.CharField(help_text='KDIGO "G1" … "G5" ("G3a", "G3b").')
    computed = serializers.BooleanField(
        help_text="True when computed from creatinine (CKD-EPI 2021) rather than reported."
    )


class GlycaemiaSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(labs.GLYCAEMIA_ORDER))
    basis = serializers.ChoiceField(
        choices=["hba1c", "glucose_fasting"], help_text="The result the category comes from."
    )


class MagnesiumStatusSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["low", "normal", "high"])
    value_mmol_l = serializers.FloatField()
    taken_on = serializers.DateField()


class HealthWarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class MetabolicSerializer(serializers.Serializer):
    date = serializers.DateField()
    homa_ir = MarkerSerializer(allow_null=True)
    tyg_index = MarkerSerializer(allow_null=True)
    egfr = EgfrSerializer(allow_null=True)
    glycaemia = GlycaemiaSerializer(allow_null=True)
    magnesium_status = MagnesiumStatusSerializer(allow_null=True)
    warnings = HealthWarningSerializer(many=True)
    not_a_diagnosis = serializers.CharField()


def picture_payload(picture: selectors.Picture) -> dict[str, Any]:
    """The picture as the metabolic endpoints answer it."""

    def marker(m: selectors.Marker | None) -> dict[str, Any] | None:
        return {"value": float(m.value), "taken_on": m.taken_on} if m else None

    egfr = picture.egfr
    status = picture.magnesium_status
    return {
        "date": picture.on,
        "homa_ir": marker(picture.homa_ir),
        "tyg_index": marker(picture.tyg_index),
        "egfr": {
            "value": float(egfr.value),
            "stage": egfr.stage.code,
            "computed": egfr.computed,
            "taken_on": egfr.taken_on,
        }
        if egfr
        else None,
        "glycaemia": {"code": picture.glycaemia.code, "basis": picture.glycaemia.basis}
        if picture.glycaemia
        else None,
        "magnesium_status": {
            "code": status.code,
            "value_mmol_l": float(status.value_mmol_l),
            "taken_on": status.taken_on,
        }
        if status
        else None,
        "warnings": [{"code": w.code, "message": w.message} for w in picture.warnings],
        "not_a_diagnosis": labs.NOT_A_DIAGNOSIS,
    }


class LabResultViewSet(PersonalViewSet):
    """`GET|POST /api/v1/me/labs/`, `GET|PATCH|DELETE /api/v1/me/labs/{id}/`: the person's lab
    results, newest first. A value is stored as entered and converted to the SI unit."""

    model = LabResult
    serializer_class = LabResultSerializer

    def personal_queryset(self, user):
        return selectors.lab_results_for(user=user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "subject": self.request.user}

    def perform_destroy(self, result: LabResult) -> None:
        services.lab_result_delete(user=self.request.user, result=result)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, description=f"Default: today. {RANGE_NOTE}")
        ],
        responses={200: MetabolicSerializer},
    )
)
class MetabolicView(APIView):
    """`GET /api/v1/me/metabolic/?date=`: the picture on that date from the latest result of
    each analyte on or before it; `null` where it cannot be computed."""

    def get(self, request: Request) -> Response:
        user = request.user
        if "date" in request.query_params:
            on = parse_day_param(request.query_params["date"], "date")
        else:
            on = local_today(selectors.person_facts(user=user).timezone_name)
        picture = selectors.picture_for(user=user, on=on)
        return Response(MetabolicSerializer(picture_payload(picture)).data)
