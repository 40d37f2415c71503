"""The diary's JSON API: entries, supplements, doses, a day, a range and the targets.

Every queryset starts from `request.user`, so another person's object is a 404. Serializers
check shapes; the services check the rules, and their errors come back as 400 bodies
(`mgsite.api_errors`).
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mgsite.converters import ID_REGEX, MAX_ID
from mgsite.dates import DaySerializerField, parse_day_param
from nutrition.diary import selectors, services
from nutrition.diary.models import (
    MAX_DOSES_PER_DAY,
    MAX_ENTRIES_PER_DAY,
    MAX_NEW_DOSES_PER_MINUTE,
    MAX_NEW_ENTRIES_PER_MINUTE,
    DiaryEntry,
    Meal,
    Supplement,
    SupplementIntake,
)
from nutrition.reference import SUPPLEMENT_FORMS

_NUMBER: dict[str, Any] = {
    "max_digits": None,
    "decimal_places": None,
    "coerce_to_string": False,
}


# What the schema says about the limits on writing (the services enforce them).
ENTRY_LIMITS = (
    f"A day holds at most {MAX_ENTRIES_PER_DAY} entries (one more is a 400 naming `date`), and "
    f"a person adds at most {MAX_NEW_ENTRIES_PER_MINUTE} entries a minute (more is a 429 with "
    "a Retry-After header)."
)
DOSE_LIMITS = (
    f"A day holds at most {MAX_DOSES_PER_DAY} doses (one more is a 400 naming `date`), and a "
    f"person logs at most {MAX_NEW_DOSES_PER_MINUTE} doses a minute (more is a 429 with a "
    "Retry-After header)."
)
TOO_MANY = OpenApiResponse(description="Too many added in the last minute; see Retry-After.")


# --- Entries --------------------------------------------------------------------------------------


class DiaryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = DaySerializerField()
    meal = serializers.ChoiceField(choices=Meal.choices)
    food = serializers.IntegerField(source="food_id", min_value=1, max_value=MAX_ID)
    portion = serializers.IntegerField(
        source="portion_id", required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    quantity = serializers.DecimalField(
        required=False,
        allow_null=True,
        help_text="How many of the portion's unit; defaults to the portion's amount.",
        **_NUMBER,
    )
    grams = serializers.DecimalField(
        required=False,
        allow_null=True,
        help_text="The weight, when no portion is given.",
        **_NUMBER,
    )
    food_name = serializers.CharField(source="food.name", read_only=True)
    portion_description = serializers.SerializerMethodField()
    grams_total = serializers.DecimalField(source="grams", read_only=True, **_NUMBER)
    magnesium_mg = serializers.DecimalField(read_only=True, allow_null=True, **_NUMBER)

    def get_portion_description(self, entry: DiaryEntry) -> str | None:
        """The amount in household words, such as \"0.5 cup\"."""
        return entry.portion_label

    def to_representation(self, entry: DiaryEntry) -> dict[str, Any]:
        data = super().to_representation(entry)
        # `grams` echoes how the entry was given: by weight, or null when by portion.
        if entry.portion_id is not None:
            data["grams"] = None
        return data

    def _service_args(self, data: dict[str, Any]) -> dict[str, Any]:
        names = {
            "date": "day",
            "meal": "meal",
            "food_id": "food_id",
            "portion_id": "portion_id",
            "quantity": "quantity",
            "grams": "grams",
        }
        return {names[key]: value for key, value in data.items() if key in names}

    def create(self, validated_data: dict[str, Any]) -> DiaryEntry:
        return services.diary_entry_create(
            user=self.context["request"].user, **self._service_args(validated_data)
        )

    def update(self, entry: DiaryEntry, validated_data: dict[str, Any]) -> DiaryEntry:
        return services.diary_entry_update(
            user=self.context["request"].user,
            entry=entry,
            **self._service_args(validated_data),
        )


@extend_schema(
    parameters=[
        OpenApiParameter("date", OpenApiTypes.DATE, description="Only this day's entries."),
        OpenApiParameter("start", OpenApiTypes.DATE, description="From this day (inclusive)."),
        OpenApiParameter("end", OpenApiTypes.DATE, description="Up to this day (inclusive)."),
    ]
)
@extend_schema_view(
    create=extend_schema(
        description=f"Log a food. {ENTRY_LIMITS}",
        responses={201: DiaryEntrySerializer, 429: TOO_MANY},
    ),
    partial_update=extend_schema(
        description=f"Change an entry; moving it to another day counts there. {ENTRY_LIMITS}"
    ),
)
class DiaryEntryViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in person's diary entries: `GET|POST`, and `GET|PATCH|DELETE` one entry."""

    serializer_class = DiaryEntrySerializer
    lookup_value_regex = ID_REGEX
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return DiaryEntry.objects.none()
        entries = (
            DiaryEntry.objects.for_user(self.request.user)
            .select_related("food", "portion")
            .order_by("-date", "created_at", "id")
        )
        if self.action == "list":
            params = self.request.query_params
            if "date" in params:
                entries = entries.on_day(parse_day_param(params["date"], "date"))
            if "start" in params:
                entries = entries.filter(date__gte=parse_day_param(params["start"], "start"))
            if "end" in params:
                entries = entries.filter(date__lte=parse_day_param(params["end"], "end"))
        return entries

    def perform_destroy(self, entry: DiaryEntry) -> None:
        services.diary_entry_delete(user=self.request.user, entry=entry)


# --- Supplements ----------------------------------------------------------------------------------


class SupplementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=120)
    form = serializers.ChoiceField(choices=SUPPLEMENT_FORMS)
    elemental_mg_per_unit = serializers.DecimalField(
        required=False,
        allow_null=True,
        help_text="Elemental magnesium per tablet, capsule or scoop.",
        **_NUMBER,
    )
    compound_mg_per_unit = serializers.DecimalField(
        required=False,
        allow_null=True,
        help_text="The salt's weight per unit; the elemental amount is computed from the form.",
        **_NUMBER,
    )
    form_label = serializers.CharField(source="get_form_display", read_only=True)

    def create(self, validated_data: dict[str, Any]) -> Supplement:
        return services.supplement_create(user=self.context["request"].user, **validated_data)

    def update(self, supplement: Supplement, validated_data: dict[str, Any]) -> Supplement:
        return services.supplement_update(
            user=self.context["request"].user, supplement=supplement, **validated_data
        )


class SupplementViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The person's supplement products. Deleting one with logged doses archives it."""

    serializer_class = SupplementSerializer
    lookup_value_regex = ID_REGEX
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Supplement.objects.none()
        return Supplement.objects.filter(user=self.request.user, archived=False)

    def perform_destroy(self, supplement: Supplement) -> None:
        services.supplement_delete(user=self.request.user, supplement=supplement)


class SupplementIntakeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = DaySerializerField()
    supplement = serializers.IntegerField(source="supplement_id", min_value=1, max_value=MAX_ID)
    units = serializers.DecimalField(required=False, **_NUMBER)
    taken_at = serializers.TimeField(required=False, allow_null=True)
    supplement_name = serializers.CharField(source="supplement.name", read_only=True)
    magnesium_mg = serializers.DecimalField(read_only=True, **_NUMBER)

    _names = {"date": "day", "supplement_id": "supplement_id", "units": "units"}

    def _service_args(self, data: dict[str, Any]) -> dict[str, Any]:
        args = {self._names[k]: v for k, v in data.items() if k in self._names}
        if "taken_at" in data:
            args["taken_at"] = data["taken_at"]
        return args

    def create(self, validated_data: dict[str, Any]) -> SupplementIntake:
        return services.supplement_intake_create(
            user=self.context["request"].user, **self._service_args(validated_data)
        )

    def update(self, intake: SupplementIntake, validated_data: dict[str, Any]) -> SupplementIntake:
        return services.supplement_intake_update(
            user=self.context["request"].user,
            intake=intake,
            **self._service_args(validated_data),
        )


@extend_schema(
    parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="Only this day's doses.")]
)
@extend_schema_view(
    create=extend_schema(
        description=f"Log a dose. {DOSE_LIMITS}",
        responses={201: SupplementIntakeSerializer, 429: TOO_MANY},
    ),
    partial_update=extend_schema(
        description=f"Change a dose; moving it to another day counts there. {DOSE_LIMITS}"
    ),
)
class SupplementIntakeViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Doses taken: `units` of one of the person's supplements on a day."""

    serializer_class = SupplementIntakeSerializer
    lookup_value_regex = ID_REGEX
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SupplementIntake.objects.none()
        intakes = (
            SupplementIntake.objects.for_user(self.request.user)
            .select_related("supplement")
            .order_by("-date", "taken_at", "id")
        )
        if self.action == "list" and "date" in self.request.query_params:
            intakes = intakes.on_day(parse_day_param(self.request.query_params["date"], "date"))
        return intakes

    def perform_destroy(self, intake: SupplementIntake) -> None:
        services.supplement_intake_delete(user=self.request.user, intake=intake)


# --- A day, a range, the targets ------------------------------------------------------------------


class DayMagnesiumSerializer(serializers.Serializer):
    food_mg = serializers.DecimalField(**_NUMBER)
    supplement_mg = serializers.DecimalField(**_NUMBER)
    total_mg = serializers.DecimalField(**_NUMBER)
    rda_mg = serializers.IntegerField(allow_null=True)
    percent_of_rda = serializers.IntegerField(allow_null=True)
    supplement_ul_mg = serializers.IntegerField(allow_null=True)
    basis = serializers.CharField()
    set_by = serializers.CharField()


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class NutrientTotalSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    amount = serializers.DecimalField(**_NUMBER)


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    magnesium = DayMagnesiumSerializer()
    warnings = WarningSerializer(many=True)
    nutrients = NutrientTotalSerializer(many=True)
    entries = DiaryEntrySerializer(many=True)
    supplement_intakes = SupplementIntakeSerializer(many=True)


def day_payload(summary: selectors.DaySummary) -> dict[str, Any]:
    """The day in the contract's shape; the clinic's read-only day reuses it."""
    return {
        "date": summary.day,
        "magnesium": {
            "food_mg": summary.food_mg,
            "supplement_mg": summary.supplement_mg,
            "total_mg": summary.total_mg,
            "rda_mg": summary.target.rda_mg,
            "percent_of_rda": summary.percent_of_rda,
            "supplement_ul_mg": summary.target.supplement_ul_mg,
            "basis": summary.target.basis,
            "set_by": summary.target.set_by,
        },
        "warnings": [{"code": w.code, "message": w.message} for w in summary.warnings],
        "nutrients": [
            {"key": key, "name": name, "unit": unit, "amount": summary.nutrients[key]}
            for key, (name, unit) in selectors.OTHER_NUTRIENTS.items()
            if key in summary.nutrients
        ],
        "entries": summary.entries,
        "supplement_intakes": summary.intakes,
    }


class DayView(APIView):
    """`GET /api/v1/diary/days/YYYY-MM-DD/`: the day's magnesium, warnings, entries and doses."""

    @extend_schema(responses={200: DaySerializer})
    def get(self, request, day: str):
        summary = selectors.day_summary(user=request.user, day=parse_day_param(day, "date"))
        return Response(DaySerializer(day_payload(summary)).data)


class SummaryDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    food_mg = serializers.DecimalField(**_NUMBER)
    supplement_mg = serializers.DecimalField(**_NUMBER)
    total_mg = serializers.DecimalField(**_NUMBER)
    rda_mg = serializers.IntegerField(allow_null=True)


class SourceSerializer(serializers.Serializer):
    food = serializers.IntegerField(source="food_id")
    name = serializers.CharField()
    magnesium_mg = serializers.DecimalField(**_NUMBER)


class SummarySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = SummaryDaySerializer(many=True)
    average_total_mg = serializers.DecimalField(allow_null=True, **_NUMBER)
    days_logged = serializers.IntegerField()
    days_meeting_rda = serializers.IntegerField()
    top_sources = SourceSerializer(many=True)


class SummaryView(APIView):
    """`GET /api/v1/diary/summary/?start=&end=`: daily totals over up to 366 days."""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses={200: SummarySerializer},
    )
    def get(self, request):
        start = parse_day_param(request.query_params.get("start"), "start")
        end = parse_day_param(request.query_params.get("end"), "end")
        try:
            summary = selectors.range_summary(user=request.user, start=start, end=end)
        except ValueError as exc:
            raise ValidationError({"end": [str(exc)]}) from exc
        return Response(SummarySerializer(summary).data)


class TargetSerializer(serializers.Serializer):
    rda_mg = serializers.IntegerField(allow_null=True)
    supplement_ul_mg = serializers.IntegerField(allow_null=True)
    basis = serializers.CharField()
    set_by = serializers.CharField()
    source = serializers.CharField()


class TargetsSerializer(serializers.Serializer):
    date = serializers.DateField()
    magnesium = TargetSerializer()


class TargetsView(APIView):
    """`GET /api/v1/me/targets/?date=`: the magnesium target and supplement UL on a day."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "date", OpenApiTypes.DATE, description="Default: today in your time zone."
            )
        ],
        responses={200: TargetsSerializer},
    )
    def get(self, request):
        raw = request.query_params.get("date")
        day = parse_day_param(raw, "date") if raw else selectors.today_for(user=request.user)
        target = selectors.magnesium_target(user=request.user, day=day)
        return Response(
            TargetsSerializer({"date": day, "magnesium": target}).data, status=status.HTTP_200_OK
        )
