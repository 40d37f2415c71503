"""The article pages: list, search, categories, the article itself and draft visibility."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from nutrition.content.models import Article

pytestmark = pytest.mark.django_db


def test_list_shows_published_articles_newest_first(client, make_article):
    older = make_article(title="Older piece", published_at=timezone.now() - timedelta(days=9))
    newer = make_article(title="Newer piece", published_at=timezone.now() - timedelta(hours=1))
    response = client.get("/articles/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert response.templates[0].name == "content/article_list.html"
    assert 'href="/static/css/content.css"' in html
    assert 'type="application/rss+xml"' in html


def test_list_is_publicly_cacheable_for_anonymous_readers(client, published_article):
    response = client.get("/articles/")
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    # A shared cache must not hand the anonymous copy to someone who is signed in.
    assert "Cookie" in response["Vary"]


def test_list_is_private_for_signed_in_people(user_client, published_article):
    response = user_client.get("/articles/")
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_search_matches_words_in_title_summary_or_body(client, make_article):
    make_article(title="Quokkanate explained", body="All about one supplement form.")
    make_article(title="Wombat beans", summary="Wombat legumes for brunch.", body="Nothing.")
    html = client.get("/articles/", {"q": "QUOKKANATE"}).content.decode()
    assert "Quokkanate explained" in html
    assert "Wombat beans" not in html
    assert "1 article matching" in html
    html = client.get("/articles/", {"q": "brunch wombat"}).content.decode()
    assert "Wombat beans" in html and "Quokkanate" not in html


def test_search_without_results_says_what_to_do(client, published_article):
    html = client.get("/articles/", {"q": "zzzzqqq"}).content.decode()
    assert "No articles match “zzzzqqq”" in html
    assert "browse all articles" in html


def test_category_and_tag_filters(client, make_article, category, tag):
    from nutrition.content.models import Category

    other = Category.objects.create(name="Other topic", slug="other-topic")
    in_category = make_article(title="In the category", tags=[tag])
    elsewhere = make_article(title="Somewhere else", category=other)
    html = client.get("/articles/", {"category": category.slug}).content.decode()
    assert in_category.title in html and elsewhere.title not in html
    assert f"Articles: {category.name}" in html
    assert 'aria-current="page">Test science' in html
    html = client.get("/articles/", {"tag": tag.slug}).content.decode()
    assert in_category.title in html and elsewhere.title not in html


def test_categories_are_listed_in_editorial_order(client, make_article, category):
    from nutrition.content.models import Category

    first = Category.objects.create(name="Zz first by position", slug="zz-first", position=0)
    make_article(category=first)
    make_article()
    category.position = 50
    category.save()
    html = client.get("/articles/").content.decode()
    nav = html[html.index('aria-label="Article categories"') :]
    assert nav.index("Zz first by position") < nav.index("Test science")


def test_unknown_category_or_tag_is_404(client, published_article):
    assert client.get("/articles/", {"category": "nope"}).status_code == 404
    assert client.get("/articles/", {"tag": "nope"}).status_code == 404


def test_list_paginates(client, make_article):
    for _ in range(12):
        make_article()
    first = client.get("/articles/", {"category": "test-science"}).content.decode()
    assert "Page 1 of 2" in first
    assert 'href="?category=test-science&amp;page=2"' in first
    second = client.get("/articles/", {"category": "test-science", "page": 2}).content.decode()
    assert "Page 2 of 2" in second


def test_article_page_has_contents_body_sources_disclaimer_and_related(
    client, published_article, make_article, tag
):
    related = make_article(title="A related piece", tags=[tag])
    response = client.get(published_article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 id="article-title">{published_article.title}</h1>' in html
    # Every contents link points at a heading id that exists in the body.
    contents = html[
        html.index('class="article-contents"') : html.index(
            "</nav>", html.index('class="article-contents"')
        )
    ]
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert targets == ["first-section", "a-subsection", "second-section", "article-sources"]
    for target in targets:
        assert f'id="{target}"' in html
    assert 'rel="noopener nofollow">NIH fact sheet</a>' in html
    assert '<a href="/articles/">another page</a>' in html
    assert "Not medical advice" in html
    assert "Magnesium: Fact Sheet for Health Professionals" in html
    assert 'href="/foods/?q=spinach"' in html
    assert 'href="/foods/magnesium-rich/?category=nuts-and-seeds"' in html
    assert "Related articles" in html and related.title in html
    assert "public" in response["Cache-Control"]
    assert "Preview." not in html


def test_body_is_served_from_stored_html_not_rendered_per_request(client, published_article):
    # Changing the stored HTML directly (no save through the service) shows on the page,
    # which proves the view does not run Markdown on each request.
    Article.objects.filter(pk=published_article.pk).update(body_html="<p>Stored copy</p>")
    html = client.get(published_article.get_absolute_url()).content.decode()
    assert "<p>Stored copy</p>" in html


def test_unknown_article_is_404(client):
    assert client.get("/articles/no-such-article/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "user"])
def test_drafts_are_404_for_readers(who, client, user_client, draft_article):
    c = client if who == "anonymous" else user_client
    assert c.get(draft_article.get_absolute_url()).status_code == 404
    html = c.get("/articles/").content.decode()
    assert draft_article.title not in html


@pytest.mark.parametrize("who", ["anonymous", "user"])
def test_scheduled_articles_are_404_for_readers(who, client, user_client, make_article):
    scheduled = make_article(published_at=timezone.now() + timedelta(days=2))
    c = client if who == "anonymous" else user_client
    assert c.get(scheduled.get_absolute_url()).status_code == 404
    assert scheduled.title not in c.get("/articles/").content.decode()


def test_staff_see_drafts_with_a_preview_banner_and_no_caching(staff_client, draft_article):
    response = staff_client.get(draft_article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview." in html and "This article is a draft" in html
    assert f"/admin/content/article/{draft_article.pk}/change/" in html
    assert '<meta name="robots" content="noindex">' in html
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    assert "public" not in cache_control
    assert response["X-Robots-Tag"] == "noindex"
    # Drafts stay out of the public list even for staff.
    assert draft_article.title not in staff_client.get("/articles/").content.decode()


def test_staff_see_published_articles_without_the_banner(staff_client, published_article):
    html = staff_client.get(published_article.get_absolute_url()).content.decode()
    assert "Preview." not in html


def test_article_page_escapes_titles_and_summaries(client, make_article):
    article = make_article(title="<b>Bold</b> title", summary='"><script>alert(1)</script>')
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html


def test_reference_urls_other_than_http_are_shown_as_text(client, published_article):
    published_article.references.create(title="Odd source", url="ftp://files.example/x")
    html = client.get(published_article.get_absolute_url()).content.decode()
    assert "ftp://" not in html
    assert "Odd source" in html


def test_pages_send_a_strict_csp_without_inline_styles(client, published_article):
    response = client.get(published_article.get_absolute_url())
    html = response.content.decode()
    assert "style=" not in html
    assert "<script>" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_latest_articles_include_for_the_home_page(db, make_article):
    from django.template.loader import render_to_string

    from nutrition.content.selectors import latest_articles

    make_article(title="Older one", published_at=timezone.now() - timedelta(minutes=5))
    newest = make_article(title="Newest of all", published_at=timezone.now())
    make_article(status=Article.Status.DRAFT, title="Hidden draft")
    assert latest_articles(limit=1) == [newest]
    assert len(latest_articles()) == 3
    html = render_to_string("content/_latest.html")
    assert '<h2 id="latest-articles-title">Latest articles</h2>' in html
    assert html.count('<li class="card">') == 3
    assert newest.title in html and "Hidden draft" not in html
    assert 'href="/articles/"' in html


def test_latest_articles_include_is_empty_without_articles(db):
    from django.template.loader import render_to_string

    Article.objects.all().delete()
    assert render_to_string("content/_latest.html").strip() == ""
