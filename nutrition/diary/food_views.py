"""A person's own foods and recipes: create, build a recipe from ingredients, delete."""

from decimal import Decimal

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mgsite.text import clean_query
from nutrition import amounts
from nutrition.diary import custom_foods, selectors
from nutrition.diary.forms import CustomFoodForm, EntryForm, RecipeForm
from nutrition.diary.models import Recipe, RecipeIngredient
from nutrition.diary.views import SEARCH_LIMIT, _search
from nutrition.foods.models import Food
from nutrition.foods.templatetags.units import household_first


@verified_email_required
@require_http_methods(["GET", "POST"])
def foods(request: HttpRequest) -> HttpResponse:
    """The list of the person's own foods and recipes, and the forms to add them."""
    food_form = CustomFoodForm(request.POST if "add_food" in request.POST else None)
    recipe_form = RecipeForm(request.POST if "add_recipe" in request.POST else None)
    if request.method == "POST":
        if "add_food" in request.POST and food_form.is_valid():
            try:
                food = custom_foods.custom_food_create(
                    user=request.user, **food_form.service_values()
                )
            except ValidationError as exc:
                food_form.add_service_errors(exc)
            else:
                messages.success(request, f"Saved {food.name}. Search for it to add it.")
                return redirect("diary:foods")
        if "add_recipe" in request.POST and recipe_form.is_valid():
            try:
                recipe = custom_foods.recipe_create(
                    user=request.user,
                    name=recipe_form.cleaned_data["name"],
                    servings=recipe_form.cleaned_data["servings"],
                )
            except ValidationError as exc:
                recipe_form.add_service_errors(exc)
            else:
                messages.success(request, "Recipe started. Now add its ingredients.")
                return redirect("diary:recipe", food_id=recipe.food_id)
    person = selectors.person_for(user=request.user)
    context = {
        "own_foods": selectors.own_foods(user=request.user),
        "food_form": food_form,
        "recipe_form": recipe_form,
        "today": selectors.today_for(user=request.user, person=person),
        "units": person.units,
    }
    status = 400 if food_form.errors or recipe_form.errors else 200
    return render(request, "diary/foods.html", context, status=status)


@verified_email_required
@require_POST
def food_delete(request: HttpRequest, food_id: int) -> HttpResponse:
    try:
        food = selectors.own_food(user=request.user, food_id=food_id)
    except Food.DoesNotExist:
        raise Http404 from None
    try:
        custom_foods.custom_food_delete(user=request.user, food=food)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Deleted {food.name}.")
    return redirect("diary:foods")


def _own_recipe(request: HttpRequest, food_id: int) -> Recipe:
    try:
        return selectors.recipe_for(user=request.user, food_id=food_id)
    except Recipe.DoesNotExist as exc:
        raise Http404 from exc


def _per_serving(recipe: Recipe, serving) -> list[tuple[str, str, Decimal | None]]:
    """The recipe's nutrients in one serving, in the custom-food order."""
    per_100g = {
        value.nutrient.key: value.amount_per_100g
        for value in recipe.food.nutrient_values.select_related("nutrient")
    }
    grams = serving.gram_weight if serving is not None else amounts.HUNDRED
    return [
        (name, unit, amounts.in_grams(grams, per_100g.get(key)))
        for key, (name, unit, _) in custom_foods.CUSTOM_NUTRIENTS.items()
    ]


def _render_recipe(
    request: HttpRequest, recipe: Recipe, form: EntryForm | None = None, status: int = 200
) -> HttpResponse:
    query = clean_query(request.GET.get("q"), 100).strip()
    results = [f for f in _search(query, request.user) if f.pk != recipe.food_id] if query else []
    portions = selectors.portions_by_food(food_ids={f.pk for f in results[:SEARCH_LIMIT]})
    serving = next((p for p in recipe.food.portions.all() if p.seq == 1), None)
    person = selectors.person_for(user=request.user)
    context = {
        "recipe": recipe,
        "food": recipe.food,
        "ingredients": list(recipe.ingredients.all()),
        "serving": serving,
        "query": query,
        "results": [
            {"food": food, "portions": household_first(portions.get(food.pk, []), person.units)}
            for food in results
        ],
        "form": form,
        "today": selectors.today_for(user=request.user, person=person),
        "units": person.units,
        "nutrients": _per_serving(recipe, serving),
    }
    return render(request, "diary/recipe.html", context, status=status)


@verified_email_required
@require_http_methods(["GET", "POST"])
def recipe(request: HttpRequest, food_id: int) -> HttpResponse:
    """A recipe's ingredients: search a food and add it by portion or grams."""
    current = _own_recipe(request, food_id)
    if request.method == "GET":
        return _render_recipe(request, current)
    form = EntryForm(request.POST)
    form.fields["meal"].required = False
    if form.is_valid():
        try:
            custom_foods.recipe_ingredient_add(
                user=request.user,
                recipe=current,
                food_id=form.cleaned_data["food"],
                **form.service_amount(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Ingredient added.")
            return redirect("diary:recipe", food_id=food_id)
    return _render_recipe(request, current, form=form, status=400)


@verified_email_required
@require_POST
def ingredient_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ingredient = selectors.ingredient_for(user=request.user, pk=pk)
    except RecipeIngredient.DoesNotExist:
        raise Http404 from None
    food_id = ingredient.recipe.food_id
    custom_foods.recipe_ingredient_remove(user=request.user, ingredient=ingredient)
    messages.success(request, "Ingredient removed.")
    return redirect("diary:recipe", food_id=food_id)
