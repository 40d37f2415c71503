"""`GET /api/v1/articles/` and `/api/v1/articles/{slug}/`: published articles for everyone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nutrition.content.models import Article
from tests.conftest import HttpsAPIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(staff_user):
    c = HttpsAPIClient()
    c.force_authenticate(staff_user)
    return c


@pytest.fixture
def unverified_api(unverified_user):
    c = HttpsAPIClient()
    c.force_authenticate(unverified_user)
    return c


@pytest.fixture(params=["anonymous", "user", "unverified", "staff"])
def any_api(request, api_client, user_api, unverified_api, staff_api):
    return {
        "anonymous": api_client,
        "user": user_api,
        "unverified": unverified_api,
        "staff": staff_api,
    }[request.param]


def test_list_is_paginated_and_public(any_api, published_article):
    response = any_api.get("/api/v1/articles/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    slugs = [item["slug"] for item in body["results"]]
    assert published_article.slug in slugs
    item = next(i for i in body["results"] if i["slug"] == published_article.slug)
    assert item == {
        "slug": published_article.slug,
        "title": published_article.title,
        "summary": published_article.summary,
        "category": {"slug": "test-science", "name": "Test science"},
        "tags": ["test-tag"],
        "published_at": item["published_at"],
        "updated_at": item["updated_at"],
        "reading_time_minutes": published_article.reading_time_minutes,
        "url": f"https://testserver/articles/{published_article.slug}/",
    }


def test_detail_has_body_html_toc_references_and_disclaimer(any_api, published_article):
    response = any_api.get(f"/api/v1/articles/{published_article.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert body["body"] == published_article.body
    assert body["body_html"] == published_article.body_html
    assert body["toc"][0]["id"] == "first-section"
    assert body["toc"][0]["children"][0]["title"] == "A subsection"
    assert body["references"][0]["url"].startswith("https://ods.od.nih.gov/")
    assert {"kind": "food", "label": "spinach", "url": "/foods/?q=spinach"} in body["food_links"]
    assert "not medical advice" in body["disclaimer"]
    assert body["author"] == "mgsite editors"


def test_drafts_and_scheduled_articles_are_hidden_from_everyone(
    any_api, draft_article, make_article
):
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    slugs = [
        item["slug"] for item in any_api.get("/api/v1/articles/?page_size=100").json()["results"]
    ]
    assert draft_article.slug not in slugs and scheduled.slug not in slugs
    assert any_api.get(f"/api/v1/articles/{draft_article.slug}/").status_code == 404
    assert any_api.get(f"/api/v1/articles/{scheduled.slug}/").status_code == 404


def test_unknown_slug_is_404(api_client):
    assert api_client.get("/api/v1/articles/no-such-thing/").status_code == 404


def test_filters_by_search_category_and_tag(api_client, make_article, tag):
    tagged = make_article(title="Ocelotine facts", tags=[tag])
    make_article(title="Plain one")

    def slugs(**params):
        response = api_client.get("/api/v1/articles/", params)
        return {item["slug"] for item in response.json()["results"]}

    assert slugs(search="ocelotine") == {tagged.slug}
    assert slugs(tag="test-tag") == {tagged.slug}
    assert tagged.slug in slugs(category="test-science")
    assert slugs(category="no-such-category") == set()


def test_page_size_is_capped_at_100(api_client, make_article):
    make_article()
    response = api_client.get("/api/v1/articles/", {"page_size": 500})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 100


def test_writes_are_not_allowed(staff_api, published_article):
    assert staff_api.post("/api/v1/articles/", {"title": "x"}).status_code == 405
    url = f"/api/v1/articles/{published_article.slug}/"
    assert staff_api.patch(url, {"title": "x"}).status_code == 405
    assert staff_api.delete(url).status_code == 405
    assert Article.objects.filter(pk=published_article.pk, title=published_article.title).exists()
