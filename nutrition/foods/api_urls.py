from rest_framework.routers import SimpleRouter

from nutrition.foods.api import FoodViewSet

router = SimpleRouter()
router.register("foods", FoodViewSet, basename="food")

urlpatterns = router.urls
