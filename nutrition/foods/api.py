"""`GET /api/v1/foods/` and `/api/v1/foods/{id}/`: the food database, for everyone.

Private foods (a person's own custom foods and recipes) appear only to their owner; for
anyone else their ids answer 404 like ids that do not exist.
"""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from mgsite.converters import ID_REGEX
from nutrition.foods import selectors
from nutrition.foods.models import Food, FoodGroup, FoodNutrient, Portion


def _number(**kwargs) -> serializers.DecimalField:
    # JSON numbers, not strings: clients compute with them.
    return serializers.DecimalField(
        max_digits=14, decimal_places=4, coerce_to_string=False, read_only=True, **kwargs
    )


class FoodGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = FoodGroup
        fields = ["code", "name"]


class FoodSummarySerializer(serializers.ModelSerializer):
    food_group = FoodGroupSerializer(read_only=True, allow_null=True)
    source = serializers.SlugRelatedField(source="data_source", slug_field="slug", read_only=True)
    magnesium_mg_per_100g = _number(allow_null=True)

    class Meta:
        model = Food
        fields = ["id", "name", "food_group", "source", "source_id", "magnesium_mg_per_100g"]


class NutrientValueSerializer(serializers.ModelSerializer):
    key = serializers.CharField(source="nutrient.key")
    usda_number = serializers.CharField(source="nutrient.usda_number")
    name = serializers.CharField(source="nutrient.name")
    unit = serializers.CharField(source="nutrient.unit")
    amount_per_100g = _number()

    class Meta:
        model = FoodNutrient
        fields = ["key", "usda_number", "name", "unit", "amount_per_100g"]


class PortionSerializer(serializers.ModelSerializer):
    amount = _number()
    gram_weight = _number()

    class Meta:
        model = Portion
        fields = ["id", "description", "amount", "gram_weight"]


class FoodDetailSerializer(FoodSummarySerializer):
    nutrients = serializers.SerializerMethodField()
    portions = PortionSerializer(many=True, read_only=True)

    class Meta(FoodSummarySerializer.Meta):
        fields = [*FoodSummarySerializer.Meta.fields, "nutrients", "portions"]

    @extend_schema_field(NutrientValueSerializer(many=True))
    def get_nutrients(self, food: Food) -> list[dict]:
        return NutrientValueSerializer(selectors.nutrient_rows(food), many=True).data


class FoodListParams(serializers.Serializer):
    """The list's query parameters; invalid ones answer 400 with DRF's usual body."""

    search = serializers.CharField(required=False, allow_blank=True, max_length=200)
    group = serializers.CharField(required=False, allow_blank=True, max_length=10)
    source = serializers.SlugField(required=False, allow_blank=True, max_length=40)
    source_id = serializers.CharField(required=False, allow_blank=True, max_length=40)
    ordering = serializers.ChoiceField(
        choices=sorted(selectors.ORDERINGS), required=False, allow_blank=True
    )


def _text(name: str, **schema) -> dict:
    """A query parameter's schema, as long as `FoodListParams` lets it be."""
    return {"type": "string", "maxLength": FoodListParams().fields[name].max_length, **schema}


@extend_schema_view(
    list=extend_schema(
        summary="Search and list foods",
        parameters=[
            OpenApiParameter(
                "search", _text("search"), description="Words of the food; best match first."
            ),
            OpenApiParameter("group", _text("group"), description="Food group code, e.g. 1100."),
            OpenApiParameter(
                "source",
                _text("source", pattern=r"^[-a-zA-Z0-9_]*$"),
                description='Data source: "usda-sr28", …',
            ),
            OpenApiParameter(
                "source_id", _text("source_id"), description="USDA NDB number or FDC id."
            ),
            OpenApiParameter(
                "ordering",
                str,
                enum=sorted(selectors.ORDERINGS),
                description="Sort order; with a search, replaces the relevance order.",
            ),
        ],
    ),
    retrieve=extend_schema(summary="One food with its nutrients per 100 g and its portions"),
)
class FoodViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = FoodSummarySerializer
    lookup_value_regex = ID_REGEX

    def get_serializer_class(self):
        return FoodDetailSerializer if self.action == "retrieve" else FoodSummarySerializer

    def get_queryset(self):
        params = FoodListParams(data=self.request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        data = params.validated_data
        return selectors.food_list(
            user=self.request.user,
            search_text=data.get("search", ""),
            group=data.get("group", ""),
            source=data.get("source", ""),
            source_id=data.get("source_id", ""),
            ordering=data.get("ordering", ""),
        )

    def get_object(self):
        return selectors.food_detail(food_id=int(self.kwargs["pk"]), user=self.request.user)
