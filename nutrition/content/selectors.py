"""Reads for articles: the only place that decides what readers see and how it is fetched."""

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from nutrition.content.models import Article, ArticleQuerySet, Category, Tag


def _for_lists(qs: ArticleQuerySet) -> ArticleQuerySet:
    # Lists show title, summary, category, tags and dates; never the body.
    return (
        qs.select_related("category")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .defer("body", "body_html", "toc", "food_links")
    )


def latest_articles(*, limit: int = 3) -> list[Article]:
    """The newest published articles, for the home page."""
    return list(
        Article.objects.published()
        .select_related("category")
        .only("title", "slug", "summary", "published_at", "reading_time_minutes", "category")
        .order_by("-published_at", "-id")[:limit]
    )


def article_list(
    *, query: str = "", category_slug: str = "", tag_slug: str = ""
) -> ArticleQuerySet:
    """Published articles, newest first, optionally filtered by words, category and tag."""
    qs = Article.objects.published()
    if query:
        qs = qs.search(query)
    if category_slug:
        qs = qs.filter(category__slug=category_slug)
    if tag_slug:
        qs = qs.filter(tags__slug=tag_slug)
    return _for_lists(qs).order_by("-published_at", "-id")


def categories_with_articles() -> QuerySet[Category]:
    """Categories that hold at least one published article, with how many."""
    published = Q(
        articles__status=Article.Status.PUBLISHED, articles__published_at__lte=timezone.now()
    )
    # Meta.ordering does not apply to aggregate queries, so order explicitly.
    return (
        Category.objects.annotate(article_count=Count("articles", filter=published))
        .filter(article_count__gt=0)
        .order_by("position", "name")
    )


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def tag_by_slug(slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def article_for_reader(*, slug: str, user) -> Article | None:
    """The article a person may read at this slug: staff also see drafts and scheduled ones."""
    base = Article.objects.all() if user.is_authenticated and user.is_staff else None
    qs = base if base is not None else Article.objects.published()
    return (
        qs.filter(slug=slug)
        .select_related("category", "author")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            "references",
        )
        .first()
    )


def related_articles(*, article: Article, limit: int = 3) -> list[Article]:
    """Published articles sharing most tags (then the category) with this one, newest first."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    shared_tags = Count("tags", filter=Q(tags__in=tag_ids), distinct=True)
    same_category = (
        Case(When(category_id=article.category_id, then=Value(1)), default=Value(0))
        if article.category_id
        else Value(0)
    )
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .annotate(score=shared_tags + same_category)
        .select_related("category")
        .only("title", "slug", "summary", "published_at", "reading_time_minutes", "category")
        .order_by("-score", "-published_at", "-id")[:limit]
    )


def published_articles_api() -> ArticleQuerySet:
    """Published articles with everything the API shows, in a fixed number of queries."""
    return (
        Article.objects.published()
        .select_related("category", "author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")), "references")
        .order_by("-published_at", "-id")
    )
