"""RSS 2.0 feed of the newest published articles at /articles/feed/."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from nutrition.content.models import Article
from nutrition.content.selectors import article_list

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "mgsite articles"
    description = (
        "Plain-language articles on magnesium, insulin resistance and type 2 diabetes: "
        "why magnesium matters, which foods supply it and when a supplement makes sense."
    )
    language = "en"

    def link(self) -> str:
        return reverse("content:list")

    def feed_url(self) -> str:
        return reverse("content:feed")

    def items(self) -> list[Article]:
        return list(article_list()[:FEED_LENGTH])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        names = [item.category.name] if item.category else []
        return names + [tag.name for tag in item.tags.all()]
