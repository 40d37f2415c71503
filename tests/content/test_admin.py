"""Editing in the admin: preview, prefilled slug, publish action, change history."""

import pytest

from nutrition.content.models import Article

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/content/article/"


def test_admin_needs_two_factor_for_staff(staff_client):
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]


def test_changelist_lists_articles(admin_client_mfa, published_article, draft_article):
    html = admin_client_mfa.get(CHANGELIST).content.decode()
    assert published_article.title in html and draft_article.title in html


def test_add_form_prefills_slug_and_author(admin_client_mfa, staff_user):
    html = admin_client_mfa.get(f"{CHANGELIST}add/").content.decode()
    assert (
        "&quot;id&quot;: &quot;#id_slug&quot;, &quot;name&quot;: &quot;slug&quot;, "
        "&quot;dependency_ids&quot;: [&quot;#id_title&quot;]"
    ) in html
    assert f'value="{staff_user.pk}" selected' in html


def _form_data(**overrides):
    data = {
        "title": "Written in the admin",
        "slug": "written-in-the-admin",
        "summary": "A summary.",
        "body": "## Part one\n\nEat [[almonds]].\n\n<script>alert(1)</script>",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "author": "",
        "category": "",
        "references-TOTAL_FORMS": "1",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "references-0-position": "0",
        "references-0-title": "Magnesium fact sheet",
        "references-0-publisher": "NIH ODS",
        "references-0-url": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
        "references-0-note": "",
        "_continue": "Save and continue editing",
    }
    data.update(overrides)
    return data


def test_saving_renders_and_sanitises_once_and_shows_a_preview(admin_client_mfa):
    response = admin_client_mfa.post(f"{CHANGELIST}add/", _form_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="written-in-the-admin")
    assert '<h2 id="part-one">Part one</h2>' in article.body_html
    assert "<script" not in article.body_html
    assert article.toc[0]["id"] == "part-one"
    assert article.references.get().title == "Magnesium fact sheet"
    html = admin_client_mfa.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    assert '<div class="article-preview"><h2 id="part-one">Part one</h2>' in html
    assert f'href="/articles/{article.slug}/"' in html and "Open the staff preview" in html


def test_unknown_food_category_is_a_form_error(admin_client_mfa):
    response = admin_client_mfa.post(
        f"{CHANGELIST}add/", _form_data(body="See [[category:sweets|sweets]].")
    )
    assert response.status_code == 200
    assert "Unknown food category “sweets”" in response.content.decode()
    assert not Article.objects.filter(slug="written-in-the-admin").exists()


def test_reserved_slug_is_a_form_error(admin_client_mfa):
    response = admin_client_mfa.post(f"{CHANGELIST}add/", _form_data(slug="feed"))
    assert response.status_code == 200
    assert not Article.objects.filter(slug="feed").exists()


def test_publish_action(admin_client_mfa, draft_article, client):
    assert client.get(draft_article.get_absolute_url()).status_code == 404
    response = admin_client_mfa.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [draft_article.pk]},
        follow=True,
    )
    assert "Published 1 article(s)." in response.content.decode()
    draft_article.refresh_from_db()
    assert draft_article.status == Article.Status.PUBLISHED
    assert draft_article.published_at is not None
    assert client.get(draft_article.get_absolute_url()).status_code == 200
    assert draft_article.history.first().history_type == "~"


def test_unpublish_action(admin_client_mfa, published_article, client):
    admin_client_mfa.post(
        CHANGELIST, {"action": "unpublish_selected", "_selected_action": [published_article.pk]}
    )
    published_article.refresh_from_db()
    assert published_article.status == Article.Status.DRAFT
    assert client.get(published_article.get_absolute_url()).status_code == 404


def test_change_history_is_recorded_and_shown(admin_client_mfa, published_article, staff_user):
    data = _form_data(
        title="A changed title",
        slug=published_article.slug,
        status="published",
        **{
            "published_at_0": published_article.published_at.strftime("%Y-%m-%d"),
            "published_at_1": published_article.published_at.strftime("%H:%M:%S"),
            "references-TOTAL_FORMS": "0",
        },
    )
    response = admin_client_mfa.post(f"{CHANGELIST}{published_article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    records = list(published_article.history.all())
    assert records[0].title == "A changed title"
    assert records[0].history_user == staff_user
    html = admin_client_mfa.get(f"{CHANGELIST}{published_article.pk}/history/").content.decode()
    assert html.count(f"/admin/content/article/{published_article.pk}/history/") >= 2
    assert "Changed" in html and staff_user.email in html
