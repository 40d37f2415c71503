"""A reader finds an article, jumps through its contents box and reads it on a phone."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

seed_migration = importlib.import_module("nutrition.content.migrations.0002_articles")


@pytest.fixture
def articles(transactional_db):
    # Browser tests run on a flushed database, so install the site's articles again.
    seed_migration.install_articles(apps, None)


def test_read_an_article_through_its_contents_box(page, site, articles):
    page.goto(f"{site}/articles/")
    expect(page.get_by_role("heading", level=1, name="Articles")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Search articles").fill("pumpkin")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("matching “pumpkin”")
    assert_accessible(page)

    page.get_by_role("link", name="Foods that supply magnesium").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Foods that supply magnesium")
    assert_accessible(page)

    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="A day that reaches the target").click()
    assert page.url.endswith("#a-day-that-reaches-the-target")
    heading = page.get_by_role("heading", name="A day that reaches the target")
    expect(heading).to_be_in_viewport()

    # Food names lead to the food pages; the references close the article.
    expect(page.locator("a.food-link", has_text="Chia seeds")).to_have_attribute(
        "href", "/foods/?q=chia+seeds"
    )
    expect(page.get_by_role("heading", name="Sources", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Related articles")).to_be_visible()

    page.get_by_role("region", name="Related articles").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url
    assert_accessible(page)


@pytest.mark.parametrize(
    "slug", ["choosing-a-magnesium-supplement", "food-versus-supplements", "magnesium-rich-foods"]
)
def test_articles_with_tables_fit_a_360_px_phone(page, site, articles, slug):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{site}/articles/{slug}/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"/articles/{slug}/ scrolls sideways on a 360 px phone"
    assert_accessible(page)
