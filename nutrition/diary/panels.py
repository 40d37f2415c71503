"""The diary's panel on the food page (registered in `DiaryConfig.ready`): add the food to
today's diary, in one of its portions or in grams."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from accounts.permissions import has_verified_email
from nutrition.diary.models import Meal
from nutrition.foods.models import Food, Portion


def add_to_diary_panel(
    request: HttpRequest, *, food: Food, portion: Portion | None
) -> SafeString | None:
    if not has_verified_email(request.user):
        return None
    context = {
        "food": food,
        "portion": portion,
        "portions": list(food.portions.all()),  # prefetched by the food page
        "meal_choices": Meal.choices,
    }
    return render_to_string("diary/_add_to_diary.html", context, request=request)
