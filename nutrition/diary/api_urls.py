from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from mgsite.converters import DAY_REGEX
from nutrition.diary import api, api_personal

router = SimpleRouter()
router.register("diary/entries", api.DiaryEntryViewSet, basename="diary-entry")
router.register("diary/supplement-intakes", api.SupplementIntakeViewSet, basename="diary-intake")
router.register("diary/favourites", api_personal.FavouriteViewSet, basename="diary-favourite")
router.register("supplements", api.SupplementViewSet, basename="supplement")
router.register("me/foods", api_personal.CustomFoodViewSet, basename="me-food")
router.register("me/recipes", api_personal.RecipeViewSet, basename="me-recipe")

urlpatterns = [
    re_path(rf"^diary/days/(?P<day>{DAY_REGEX})/$", api.DayView.as_view(), name="diary-day"),
    path("diary/summary/", api.SummaryView.as_view(), name="diary-summary"),
    path("diary/copy/", api_personal.CopyView.as_view(), name="diary-copy"),
    path("me/targets/", api.TargetsView.as_view(), name="me-targets"),
    path("me/diary-settings/", api.DiarySettingsView.as_view(), name="me-diary-settings"),
    *router.urls,
]
