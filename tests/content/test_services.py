"""Writes through the services: rendering on save, publishing, validation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from nutrition.content import services
from nutrition.content.models import Article

pytestmark = pytest.mark.django_db


def test_create_renders_body_toc_food_links_and_reading_time(make_article):
    article = make_article(body="## Hello\n\nEat [[kale]]. " + "word " * 600)
    assert article.body_html.startswith('<h2 id="hello">Hello</h2>')
    assert article.toc == [{"id": "hello", "title": "Hello", "level": 2, "children": []}]
    assert article.food_links == [{"kind": "food", "label": "kale", "url": "/foods/?q=kale"}]
    assert article.reading_time_minutes == 3


def test_saving_a_changed_body_renders_it_again(published_article):
    published_article.body = "## Changed\n\nNew text."
    services.article_save(article=published_article)
    published_article.refresh_from_db()
    assert '<h2 id="changed">Changed</h2>' in published_article.body_html


def test_publish_sets_the_date_and_keeps_an_earlier_one(draft_article, published_article):
    services.article_publish(article=draft_article)
    assert draft_article.is_public
    earlier = published_article.published_at
    services.article_publish(article=published_article)
    assert published_article.published_at == earlier


def test_publish_at_a_later_time_schedules(draft_article):
    later = timezone.now() + timedelta(days=3)
    services.article_publish(article=draft_article, at=later)
    assert draft_article.status == Article.Status.PUBLISHED and not draft_article.is_public
    assert not Article.objects.published().filter(pk=draft_article.pk).exists()


def test_unpublish(published_article):
    services.article_unpublish(article=published_article)
    assert not Article.objects.published().filter(pk=published_article.pk).exists()


def test_reserved_slug_is_rejected(make_article):
    with pytest.raises(ValidationError):
        make_article(slug="feed")


def test_unknown_food_category_is_rejected(make_article):
    with pytest.raises(ValidationError) as error:
        make_article(body="[[category:sweets]]")
    assert "sweets" in str(error.value)


def test_published_status_without_a_date_is_refused_by_the_database(published_article):
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=published_article.pk).update(published_at=None)


def test_every_save_is_in_the_history(published_article):
    published_article.title = "New title"
    services.article_save(article=published_article)
    assert [h.title for h in published_article.history.all()[:2]] == [
        "New title",
        published_article.history.last().title,
    ]
