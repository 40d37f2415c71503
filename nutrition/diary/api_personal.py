"""The person's own things in the JSON API: favourite foods, copying a day, custom foods and
recipes.

The HTML pages (`views.py`, `food_views.py`) already offer these; this module gives them to
API clients through the same services, so the rules live in one place. As in `api.py`, every
queryset starts from `request.user` (another person's object is a 404), serializers check
shapes only, and a service's ValidationError comes back as a 400 naming the field.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mgsite.api_base import PersonalQueryMixin, PersonalViewSet
from mgsite.api_errors import as_api_error
from mgsite.api_schema import limits
from mgsite.converters import ID_REGEX, MAX_ID
from mgsite.dates import RANGE_NOTE, parse_day_param
from mgsite.limits import RateLimited
from nutrition import amounts
from nutrition.diary import custom_foods, selectors, services
from nutrition.diary.api import TOO_MANY
from nutrition.diary.models import (
    MAX_DOSES_PER_DAY,
    MAX_ENTRIES_PER_DAY,
    MAX_ENTRY_GRAMS,
    MAX_NEW_DOSES_PER_MINUTE,
    MAX_NEW_ENTRIES_PER_MINUTE,
    MAX_QUANTITY,
    FavouriteFood,
    Meal,
    Recipe,
    RecipeIngredient,
)
from nutrition.diary.serializers import (
    DIARY_DAY,
    DiaryEntrySerializer,
    SupplementIntakeSerializer,
    above_zero,
)
from nutrition.diary.serializers import NUMBER as _NUMBER
from nutrition.foods.api import PortionSerializer
from nutrition.foods.bounds import MIN_PORTION_GRAMS
from nutrition.foods.models import Food, Portion

_ID = ID_REGEX


def _api_error(exc: DjangoValidationError, names: dict[str, str]) -> ValidationError:
    """`as_api_error`, with the service's field names renamed to this endpoint's."""
    detail = as_api_error(exc).detail
    return ValidationError({names.get(field, field): msgs for field, msgs in detail.items()})


def _serving(food: Food) -> Portion | None:
    """The serving the services create as portion 1 (read from the prefetch when there is one)."""
    return next((portion for portion in food.portions.all() if portion.seq == 1), None)


def _mg_per_serving(food: Food, serving: Portion | None) -> Decimal | None:
    """Magnesium in one serving as shown, as the recipe page computes it."""
    if serving is None:
        return None
    return amounts.shown(amounts.in_grams(serving.gram_weight, food.magnesium_mg_per_100g))


# --- Favourites -----------------------------------------------------------------------------------


class FavouriteSerializer(serializers.Serializer):
    food = serializers.IntegerField(source="food_id", min_value=1, max_value=MAX_ID)
    food_name = serializers.CharField(source="food.name", read_only=True)
    magnesium_mg_per_100g = serializers.DecimalField(
        source="food.magnesium_mg_per_100g", read_only=True, allow_null=True, **_NUMBER
    )
    created_at = serializers.DateTimeField(read_only=True)


class FavouriteViewSet(PersonalQueryMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The person's favourite foods: `GET|POST`, and `DELETE` one by its food id.

    `POST` is idempotent: it answers 201 when the food becomes a favourite and 200, with the
    same body, when it already was one. `DELETE` of a food that is not a favourite is a 404.
    """

    model = FavouriteFood
    serializer_class = FavouriteSerializer
    lookup_field = "food_id"
    lookup_url_kwarg = "food_id"
    lookup_value_regex = _ID

    def personal_queryset(self, user):
        return selectors.favourites_for(user=user)

    @extend_schema(
        request=FavouriteSerializer,
        responses={200: FavouriteSerializer, 201: FavouriteSerializer},
        description="201 when the food becomes a favourite; 200 when it already was one.",
    )
    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        food_id = serializer.validated_data["food_id"]
        existed = selectors.is_favourite(user=request.user, food_id=food_id)
        services.favourite_set(user=request.user, food_id=food_id, favourite=True)
        favourite = self.get_queryset().get(food_id=food_id)
        return Response(
            self.get_serializer(favourite).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, food_id: str) -> Response:
        favourite = self.get_object()
        services.favourite_set(user=request.user, food_id=favourite.food_id, favourite=False)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Copying a day or a meal ----------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.DATE)
class _DayText(serializers.CharField):
    """A YYYY-MM-DD string; the view parses it with `parse_day_param` like every diary date."""

    def to_internal_value(self, data: Any) -> str:
        # CharField would turn 20260204 into "20260204", which parses as a date: not a string.
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CopySerializer(serializers.Serializer):
    source_date = _DayText(help_text=f"The day to copy from (always your own). {RANGE_NOTE}")
    target_date = _DayText(help_text=f"The day to copy into. {DIARY_DAY}")
    meal = serializers.ChoiceField(
        choices=Meal.choices,
        required=False,
        allow_null=True,
        help_text="Copy only this meal's entries; leave out (or null) to copy the whole day.",
    )
    include_supplements = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Copy the source day's supplement doses too (doses have no meal: with "
        "`meal`, the day's doses come along). Only doses of products still on your list.",
    )
    again = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Copy everything once more, even what was copied into that day before "
        "(new entries and doses, marked as copies). Send it after a 200 with `count` 0 "
        "and `already_copied`, once the person has confirmed.",
    )


class CopyResultSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many entries were added.")
    already_copied = serializers.IntegerField(
        help_text="Entries of the source copied into that day and meal before: not copied "
        "again (unless `again`)."
    )
    entries = DiaryEntrySerializer(many=True)
    doses_count = serializers.IntegerField(help_text="How many supplement doses were added.")
    doses_already_copied = serializers.IntegerField(
        help_text="Doses of the source copied into that day before: not copied again."
    )
    doses = SupplementIntakeSerializer(many=True)
    copied_before_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the source was last copied into that day, or null if never: with "
        "`count` and `doses_count` 0, ask the person before sending the copy with `again`.",
    )


class CopyView(APIView):
    """`POST /api/v1/diary/copy/`: a day's entries, or one meal's, copied to another day."""

    # The service's field names -> this endpoint's.
    _names = {"source_day": "source_date", "date": "target_date"}

    @extend_schema(
        request=CopySerializer,
        responses={201: CopyResultSerializer, 200: CopyResultSerializer, 429: TOO_MANY},
        description="201 with the new entries (and doses, with `include_supplements`). The "
        "source is always the signed-in person's own day. Copying the same source again adds "
        "only what is not there yet: rows copied into that day (and meal) before are left "
        "out (`already_copied`, `doses_already_copied`), and when nothing is left the answer "
        "is 200 with `count` 0 and `copied_before_at`: ask the person, and send `again: true` "
        "to copy it all once more. "
        "All or nothing. Refused with a 400: copying a day onto itself (or a meal "
        f"onto the same day), more than {MAX_NEW_ENTRIES_PER_MINUTE} entries or "
        f"{MAX_NEW_DOSES_PER_MINUTE} doses at once (copy one meal at a time), or more than "
        f"{MAX_ENTRIES_PER_DAY} entries or {MAX_DOSES_PER_DAY} doses on the target day. "
        f"Copied entries count towards the {MAX_NEW_ENTRIES_PER_MINUTE} new entries a person "
        f"may add a minute, copied doses towards the {MAX_NEW_DOSES_PER_MINUTE} doses (a 429 "
        "with Retry-After).",
    )
    def post(self, request: Request) -> Response:
        params = CopySerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        source_day = parse_day_param(data["source_date"], "source_date")
        target_day = parse_day_param(data["target_date"], "target_date")
        try:
            copied = services.diary_copy(
                user=request.user,
                source_day=source_day,
                target_day=target_day,
                meal=data.get("meal"),
                include_supplements=data["include_supplements"],
                again=data["again"],
            )
        except RateLimited:
            raise  # a 429 (mgsite.api_errors)
        except DjangoValidationError as exc:
            raise _api_error(exc, self._names) from exc
        # Read back with their foods and portions: one query instead of two per entry.
        entries = (
            list(
                selectors.entries_for(user=request.user)
                .filter(pk__in=[copy.pk for copy in copied.entries])
                .order_by("created_at", "id")
            )
            if copied.entries
            else []
        )
        doses = (
            list(
                selectors.intakes_for(user=request.user).filter(
                    pk__in=[dose.pk for dose in copied.doses]
                )
            )
            if copied.doses
            else []
        )
        body = {
            "count": len(entries),
            "already_copied": copied.already,
            "entries": entries,
            "doses_count": len(doses),
            "doses_already_copied": copied.doses_already,
            "doses": doses,
            "copied_before_at": copied.copied_before_at,
        }
        return Response(
            CopyResultSerializer(body).data,
            status=status.HTTP_201_CREATED if entries or doses else status.HTTP_200_OK,
        )


# --- Custom foods ---------------------------------------------------------------------------------


class CustomFoodSerializer(serializers.Serializer):
    """A private food entered from its label, per serving, and shown per 100 g."""

    id = serializers.IntegerField(read_only=True)
    name = limits(serializers.CharField(), maxLength=custom_foods.NAME_MAX)
    serving_description = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="The label's serving, such as “bar” or “slice”; “serving” when left out. "
        "Its first 100 characters are kept.",
    )
    serving_grams = limits(
        serializers.DecimalField(
            write_only=True, help_text="The serving's weight in grams; kept to 0.001 g.", **_NUMBER
        ),
        minimum=MIN_PORTION_GRAMS,
        maximum=MAX_ENTRY_GRAMS,
    )
    magnesium_mg_per_100g = serializers.DecimalField(read_only=True, allow_null=True, **_NUMBER)
    energy_kcal_per_100g = serializers.DecimalField(read_only=True, allow_null=True, **_NUMBER)
    net_carbs_g_per_100g = serializers.DecimalField(read_only=True, allow_null=True, **_NUMBER)
    serving = serializers.SerializerMethodField()
    magnesium_mg_per_serving = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        # The nutrients per serving, as the HTML form asks for them (magnesium is required).
        fields = super().get_fields()
        for key, (label, unit, most) in custom_foods.CUSTOM_NUTRIENTS.items():
            required = key == "magnesium"
            fields[key] = limits(
                serializers.DecimalField(
                    write_only=True,
                    required=required,
                    allow_null=not required,
                    help_text=f"{label} in one serving, in {unit}"
                    + (" (0 if the label has none)." if required else ".")
                    + " Per 100 g it must stay within what 100 g of a food can hold.",
                    **_NUMBER,
                ),
                minimum=0,
                maximum=most,
            )
        return fields

    @extend_schema_field(PortionSerializer(allow_null=True))
    def get_serving(self, food: Food) -> dict[str, Any] | None:
        serving = _serving(food)
        return None if serving is None else PortionSerializer(serving).data

    @extend_schema_field(serializers.DecimalField(allow_null=True, **_NUMBER))
    def get_magnesium_mg_per_serving(self, food: Food) -> Decimal | None:
        return _mg_per_serving(food, _serving(food))

    def create(self, validated_data: dict[str, Any]) -> Food:
        return custom_foods.custom_food_create(
            user=self.context["request"].user,
            name=validated_data["name"],
            serving_description=validated_data.get("serving_description", ""),
            serving_grams=validated_data["serving_grams"],
            per_serving={key: validated_data.get(key) for key in custom_foods.CUSTOM_NUTRIENTS},
        )


STILL_USED = OpenApiResponse(
    description="The food is still in your diary or in a recipe (named by `food`); remove it "
    "there first."
)


@extend_schema_view(destroy=extend_schema(responses={204: None, 400: STILL_USED}))
class CustomFoodViewSet(PersonalViewSet):
    """The person's private custom foods: `GET|POST`, and `GET|DELETE` one.

    Recipes are private foods too, but they are built from ingredients rather than entered
    from a label, so they have their own endpoints (`/api/v1/me/recipes/`); a recipe's id here
    is a 404. A food still in the diary or in a recipe cannot be deleted (400).
    """

    model = Food
    serializer_class = CustomFoodSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def personal_queryset(self, user):
        return selectors.own_foods(user=user, kind=Food.DataType.CUSTOM)

    def perform_destroy(self, food: Food) -> None:
        custom_foods.custom_food_delete(user=self.request.user, food=food)


# --- Recipes --------------------------------------------------------------------------------------


class IngredientSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    food = serializers.IntegerField(source="food_id", read_only=True)
    food_name = serializers.CharField(source="food.name", read_only=True)
    grams = serializers.DecimalField(read_only=True, **_NUMBER)


class RecipeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="food_id", help_text="The recipe's food id.")
    name = serializers.CharField(source="food.name")
    servings = serializers.IntegerField()
    serving = serializers.SerializerMethodField()
    magnesium_mg_per_100g = serializers.DecimalField(
        source="food.magnesium_mg_per_100g", allow_null=True, **_NUMBER
    )
    magnesium_mg_per_serving = serializers.SerializerMethodField()
    ingredients = IngredientSerializer(many=True)

    @extend_schema_field(PortionSerializer(allow_null=True))
    def get_serving(self, recipe: Recipe) -> dict[str, Any] | None:
        """Null until an ingredient is added: the serving's weight follows the ingredients."""
        serving = _serving(recipe.food)
        if serving is None or recipe.food.magnesium_mg_per_100g is None:
            return None
        return PortionSerializer(serving).data

    @extend_schema_field(serializers.DecimalField(allow_null=True, **_NUMBER))
    def get_magnesium_mg_per_serving(self, recipe: Recipe) -> Decimal | None:
        return _mg_per_serving(recipe.food, _serving(recipe.food))


class RecipeCreateSerializer(serializers.Serializer):
    name = limits(serializers.CharField(), maxLength=custom_foods.NAME_MAX)
    servings = limits(
        serializers.IntegerField(help_text="How many servings the recipe makes."),
        minimum=1,
        maximum=custom_foods.MAX_SERVINGS,
    )


class IngredientCreateSerializer(serializers.Serializer):
    food = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    grams = above_zero(
        serializers.DecimalField(
            required=False,
            allow_null=True,
            help_text="The ingredient's weight, when no portion is given; kept to 0.01 g.",
            **_NUMBER,
        ),
        MAX_ENTRY_GRAMS,
    )
    portion = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="One of the food's portions.",
    )
    quantity = above_zero(
        serializers.DecimalField(
            required=False,
            allow_null=True,
            help_text="How many of the portion's unit; defaults to the portion's amount. Kept "
            "to 0.001; the ingredient weighs at most 5,000 g.",
            **_NUMBER,
        ),
        MAX_QUANTITY,
    )


@extend_schema_view(destroy=extend_schema(responses={204: None, 400: STILL_USED}))
class RecipeViewSet(
    PersonalQueryMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The person's recipes: `GET|POST`, `GET|DELETE` one, and its ingredients.

    A recipe is a private food (data type "recipe"): its values per 100 g and its serving's
    weight are recomputed by the services whenever an ingredient is added or removed.
    """

    model = Recipe
    serializer_class = RecipeSerializer
    lookup_field = "food_id"
    lookup_url_kwarg = "food_id"
    lookup_value_regex = _ID

    def personal_queryset(self, user):
        return selectors.recipes_for(user=user)

    def get_object(self) -> Recipe:
        try:
            recipe = selectors.recipe_for(
                user=self.request.user, food_id=int(self.kwargs["food_id"])
            )
        except Recipe.DoesNotExist as exc:
            raise Http404 from exc
        self.check_object_permissions(self.request, recipe)
        return recipe

    def _answer(self, food_id: int, code: int = status.HTTP_200_OK) -> Response:
        recipe = selectors.recipe_for(user=self.request.user, food_id=food_id)
        return Response(RecipeSerializer(recipe).data, status=code)

    @extend_schema(request=RecipeCreateSerializer, responses={201: RecipeSerializer})
    def create(self, request: Request) -> Response:
        """An empty recipe; add its ingredients next."""
        params = RecipeCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        recipe = custom_foods.recipe_create(user=request.user, **params.validated_data)
        return self._answer(recipe.food_id, status.HTTP_201_CREATED)

    def retrieve(self, request: Request, food_id: str) -> Response:
        return Response(RecipeSerializer(self.get_object()).data)

    def perform_destroy(self, recipe: Recipe) -> None:
        custom_foods.custom_food_delete(user=self.request.user, food=recipe.food)

    @extend_schema(
        request=IngredientCreateSerializer,
        responses={201: RecipeSerializer},
        description="Adds an ingredient by grams or by a portion; answers the whole recipe "
        "with its recomputed values.",
    )
    @action(detail=True, methods=["post"], url_path="ingredients")
    def ingredients(self, request: Request, food_id: str) -> Response:
        recipe = self.get_object()
        params = IngredientCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        custom_foods.recipe_ingredient_add(
            user=request.user,
            recipe=recipe,
            food_id=data["food"],
            grams=data.get("grams"),
            portion_id=data.get("portion"),
            quantity=data.get("quantity"),
        )
        return self._answer(recipe.food_id, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("ingredient_id", str, OpenApiParameter.PATH, pattern=_ID)],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"ingredients/(?P<ingredient_id>{_ID})",
        url_name="ingredient",
    )
    def ingredient_remove(self, request: Request, food_id: str, ingredient_id: str) -> Response:
        try:
            ingredient = selectors.ingredient_for(
                user=request.user, pk=int(ingredient_id), recipe_food_id=int(food_id)
            )
        except RecipeIngredient.DoesNotExist:
            raise Http404 from None
        custom_foods.recipe_ingredient_remove(user=request.user, ingredient=ingredient)
        return Response(status=status.HTTP_204_NO_CONTENT)
