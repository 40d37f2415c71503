from django.urls import path
from rest_framework.routers import SimpleRouter

from nutrition.health import api

router = SimpleRouter()
router.register("me/labs", api.LabResultViewSet, basename="me-lab")

urlpatterns = [
    path("me/metabolic/", api.MetabolicView.as_view(), name="me-metabolic"),
    *router.urls,
]
