"""Query counts stay fixed however many articles, tags and references there are."""

import pytest

from tests.conftest import throttle_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_articles(make_article, tag):
    from nutrition.content.models import Tag

    extra = Tag.objects.create(name="Extra", slug="extra")
    return [make_article(tags=[tag, extra]) for _ in range(8)]


def test_list_page(client, many_articles, django_assert_num_queries):
    # categories with counts, page count, the page of articles, their tags
    with django_assert_num_queries(4):
        assert client.get("/articles/").status_code == 200


def test_list_page_filtered(client, many_articles, django_assert_num_queries):
    # as above, plus the tag looked up by its slug
    with django_assert_num_queries(5):
        assert client.get("/articles/", {"tag": "extra", "q": "test"}).status_code == 200


def test_article_page(client, many_articles, django_assert_num_queries):
    article = many_articles[0]
    # the article with category and author, its tags, its references, related articles
    with django_assert_num_queries(4):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_api_list(api_client, many_articles, django_assert_num_queries):
    # count, the page, the tags, and the anonymous visitor's two throttles
    with django_assert_num_queries(3 + throttle_queries(2)):
        assert api_client.get("/api/v1/articles/").status_code == 200


def test_api_detail(api_client, many_articles, django_assert_num_queries):
    article = many_articles[0]
    # the article with category and author, its tags, its references, and the throttles
    with django_assert_num_queries(3 + throttle_queries(2)):
        assert api_client.get(f"/api/v1/articles/{article.slug}/").status_code == 200


def test_feed(client, many_articles, django_assert_num_queries):
    # the articles with categories, their tags
    with django_assert_num_queries(2):
        assert client.get("/articles/feed/").status_code == 200


def test_latest_articles_include(many_articles, django_assert_num_queries):
    from django.template.loader import render_to_string

    with django_assert_num_queries(1):
        render_to_string("content/_latest.html")
