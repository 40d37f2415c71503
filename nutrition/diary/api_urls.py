from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from nutrition.diary import api

router = SimpleRouter()
router.register("diary/entries", api.DiaryEntryViewSet, basename="diary-entry")
router.register("diary/supplement-intakes", api.SupplementIntakeViewSet, basename="diary-intake")
router.register("supplements", api.SupplementViewSet, basename="supplement")

urlpatterns = [
    re_path(r"^diary/days/(?P<day>\d{4}-\d{2}-\d{2})/$", api.DayView.as_view(), name="diary-day"),
    path("diary/summary/", api.SummaryView.as_view(), name="diary-summary"),
    path("me/targets/", api.TargetsView.as_view(), name="me-targets"),
    *router.urls,
]
