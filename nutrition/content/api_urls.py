from rest_framework.routers import SimpleRouter

from nutrition.content.api import ArticleViewSet

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")

urlpatterns = router.urls
