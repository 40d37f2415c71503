"""Public article pages. Drafts exist only for staff, who see them with a preview banner."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from mgsite.text import clean_query
from nutrition.content import selectors

ARTICLES_PER_PAGE = 10
# Published pages are the same for every anonymous reader, so shared caches may keep them
# briefly; signed-in responses are made private and no-store by the site middleware.
PUBLIC_MAX_AGE = 300


def _public_cache(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@login_not_required
@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q"), 100).strip()
    category_slug = clean_query(request.GET.get("category"), 100).strip()
    tag_slug = clean_query(request.GET.get("tag"), 60).strip()

    categories = list(selectors.categories_with_articles())
    category = next((c for c in categories if c.slug == category_slug), None)
    if category_slug and category is None:
        category = selectors.category_by_slug(category_slug)
        if category is None:
            raise Http404("No such category.")
    tag = selectors.tag_by_slug(tag_slug) if tag_slug else None
    if tag_slug and tag is None:
        raise Http404("No such tag.")

    articles = selectors.article_list(query=query, category_slug=category_slug, tag_slug=tag_slug)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "articles": page.object_list,
        "categories": categories,
        "category": category,
        "tag": tag,
        "query": query,
        "filter_params": _filter_params(query=query, category=category_slug, tag=tag_slug),
    }
    return _public_cache(request, render(request, "content/article_list.html", context))


def _filter_params(**params: str) -> str:
    """The current filters as a query string prefix for pagination links."""
    kept = {key: value for key, value in params.items() if value}
    return urlencode(kept) + "&" if kept else ""


@login_not_required
@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_for_reader(slug=slug, user=request.user)
    if article is None:
        raise Http404("No such article.")
    context = {
        "article": article,
        "is_preview": not article.is_public,
        "tags": list(article.tags.all()),
        "references": list(article.references.all()),
        "related": selectors.related_articles(article=article),
    }
    response = render(request, "content/article_detail.html", context)
    if context["is_preview"]:
        # A draft must never sit in a browser or proxy cache where a reader could find it.
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        response["X-Robots-Tag"] = "noindex"
        return response
    return _public_cache(request, response)
