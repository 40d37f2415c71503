"""One-click unsubscribe (RFC 8058) without signing in, and the opt-ins on the profile."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from freezegun import freeze_time

from accounts import unsubscribe
from accounts.models import Profile
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import make_dietitian
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.factories import UserFactory
from tests.jobs.conftest import opted_in

pytestmark = pytest.mark.django_db


def link(person, email_list="weekly-summary") -> str:
    url = unsubscribe.unsubscribe_url(user_id=person.pk, email_list=email_list)
    return urlparse(url).path


def subscribed(person, field="weekly_summary") -> bool:
    return Profile.objects.values_list(field, flat=True).get(user=person)


@pytest.mark.parametrize("role", ["anonymous", "owner", "other person", "staff"])
def test_get_shows_a_button_and_changes_nothing_post_unsubscribes(role):
    person = opted_in()
    browser = HttpsClient()
    signed_in = {"owner": person, "other person": UserFactory(), "staff": None}.get(role)
    if role == "staff":
        signed_in = UserFactory(is_staff=True)
    if signed_in is not None:
        browser.force_login(signed_in)
    page = browser.get(link(person))
    assert page.status_code == 200
    assert b'<button type="submit" class="button">Unsubscribe</button>' in page.content
    assert subscribed(person)  # a prefetcher or scanner following the link changes nothing
    done = browser.post(link(person))
    assert done.status_code == 200 and b"no more of the weekly summary" in done.content
    assert not subscribed(person)
    # The token speaks for its person only, whoever is signed in.
    if signed_in is not None and signed_in != person:
        assert Profile.objects.get(user=signed_in).weekly_summary is False
    assert browser.post(link(person)).status_code == 200  # a second click is harmless


def test_one_click_post_from_a_mail_program_needs_no_cookie_or_csrf_token():
    person = opted_in()
    mail_program = HttpsClient(enforce_csrf_checks=True)
    answer = mail_program.post(
        link(person),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert not subscribed(person)


def test_the_link_in_a_sent_summary_works_as_a_mail_program_uses_it(
    django_capture_on_commit_callbacks, mailoutbox
):
    from datetime import UTC, datetime

    from nutrition.diary import services
    from tests.jobs.conftest import week_of

    person = opted_in()
    week_of(person)
    with django_capture_on_commit_callbacks(execute=True):
        services.weekly_summaries_send(now=datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    header = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert header in mailoutbox[0].body  # the same link in the text
    answer = HttpsClient(enforce_csrf_checks=True).post(
        urlparse(header).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200 and not subscribed(person)


def test_the_digest_link_leaves_the_digest_only():
    dietitian = make_dietitian()
    Profile.objects.filter(user=dietitian).update(weekly_summary=True)
    HttpsClient().post(link(dietitian, "clinic-digest"))
    assert not subscribed(dietitian, "clinic_digest")
    assert subscribed(dietitian, "weekly_summary")


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_foreign_or_expired_tokens_are_a_clear_400_and_change_nothing(method):
    person = opted_in()
    good = link(person)
    token = good.rstrip("/").rsplit("/", 1)[1]
    other = opted_in()
    other_token = link(other).rstrip("/").rsplit("/", 1)[1]
    tampered = token.replace(token.split(":")[0], other_token.split(":")[0])  # another id
    bad_paths = [
        f"/unsubscribe/weekly-summary/{tampered}/",
        f"/unsubscribe/weekly-summary/{token[:-2]}/",
        f"/unsubscribe/clinic-digest/{token}/",  # a weekly-summary token for another list
        f"/unsubscribe/newsletter/{token}/",
        "/unsubscribe/weekly-summary/garbage/",
    ]
    browser = HttpsClient()
    for path in bad_paths:
        answer = getattr(browser, method)(path)
        assert answer.status_code == 400, path
        assert b"This unsubscribe link is not valid" in answer.content
        assert b"Nothing was changed" in answer.content
    with freeze_time(timezone.now() + timedelta(days=121)):
        assert getattr(browser, method)(good).status_code == 400
    assert subscribed(person) and subscribed(other)
    assert subscribed(make_dietitian(), "clinic_digest")


def test_the_profile_page_turns_the_summary_on_and_off():
    person = UserFactory()
    browser = sign_in(HttpsClient(), person)
    page = browser.get("/profile/")
    assert b'name="weekly_summary"' in page.content
    assert b'name="clinic_digest"' not in page.content  # dietitians only
    form = {"name": "P", "timezone": "UTC", "units": "metric", "life_stage": "none"}
    assert browser.post("/profile/", {**form, "weekly_summary": "on"}).status_code == 302
    assert subscribed(person)
    assert browser.post("/profile/", form).status_code == 302
    assert not subscribed(person)


def test_a_dietitian_can_turn_the_digest_off_on_the_profile():
    dietitian = make_dietitian()
    browser = sign_in(HttpsClient(), dietitian)
    assert b'name="clinic_digest"' in browser.get("/profile/").content
    form = {"name": "D", "timezone": "UTC", "units": "metric", "life_stage": "none"}
    assert browser.post("/profile/", form).status_code == 302
    assert not subscribed(dietitian, "clinic_digest")


def test_the_profile_api_reads_and_sets_the_opt_ins():
    person = UserFactory()
    api = HttpsAPIClient()
    api.force_login(person)
    assert api.get("/api/v1/me/profile/").json()["weekly_summary"] is False
    answer = api.patch("/api/v1/me/profile/", {"weekly_summary": True}, format="json")
    assert answer.status_code == 200 and answer.json()["weekly_summary"] is True
    assert subscribed(person)
    bad = api.patch("/api/v1/me/profile/", {"weekly_summary": "perhaps"}, format="json")
    assert bad.status_code == 400 and "weekly_summary" in bad.json()
    assert subscribed(person)
