"""Writes to articles. Every save renders the body once, so page views only read stored HTML."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nutrition.content.models import Article, Category, Reference, Tag
from nutrition.content.rendering import FOOD_CATEGORIES, render_markdown


def article_body_errors(body: str) -> list[str]:
    """Problems an editor must fix before the body can be saved."""
    unknown = render_markdown(body).unknown_categories
    if not unknown:
        return []
    known = ", ".join(FOOD_CATEGORIES)
    return [f"Unknown food category “{slug}”; use one of: {known}." for slug in unknown]


def article_render(*, article: Article) -> Article:
    """Fill the stored HTML, contents, food links and reading time from `article.body`."""
    rendered = render_markdown(article.body)
    if rendered.unknown_categories:
        raise ValidationError({"body": article_body_errors(article.body)})
    article.body_html = rendered.html
    article.toc = rendered.toc
    article.food_links = rendered.food_links
    article.reading_time_minutes = rendered.reading_time_minutes
    return article


@transaction.atomic
def article_save(*, article: Article) -> Article:
    """Validate, render and save an article built or changed elsewhere (the admin form)."""
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    article_render(article=article)
    article.full_clean(exclude=["tags"])
    article.save()
    return article


@transaction.atomic
def article_create(
    *,
    title: str,
    slug: str,
    summary: str,
    body: str,
    author=None,
    category: Category | None = None,
    tags: Iterable[Tag] = (),
    references: Iterable[dict[str, str]] = (),
    status: str = Article.Status.DRAFT,
    published_at: datetime | None = None,
) -> Article:
    article = Article(
        title=title,
        slug=slug,
        summary=summary,
        body=body,
        author=author,
        category=category,
        status=status,
        published_at=published_at,
    )
    article_save(article=article)
    article.tags.set(list(tags))
    for position, ref in enumerate(references):
        Reference.objects.create(article=article, position=position, **ref)
    return article


@transaction.atomic
def article_publish(*, article: Article, at: datetime | None = None) -> Article:
    """Make an article public now (or at `at`); an earlier publication date is kept."""
    article.status = Article.Status.PUBLISHED
    if at is not None:
        article.published_at = at
    elif article.published_at is None or article.published_at > timezone.now():
        article.published_at = timezone.now()
    return article_save(article=article)


@transaction.atomic
def article_unpublish(*, article: Article) -> Article:
    """Back to draft: readers lose the page, staff keep the preview."""
    article.status = Article.Status.DRAFT
    return article_save(article=article)
