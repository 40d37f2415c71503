"""The diary's panels on the pages of the apps below it (registered in `DiaryConfig.ready`):
on the food page, add the food to today's diary; on the health record, what the diary offers
for a low serum magnesium and a caution about supplements when kidney function is low."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from accounts.models import User
from accounts.permissions import has_verified_email
from nutrition.diary import selectors
from nutrition.diary.models import Meal
from nutrition.foods.models import Food, Portion
from nutrition.health import selectors as health


def add_to_diary_panel(
    request: HttpRequest,
    *,
    food: Food,
    portion: Portion | None,
    portions: list[Portion],
    units: str,
) -> SafeString | None:
    if not has_verified_email(request.user):
        return None
    context = {
        "food": food,
        "portion": portion,
        "portions": portions,  # as the food page offers them: household first for US units
        "units": units,
        "meal_choices": Meal.choices,
    }
    return render_to_string("diary/_add_to_diary.html", context, request=request)


def health_record_panel(
    request: HttpRequest, *, user: User, picture: health.Picture
) -> SafeString | None:
    """Below the markers of the person's own health record: where the diary's foods that
    close the gap are, when serum magnesium is low; a caution when eGFR is under 60 and
    supplements are on their list (one query, only then). Nothing for another viewer: the
    links lead to the viewer's own diary."""
    if request.user.pk != user.pk:
        return None
    magnesium_low = picture.magnesium_status is not None and picture.magnesium_status.code == "low"
    supplements = []
    if selectors.low_egfr(picture.egfr):
        supplements = list(
            selectors.current_supplements(user=user).order_by("name").values_list("name", flat=True)
        )
    if not magnesium_low and not supplements:
        return None
    context = {
        "magnesium_status": picture.magnesium_status if magnesium_low else None,
        "supplements": supplements,
        "kidney_advice": selectors.kidney_advice(picture.egfr) if supplements else "",
        "egfr_note": selectors.egfr_note(picture.egfr),
    }
    return render_to_string("diary/_health_record_panel.html", context, request=request)
