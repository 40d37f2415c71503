"""The RSS feed and /sitemap.xml parse as XML and list what they should."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from nutrition.diary.models import OwnFood
from nutrition.foods.models import DataSource, Food

pytestmark = pytest.mark.django_db


def parse_xml(content: bytes) -> ET.Element:
    # The site's own response in a test, not untrusted input.
    return ET.fromstring(content)  # noqa: S314


SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_feed_is_valid_rss_with_items_linking_to_articles(client, published_article, draft_article):
    response = client.get("/articles/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse_xml(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "mgsite articles"
    assert channel.findtext("link") == "https://testserver/articles/"
    items = channel.findall("item")
    assert items, "the feed has no items"
    links = [item.findtext("link") for item in items]
    assert f"https://testserver{published_article.get_absolute_url()}" in links
    assert all(urlsplit(link).path.startswith("/articles/") for link in links)
    for item in items:
        assert item.findtext("title") and item.findtext("description")
        assert item.findtext("pubDate")
        assert item.findtext("guid") == item.findtext("link")
    assert draft_article.title not in response.content.decode()
    ours = next(
        i for i in items if i.findtext("link").endswith(published_article.get_absolute_url())
    )
    assert {c.text for c in ours.findall("category")} == {"Test science", "Test tag"}


def test_feed_links_resolve_to_article_pages(client, published_article):
    root = parse_xml(client.get("/articles/feed/").content)
    for item in root.iter("item"):
        assert client.get(urlsplit(item.findtext("link")).path).status_code == 200


@pytest.fixture
def foods(user):
    source, _ = DataSource.objects.get_or_create(slug="usda-sr28", defaults={"name": "SR28"})
    public = Food.objects.create(
        data_source=source, source_id="11457", name="Spinach, raw", data_type="sr_legacy"
    )
    private = Food.objects.create(
        data_source=source,
        source_id="private-1",
        name="My secret smoothie",
        data_type="recipe",
        private=True,
    )
    OwnFood.objects.create(food=private, user=user)
    return public, private


def test_sitemap_lists_articles_and_public_foods(client, published_article, draft_article, foods):
    public, private = foods
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = parse_xml(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locations = [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]
    paths = {urlsplit(loc).path for loc in locations}
    assert all(loc.startswith("https://testserver/") for loc in locations)
    assert published_article.get_absolute_url() in paths
    assert draft_article.get_absolute_url() not in paths
    assert f"/foods/{public.pk}/" in paths
    assert f"/foods/{private.pk}/" not in paths
    assert {"/", "/articles/"} <= paths
    entry = next(
        url
        for url in root.findall("sm:url", SITEMAP_NS)
        if url.findtext("sm:loc", namespaces=SITEMAP_NS).endswith(
            published_article.get_absolute_url()
        )
    )
    assert entry.findtext("sm:lastmod", namespaces=SITEMAP_NS)
