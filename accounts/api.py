"""The signed-in person's own account: profile and data export."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import PROFILE_OWN_FIELDS, Profile


class ProfileSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    timezone = serializers.CharField(max_length=64, required=False)

    class Meta:
        model = Profile
        fields = ["email", *PROFILE_OWN_FIELDS]

    def update(self, instance: Profile, validated_data: dict) -> Profile:
        return services.profile_update(user=instance.user, data=validated_data)


class ProfileView(RetrieveUpdateAPIView):
    """`GET|PATCH /api/v1/me/profile/`: sex, birth date, life stage, kidney disease, time zone."""

    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "put", "head", "options"]

    def get_object(self) -> Profile:
        return selectors.profile_for(user=self.request.user)


class ExportView(APIView):
    """`GET /api/v1/me/export/`: everything the person entered, as JSON."""

    throttle_scope = "export"

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(selectors.export_user_data(user=request.user))

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()]
