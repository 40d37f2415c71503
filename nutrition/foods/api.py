"""`GET /api/v1/foods/` and `/api/v1/foods/{id}/`: the food database, for everyone.

`?barcode=` looks a packaged product up by its GTIN/UPC/EAN in any of its written forms.
Summaries of branded products add what their label says (brand, barcode, serving) and
whether USDA still lists them; other foods' summaries keep their original fields.

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
from nutrition.foods.barcodes import looks_like_barcode, shown_gtin
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


class ShownBarcodeField(serializers.CharField):
    """The stored 14-digit GTIN as printed on packs (12-digit UPC-A or 13-digit EAN-13)."""

    def to_representation(self, value: str) -> str:
        return shown_gtin(value)


# Only branded products carry these (absent, not null, for other foods: the schema marks them
# optional by declaring them not read-only; the API never writes foods).
BRANDED_FIELDS = (
    "brand",
    "barcode",
    "serving_size",
    "serving_size_unit",
    "household_serving",
    "discontinued_on",
)


class FoodSummarySerializer(serializers.ModelSerializer):
    food_group = FoodGroupSerializer(read_only=True, allow_null=True)
    source = serializers.SlugRelatedField(source="data_source", slug_field="slug", read_only=True)
    magnesium_mg_per_100g = _number(allow_null=True)
    brand = serializers.CharField(required=False, help_text="Branded products: the brand.")
    barcode = ShownBarcodeField(
        required=False,
        help_text="Branded products: the GTIN as printed (12-digit UPC-A or 13-digit EAN-13); "
        "empty when the label gives none.",
    )
    serving_size = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        coerce_to_string=False,
        required=False,
        allow_null=True,
        help_text="Branded products: the label's serving, in `serving_size_unit`.",
    )
    serving_size_unit = serializers.CharField(required=False, help_text='"g" or "ml".')
    household_serving = serializers.CharField(
        required=False, help_text='Branded products: the serving in words, e.g. "1 bar".'
    )
    discontinued_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Branded products: when USDA stopped listing the product (null while listed).",
    )

    class Meta:
        model = Food
        fields = [
            "id",
            "name",
            "food_group",
            "source",
            "source_id",
            "magnesium_mg_per_100g",
            *BRANDED_FIELDS,
        ]

    branded_fields: tuple[str, ...] = BRANDED_FIELDS

    def to_representation(self, food: Food) -> dict:
        data = super().to_representation(food)
        if food.data_type != Food.DataType.BRANDED:
            for name in self.branded_fields:
                data.pop(name, None)
        return data


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
    ingredients = serializers.CharField(
        required=False, help_text="Branded products: the ingredients as the label lists them."
    )
    published_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Branded products: when USDA published the label data.",
    )

    branded_fields = (*BRANDED_FIELDS, "ingredients", "published_on")

    class Meta(FoodSummarySerializer.Meta):
        fields = [
            *FoodSummarySerializer.Meta.fields,
            "ingredients",
            "published_on",
            "nutrients",
            "portions",
        ]

    @extend_schema_field(NutrientValueSerializer(many=True))
    def get_nutrients(self, food: Food) -> list[dict]:
        return NutrientValueSerializer(selectors.nutrient_rows(food), many=True).data


class FoodListParams(serializers.Serializer):
    """The list's query parameters; invalid ones answer 400 with DRF's usual body."""

    search = serializers.CharField(required=False, allow_blank=True, max_length=200)
    group = serializers.CharField(required=False, allow_blank=True, max_length=10)
    source = serializers.SlugField(required=False, allow_blank=True, max_length=40)
    source_id = serializers.CharField(required=False, allow_blank=True, max_length=40)
    barcode = serializers.CharField(required=False, allow_blank=True, max_length=32)
    ordering = serializers.ChoiceField(
        choices=sorted(selectors.ORDERINGS), required=False, allow_blank=True
    )

    def validate_barcode(self, value: str) -> str:
        if value.strip() and not looks_like_barcode(value):
            raise serializers.ValidationError(
                "Not a barcode: give the 8, 12, 13 or 14 digits printed under the bars "
                "(GTIN, UPC or EAN)."
            )
        return value.strip()


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
                "barcode",
                _text("barcode", pattern=r"^[0-9 -]*$"),
                description="A GTIN, UPC or EAN (8, 12, 13 or 14 digits; leading zeros and the "
                "forms of one code are the same product). Answers the foods with that code, "
                "products still listed first, and ignores the other parameters.",
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
        if data.get("barcode"):
            return selectors.foods_by_barcode(code=data["barcode"], user=self.request.user)
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
