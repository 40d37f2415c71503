"""`/sitemap.xml`: the public pages, published articles and public foods."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from nutrition.content.models import Article
from nutrition.foods.models import Food


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> list[str]:
        return ["home", "content:list", "/foods/magnesium-rich/"]

    def location(self, item: str) -> str:
        return item if item.startswith("/") else reverse(item)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self) -> QuerySet[Article]:
        return (
            Article.objects.published()
            .only("slug", "updated_at", "published_at")
            .order_by("published_at", "id")
        )

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at


class FoodSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.5
    # The protocol's maximum of 50,000 addresses per file (Django's default `limit`) holds
    # all 8,789 SR28 foods in one page.

    def items(self) -> QuerySet[Food]:
        return Food.objects.public().only("id", "updated_at").order_by("id")

    def location(self, item: Food) -> str:
        # The food page address from the contract: /foods/<id>/.
        return f"/foods/{item.pk}/"

    def lastmod(self, item: Food) -> datetime:
        return item.updated_at


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "foods": FoodSitemap}
