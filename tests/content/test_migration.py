"""The data migration installs six published articles, and can be reversed."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from nutrition.content.models import Article, Category, Tag
from tests.content.conftest import seed_migration

pytestmark = pytest.mark.django_db

SLUGS = [data["slug"] for data in seed_migration.ARTICLES]


def test_the_migration_is_applied():
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("content", "0002_articles") in applied


def test_six_published_articles_with_sources(client, seeded_articles):
    assert len(seeded_articles) == 6
    for article in seeded_articles:
        assert article.is_public
        assert article.body_html.startswith("<p>")
        assert len(article.toc) >= 4
        assert article.category is not None and article.tags.exists()
        references = list(article.references.all())
        assert len(references) >= 3
        assert any("Office of Dietary Supplements" in ref.publisher for ref in references)
        for ref in references:
            assert not ref.url or ref.url.startswith("https://")
        html = client.get(article.get_absolute_url()).content.decode()
        assert "Not medical advice" in html
        assert '<h2 id="article-sources">Sources</h2>' in html
    assert Article.objects.published().filter(slug__in=SLUGS).count() == 6


def test_articles_cover_the_required_facts(seeded_articles):
    by_slug = {article.slug: article for article in seeded_articles}
    cycle = by_slug["magnesium-and-insulin-resistance-vicious-cycle"].body
    assert "kidneys" in cycle and "insulin" in cycle
    mechanism = by_slug["how-magnesium-helps-insulin-work"].body
    for term in ("tyrosine kinase", "GLUT4", "Mg-ATP", "hexokinase", "glucokinase", "inflammation"):
        assert term in mechanism
    foods = by_slug["magnesium-rich-foods"]
    for figure in ("592", "550", "335", "270", "292", "87", "79", "81", "47", "70", "36", "64"):
        assert f"| {figure} |" in foods.body
    assert "/foods/magnesium-rich/?category=leafy-greens" in foods.body_html
    assert "/foods/?q=" in foods.body_html
    comparison = by_slug["food-versus-supplements"].body_html
    assert "<table>" in comparison and "Magnesium supplements" in comparison
    forms = by_slug["choosing-a-magnesium-supplement"].body
    for form, percent in (("Oxide", "60.3"), ("Citrate", "16.2"), ("Glycinate", "14.1")):
        assert f"| {form}" in forms and f"{percent} %" in forms
    when = by_slug["when-to-consider-a-magnesium-supplement"].body
    for term in ("kidney", "Tetracycline", "quinolone", "bisphosphonates", "2 to 4", "350 mg"):
        assert term in when
    assert "Proton-pump inhibitors" in when and "diuretics" in when


def test_no_cure_claims(seeded_articles):
    for article in seeded_articles:
        text = article.body.lower()
        for claim in ("cures", "reverses diabetes", "guaranteed", "miracle"):
            assert claim not in text, (article.slug, claim)


def test_install_is_idempotent_and_keeps_edits(seeded_articles):
    article = seeded_articles[0]
    Article.objects.filter(pk=article.pk).update(title="Edited by an admin")
    seed_migration.install_articles(apps, None)
    assert Article.objects.filter(slug__in=SLUGS).count() == 6
    assert Article.objects.get(pk=article.pk).title == "Edited by an admin"


def test_reverse_removes_the_articles_and_unused_categories_and_tags(seeded_articles):
    seed_migration.remove_articles(apps, None)
    assert not Article.objects.filter(slug__in=SLUGS).exists()
    assert not Category.objects.filter(slug="how-it-works").exists()
    assert not Tag.objects.filter(slug="kidneys").exists()
    seed_migration.install_articles(apps, None)
    assert Article.objects.published().filter(slug__in=SLUGS).count() == 6


@pytest.mark.django_db(transaction=True)
def test_migrating_backwards_and_forwards():
    # Runs outside a transaction because SQLite's schema editor cannot run inside one.
    executor = MigrationExecutor(connection)
    leaf = executor.loader.graph.leaf_nodes("content")
    executor.migrate([("content", "0001_initial")])
    assert not Article.objects.filter(slug__in=SLUGS).exists()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaf)
    assert Article.objects.published().filter(slug__in=SLUGS).count() == 6
