from django.contrib.auth.decorators import login_not_required
from django.urls import path

from nutrition.content import views
from nutrition.content.feeds import LatestArticlesFeed

app_name = "content"

urlpatterns = [
    path("", views.article_list, name="list"),
    # Before the slug route: "feed" is a reserved slug (models.RESERVED_SLUGS).
    path("feed/", login_not_required(LatestArticlesFeed()), name="feed"),
    path("<slug:slug>/", views.article_detail, name="detail"),
]
