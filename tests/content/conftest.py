import importlib
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.utils import timezone

from nutrition.content import services
from nutrition.content.models import Article, Category, Tag
from tests.accounts.helpers import sign_in
from tests.conftest import HttpsClient

seed_migration = importlib.import_module("nutrition.content.migrations.0002_articles")

BODY = """Intro paragraph with [[spinach]] and [[category:nuts-and-seeds|nuts and seeds]].

## First section

Text that links to the [NIH fact sheet](https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/)
and to [another page](/articles/).

### A subsection

More text.

## Second section

| Food | mg per 100 g |
|:--|--:|
| Almonds | 270 |
"""


@pytest.fixture
def category(db):
    return Category.objects.get_or_create(slug="test-science", defaults={"name": "Test science"})[0]


@pytest.fixture
def tag(db):
    return Tag.objects.get_or_create(slug="test-tag", defaults={"name": "Test tag"})[0]


@pytest.fixture
def make_article(db, category):
    """Articles made the way editors make them: through the services."""
    counter = iter(range(1, 10_000))

    def _make(**kwargs) -> Article:
        n = next(counter)
        status = kwargs.pop("status", Article.Status.PUBLISHED)
        defaults = {
            "title": f"Test article {n}",
            "slug": f"test-article-{n}",
            "summary": f"Summary of test article {n}.",
            "body": BODY,
            "category": category,
            "status": status,
            "published_at": (
                timezone.now() - timedelta(days=n) if status == Article.Status.PUBLISHED else None
            ),
            "references": [
                {
                    "title": "Magnesium: Fact Sheet for Health Professionals",
                    "publisher": "NIH Office of Dietary Supplements",
                    "url": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
                }
            ],
        }
        defaults.update(kwargs)
        return services.article_create(**defaults)

    return _make


@pytest.fixture
def published_article(make_article, tag):
    return make_article(tags=[tag])


@pytest.fixture
def draft_article(make_article):
    return make_article(status=Article.Status.DRAFT, title="Secret draft", slug="secret-draft")


@pytest.fixture
def staff_client(staff_user):
    c = HttpsClient()
    sign_in(c, staff_user)
    return c


@pytest.fixture
def admin_client_mfa(staff_user):
    """A staff member who has turned on two-factor authentication, as the admin requires."""
    TOTP.activate(staff_user, generate_totp_secret())
    c = HttpsClient()
    sign_in(c, staff_user)
    return c


@pytest.fixture
def seeded_articles(db):
    """The six articles the data migration installs (a flushed test database loses them)."""
    seed_migration.install_articles(apps, None)
    slugs = [data["slug"] for data in seed_migration.ARTICLES]
    return list(Article.objects.filter(slug__in=slugs))
