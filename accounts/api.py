"""The signed-in person's own account: profile and data export."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import PROFILE_OWN_FIELDS, Profile
from accounts.permissions import IsVerifiedUser, RecentlyReauthenticated
from accounts.validation import MAX_NAME_LENGTH


class ProfileSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(
        source="user.name",
        max_length=MAX_NAME_LENGTH,
        required=False,
        allow_blank=True,
        help_text="The display name a dietitian sees; empty: they see the e-mail address.",
    )
    timezone = serializers.CharField(
        max_length=64,
        required=False,
        help_text="An IANA time zone such as America/Chicago; an old spelling is stored as "
        "the zone it stands for (Asia/Calcutta as Asia/Kolkata).",
    )

    class Meta:
        model = Profile
        fields = ["email", "name", *PROFILE_OWN_FIELDS]

    def update(self, instance: Profile, validated_data: dict) -> Profile:
        data = dict(validated_data)
        user_fields = data.pop("user", {})
        if "name" in user_fields:
            data["name"] = user_fields["name"]
        return services.profile_update(user=instance.user, data=data)


class ProfileView(RetrieveUpdateAPIView):
    """`GET|PATCH /api/v1/me/profile/`: sex, birth date, life stage, kidney disease, time zone."""

    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "put", "head", "options"]

    def get_object(self) -> Profile:
        return selectors.profile_for(user=self.request.user)


REAUTHENTICATION_REQUIRED = inline_serializer(
    "ReauthenticationRequired",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(required=False, help_text='"reauthentication_required"'),
        "reauthenticate": inline_serializer(
            "ReauthenticateEndpoints",
            {
                "app": serializers.CharField(help_text="POST here with the X-Session-Token."),
                "browser": serializers.CharField(help_text="POST here with the session cookie."),
            },
            required=False,
        ),
    },
)


class ExportView(APIView):
    """`GET /api/v1/me/export/`: everything the person entered, as JSON.

    Like the page's download, only within 5 minutes of re-authenticating in this session (an
    app re-authenticates its X-Session-Token session); otherwise 403 says where to do it."""

    throttle_scope = "export"
    permission_classes = [IsVerifiedUser, RecentlyReauthenticated]

    @extend_schema(
        responses={
            200: OpenApiTypes.OBJECT,
            403: OpenApiResponse(
                REAUTHENTICATION_REQUIRED,
                description="Not signed in with a verified address (only `detail`), or not "
                "re-authenticated within `ACCOUNT_REAUTHENTICATION_TIMEOUT` (300 s): the body then "
                "has the `code` and names the headless reauthenticate endpoints.",
            ),
        }
    )
    def get(self, request):
        return Response(selectors.export_user_data(user=request.user))

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()]
