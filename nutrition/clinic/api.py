"""The clinic's JSON API: invitations, the care team, client views, notes, targets, the log."""

from datetime import date

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from mgsite.api_base import PersonalQueryMixin
from mgsite.api_schema import limits
from mgsite.dates import RANGE_NOTE, DaySerializerField, local_today, parse_day_param
from nutrition.clinic import selectors, services
from nutrition.clinic.models import AccessLog, CareRelationship, ClientNote
from nutrition.clinic.permissions import IsClinicMember
from nutrition.diary import selectors as diary_selectors
from nutrition.diary import serializers as diary_serializers
from nutrition.health import api as health_api
from nutrition.health import selectors as health_selectors
from nutrition.health.models import LabResult, Source  # names only: reads go through selectors


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- The dietitian side ------------------------------------------------------------------------


class InvitationCreateSerializer(serializers.Serializer):
    client_email = limits(serializers.EmailField(), maxLength=services.MAX_EMAIL_LENGTH)


class InvitationCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    token = serializers.CharField()
    client_email = serializers.EmailField()
    expires_at = serializers.DateTimeField()


class InvitationCreateView(APIView):
    """`POST /api/v1/clinic/invitations/`: invite a person by e-mail (the link lasts 7 days)."""

    permission_classes = [IsClinicMember]

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationCreatedSerializer})
    def post(self, request):
        data = InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issued = services.invitation_create(
            dietitian=request.user,
            client_email=data.validated_data["client_email"],
            base_url=_base_url(request),
        )
        body = {
            "id": issued.invitation.pk,
            "token": issued.token,
            "client_email": issued.invitation.client_email,
            "expires_at": issued.invitation.expires_at,
        }
        return Response(InvitationCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class ClientRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="client_id")
    name = serializers.CharField()
    email = serializers.EmailField()
    last_logged = serializers.DateField(allow_null=True)
    average_magnesium_mg_7d = serializers.DecimalField(
        max_digits=8, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    rda_mg = serializers.IntegerField(allow_null=True)
    target_set_by = serializers.CharField()
    percent_of_target_7d = serializers.IntegerField(allow_null=True)
    days_meeting_target_14d = serializers.IntegerField()
    flags = serializers.ListField(child=serializers.CharField())


class ClientListView(PersonalQueryMixin, ListAPIView):
    """`GET /api/v1/clinic/clients/`: consenting clients with the triage figures."""

    permission_classes = [IsClinicMember]
    serializer_class = ClientRowSerializer
    model = CareRelationship

    refuses_parameters = False  # an unknown ordering sorts by name

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ordering",
                str,
                enum=[key for name in selectors.SORT_KEYS for key in (name, f"-{name}")],
                description="Sort by this column, descending with a leading `-`; by name "
                "otherwise.",
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def personal_queryset(self, user):
        return selectors.clinic_board(
            dietitian=user, sort=self.request.query_params.get("ordering", "name")
        )


class ClientDayView(APIView):
    """`GET /api/v1/clinic/clients/{id}/days/YYYY-MM-DD/`: the client's day, read-only."""

    permission_classes = [IsClinicMember]

    @extend_schema(responses={200: diary_serializers.DaySerializer})
    def get(self, request, client_id: int, day: str):
        parsed = parse_day_param(day, "date")
        client = selectors.client_for_dietitian(
            dietitian=request.user, client_id=client_id, what=f"diary day {parsed.isoformat()}"
        )
        summary = diary_selectors.day_summary(user=client, day=parsed)
        return Response(
            diary_serializers.DaySerializer(diary_serializers.day_payload(summary)).data
        )


class ClientSummaryView(APIView):
    """`GET /api/v1/clinic/clients/{id}/summary/?start=&end=`: daily totals, read-only."""

    permission_classes = [IsClinicMember]

    @extend_schema(
        parameters=[OpenApiParameter("start", date, required=True), OpenApiParameter("end", date)],
        responses={200: diary_serializers.SummarySerializer},
    )
    def get(self, request, client_id: int):
        start = parse_day_param(request.query_params.get("start"), "start")
        end = parse_day_param(request.query_params.get("end"), "end")
        client = selectors.client_for_dietitian(
            dietitian=request.user,
            client_id=client_id,
            what=f"diary summary {start.isoformat()} to {end.isoformat()}",
        )
        try:
            summary = diary_selectors.range_summary(user=client, start=start, end=end)
        except ValueError as exc:
            raise ValidationError({"end": [str(exc)]}) from exc
        return Response(diary_serializers.SummarySerializer(summary).data)


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_name", read_only=True)
    day = DaySerializerField(
        required=False,
        allow_null=True,
        help_text=f"The diary day the note is about, if any. {RANGE_NOTE}",
    )

    class Meta:
        model = ClientNote
        fields = ["id", "day", "text", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class ClientNotesView(PersonalQueryMixin, ListAPIView):
    """`GET|POST /api/v1/clinic/clients/{id}/notes/`: notes the client reads on their diary."""

    permission_classes = [IsClinicMember]
    serializer_class = NoteSerializer
    model = ClientNote

    def personal_queryset(self, user):
        client = selectors.client_for_dietitian(
            dietitian=user, client_id=self.kwargs["client_id"], what="notes"
        )
        return selectors.notes_for(client=client)

    @extend_schema(request=NoteSerializer, responses={201: NoteSerializer})
    def post(self, request, client_id: int):
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Logged as a note added only once it is; a note the service refuses is not one.
        with selectors.client_access(
            dietitian=request.user, client_id=client_id, what="notes (none added)"
        ) as access:
            note = services.note_create(
                dietitian=request.user,
                client=access.client,
                text=data.validated_data["text"],
                day=data.validated_data.get("day"),
            )
            access.what = "notes (added one)"
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class PersonalTargetSerializer(serializers.Serializer):
    magnesium_mg = limits(
        serializers.DecimalField(
            max_digits=6,
            decimal_places=1,
            allow_null=True,
            coerce_to_string=False,
            help_text="The client's daily magnesium target in mg; null clears it.",
        ),
        minimum=services.MIN_TARGET_MG,
        maximum=services.MAX_TARGET_MG,
    )


class ClientTargetView(APIView):
    """`PUT /api/v1/clinic/clients/{id}/target/`: `{"magnesium_mg"}`; null clears it."""

    permission_classes = [IsClinicMember]

    @extend_schema(request=PersonalTargetSerializer, responses={200: PersonalTargetSerializer})
    def put(self, request, client_id: int):
        data = PersonalTargetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # A refused value or the value the client already has is not a change: logged so.
        with selectors.client_access(
            dietitian=request.user, client_id=client_id, what=services.TARGET_UNCHANGED
        ) as access:
            result = services.personal_target_set(
                dietitian=request.user,
                client=access.client,
                magnesium_mg=data.validated_data["magnesium_mg"],
            )
            if result.changed:
                access.what = services.TARGET_CHANGED
        body = {"magnesium_mg": result.target.magnesium_mg if result.target else None}
        return Response(PersonalTargetSerializer(body).data)


class ClientLabsView(PersonalQueryMixin, ListAPIView):
    """`GET|POST /api/v1/clinic/clients/{id}/labs/`: the client's lab results, newest first,
    and a result the dietitian enters for them (its source is "dietitian")."""

    permission_classes = [IsClinicMember]
    serializer_class = health_api.LabResultSerializer
    model = LabResult

    def personal_queryset(self, user):
        client = selectors.client_for_dietitian(
            dietitian=user, client_id=self.kwargs["client_id"], what=services.LABS_VIEWED
        )
        return health_selectors.lab_results_for(user=client)

    @extend_schema(
        request=health_api.LabResultSerializer, responses={201: health_api.LabResultSerializer}
    )
    def post(self, request, client_id: int):
        # Consent first (a stranger learns nothing from a 400); a refused result is logged as
        # none added, and the health services decide what may be stored.
        with selectors.client_access(
            dietitian=request.user, client_id=client_id, what=services.LAB_NOT_ADDED
        ) as access:
            data = health_api.LabResultSerializer(
                data=request.data,
                context={
                    "request": request,
                    "subject": access.client,
                    "source": Source.DIETITIAN,
                    "entered_by": request.user,
                },
            )
            data.is_valid(raise_exception=True)
            data.save()
            access.what = services.LAB_ADDED
        return Response(data.data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "date", OpenApiTypes.DATE, description=f"Default: the client's today. {RANGE_NOTE}"
        )
    ],
    responses={200: health_api.MetabolicSerializer},
)
class ClientMetabolicView(APIView):
    """`GET /api/v1/clinic/clients/{id}/metabolic/?date=`: the client's picture on that date,
    as the client's own `/api/v1/me/metabolic/` answers it."""

    permission_classes = [IsClinicMember]

    def get(self, request, client_id: int):
        params = request.query_params
        on = parse_day_param(params["date"], "date") if "date" in params else None
        with selectors.client_access(
            dietitian=request.user, client_id=client_id, what=services.METABOLIC_VIEWED
        ) as access:
            facts = health_selectors.person_facts(user=access.client)  # read once: day and eGFR
            on = on or local_today(facts.timezone_name)
            access.what = services.metabolic_viewed(on)
            readings = health_selectors.readings_for(user=access.client)
            picture = health_selectors.picture_from(readings, facts, on)
        return Response(health_api.MetabolicSerializer(health_api.picture_payload(picture)).data)


# --- The client side ------------------------------------------------------------------------------


class DietitianSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")
    email = serializers.EmailField()


class CareRelationshipSerializer(serializers.ModelSerializer):
    dietitian = DietitianSerializer(read_only=True)

    class Meta:
        model = CareRelationship
        fields = ["id", "dietitian", "since"]


class AcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)


class CareTeamView(PersonalQueryMixin, ListAPIView):
    """`GET /api/v1/me/care-team/`: the dietitians who can read your diary, and since when."""

    serializer_class = CareRelationshipSerializer
    model = CareRelationship

    def personal_queryset(self, user):
        return selectors.care_team_for(client=user)


class CareTeamAcceptView(APIView):
    """`POST /api/v1/me/care-team/accept/`: `{"token"}` from the invitation e-mail."""

    @extend_schema(request=AcceptSerializer, responses={201: CareRelationshipSerializer})
    def post(self, request):
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        relationship = services.invitation_accept(
            client=request.user, token=data.validated_data["token"]
        )
        return Response(
            CareRelationshipSerializer(relationship).data, status=status.HTTP_201_CREATED
        )


class CareTeamMemberView(APIView):
    """`DELETE /api/v1/me/care-team/{id}/`: revoke that dietitian's access at once."""

    @extend_schema(responses={204: None})
    def delete(self, request, relationship_id: int):
        try:
            services.care_relationship_end(client=request.user, relationship_id=relationship_id)
        except CareRelationship.DoesNotExist:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccessLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLog
        fields = ["who", "what", "when"]


class AccessLogView(PersonalQueryMixin, ListAPIView):
    """`GET /api/v1/me/access-log/`: every view of your data by a dietitian, newest first."""

    serializer_class = AccessLogSerializer
    model = AccessLog

    def personal_queryset(self, user):
        return selectors.access_log_for(client=user)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "date", OpenApiTypes.DATE, description="That day's notes and the general ones."
        )
    ]
)
class MyNotesView(PersonalQueryMixin, ListAPIView):
    """`GET /api/v1/me/notes/?date=`: notes from your dietitians, newest first (what the
    diary page shows above a day)."""

    serializer_class = NoteSerializer
    model = ClientNote

    def personal_queryset(self, user):
        raw = self.request.query_params.get("date")
        day = parse_day_param(raw, "date") if raw else None
        return selectors.notes_for_client(client=user, day=day)
