"""The diary's JSON API: entries, supplements, doses, a day, a range and the targets.

Every queryset starts from `request.user` (`PersonalViewSet`), so another person's object is
a 404. Serializers (`serializers.py`) check shapes; the services check the rules, and their
errors come back as 400 bodies (`mgsite.api_errors`).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mgsite.api_base import PersonalViewSet
from mgsite.dates import RANGE_NOTE, parse_day_param
from nutrition.diary import selectors, services
from nutrition.diary.models import (
    MAX_DOSES_PER_DAY,
    MAX_ENTRIES_PER_DAY,
    MAX_NEW_DOSES_PER_MINUTE,
    MAX_NEW_ENTRIES_PER_MINUTE,
    DiaryEntry,
    Supplement,
    SupplementIntake,
)
from nutrition.diary.serializers import (
    NUMBER,
    DaySerializer,
    DiaryEntrySerializer,
    DiarySettingsSerializer,
    SummarySerializer,
    SupplementIntakeSerializer,
    SupplementSerializer,
    TargetsSerializer,
    day_payload,
)
from nutrition.reference import STARTER_SOURCE, STARTER_SUPPLEMENTS

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


class StarterSerializer(serializers.Serializer):
    """A product of the starter list (`nutrition.reference.STARTER_SUPPLEMENTS`)."""

    code = serializers.CharField(help_text="Send it as `starter` to add the product.")
    name = serializers.CharField(help_text="The name the product gets in your list.")
    label = serializers.CharField()
    form = serializers.CharField()
    compound_mg_per_unit = serializers.DecimalField(
        source="compound_mg", help_text="The salt's weight per unit.", **NUMBER
    )
    elemental_mg_per_unit = serializers.DecimalField(
        source="elemental_mg",
        help_text="Elemental magnesium per unit, from the form's share.",
        **NUMBER,
    )
    unit = serializers.CharField()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "date", OpenApiTypes.DATE, description=f"Only this day's entries. {RANGE_NOTE}"
            ),
            OpenApiParameter("start", OpenApiTypes.DATE, description="From this day (inclusive)."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Up to this day (inclusive)."),
        ]
    ),
    create=extend_schema(
        description=f"Log a food. {ENTRY_LIMITS}",
        responses={201: DiaryEntrySerializer, 429: TOO_MANY},
    ),
    partial_update=extend_schema(
        description=f"Change an entry; moving it to another day counts there. {ENTRY_LIMITS}"
    ),
)
class DiaryEntryViewSet(PersonalViewSet):
    """The signed-in person's diary entries: `GET|POST`, and `GET|PATCH|DELETE` one entry."""

    model = DiaryEntry
    serializer_class = DiaryEntrySerializer

    def personal_queryset(self, user):
        if self.action != "list":
            return selectors.entries_for(user=user)
        params = self.request.query_params
        return selectors.entries_for(
            user=user,
            day=parse_day_param(params["date"], "date") if "date" in params else None,
            start=parse_day_param(params["start"], "start") if "start" in params else None,
            end=parse_day_param(params["end"], "end") if "end" in params else None,
        )

    def perform_destroy(self, entry: DiaryEntry) -> None:
        services.diary_entry_delete(user=self.request.user, entry=entry)


@extend_schema_view(
    create=extend_schema(
        description="Add a product: `name`, `form` and `elemental_mg_per_unit` or "
        "`compound_mg_per_unit`; or `starter` alone, the code of a product of the starter "
        "list (201; 200 with the product when it is on your list already).",
        responses={201: SupplementSerializer, 200: SupplementSerializer},
    ),
)
class SupplementViewSet(PersonalViewSet):
    """The person's supplement products. Deleting one with logged doses archives it."""

    model = Supplement
    serializer_class = SupplementSerializer

    def personal_queryset(self, user):
        return selectors.current_supplements(user=user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        created = getattr(serializer, "created", True)
        return Response(
            serializer.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        description=f"Common products to add in one step with `starter`: each form at a "
        f"usual strength, with the elemental magnesium per unit computed from the form's "
        f"share of magnesium. {STARTER_SOURCE}",
        responses={200: StarterSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def starters(self, request):
        return Response(StarterSerializer(STARTER_SUPPLEMENTS, many=True).data)

    def perform_destroy(self, supplement: Supplement) -> None:
        services.supplement_delete(user=self.request.user, supplement=supplement)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "date", OpenApiTypes.DATE, description=f"Only this day's doses. {RANGE_NOTE}"
            )
        ]
    ),
    create=extend_schema(
        description=f"Log a dose. {DOSE_LIMITS}",
        responses={201: SupplementIntakeSerializer, 429: TOO_MANY},
    ),
    partial_update=extend_schema(
        description=f"Change a dose; moving it to another day counts there. {DOSE_LIMITS}"
    ),
)
class SupplementIntakeViewSet(PersonalViewSet):
    """Doses taken: `units` of one of the person's supplements on a day."""

    model = SupplementIntake
    serializer_class = SupplementIntakeSerializer

    def personal_queryset(self, user):
        params = self.request.query_params
        day = None
        if self.action == "list" and "date" in params:
            day = parse_day_param(params["date"], "date")
        return selectors.intakes_for(user=user, day=day)

    def perform_destroy(self, intake: SupplementIntake) -> None:
        services.supplement_intake_delete(user=self.request.user, intake=intake)


class DayView(APIView):
    """`GET /api/v1/diary/days/YYYY-MM-DD/`: the day's magnesium, warnings, entries and doses."""

    @extend_schema(responses={200: DaySerializer})
    def get(self, request, day: str):
        summary = selectors.day_summary(user=request.user, day=parse_day_param(day, "date"))
        return Response(DaySerializer(day_payload(summary)).data)


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
        return Response(TargetsSerializer({"date": day, "magnesium": target}).data)


class DiarySettingsView(APIView):
    """`GET|PATCH /api/v1/me/diary-settings/`: the diary's own settings (the net-carbohydrate
    budget for close-the-gap suggestions)."""

    @extend_schema(responses={200: DiarySettingsSerializer})
    def get(self, request):
        person = selectors.person_for(user=request.user)
        return Response(DiarySettingsSerializer(person).data)

    @extend_schema(request=DiarySettingsSerializer, responses={200: DiarySettingsSerializer})
    def patch(self, request):
        data = DiarySettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "net_carbs_budget_g" in data.validated_data:
            services.net_carbs_budget_set(
                user=request.user, grams=data.validated_data["net_carbs_budget_g"]
            )
        return self.get(request)
