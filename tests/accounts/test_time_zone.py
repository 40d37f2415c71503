"""The right "today": the browser's zone at sign-up, the one-tap offer, the searchable picker,
and the rule that an unknown zone is refused (a form error, a 400 in the API)."""

import re

import pytest
from django.core import mail
from freezegun import freeze_time

from accounts.models import Profile
from accounts.timezones import canonical_timezone, canonical_timezones
from tests.factories import UserFactory

OFFER = "data-timezone-offer"


def _zone(user) -> str:
    return Profile.objects.get(user=user).timezone


def test_the_picker_lists_canonical_zones_by_region_and_utc_itself():
    zones = canonical_timezones()
    assert zones[0] == "UTC"
    assert {"America/Chicago", "Europe/Berlin", "Asia/Kolkata", "Europe/Kyiv"} <= set(zones)
    unwanted = {"Etc/GMT+1", "Factory", "Etc/UTC", "GMT", "UCT", "US/Central", "Asia/Calcutta"}
    assert unwanted.isdisjoint(zones)
    assert all(
        zone == "UTC"
        or zone.split("/")[0]
        in {
            "Africa",
            "America",
            "Antarctica",
            "Arctic",
            "Asia",
            "Atlantic",
            "Australia",
            "Europe",
            "Indian",
            "Pacific",
        }
        for zone in zones
    )


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("America/Chicago", "America/Chicago"),
        ("Asia/Calcutta", "Asia/Kolkata"),  # what Chrome reports in India
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Etc/UTC", "UTC"),
        ("Etc/GMT+1", "Etc/GMT+1"),  # valid, though not listed: kept as it is
        ("Mars/Olympus", None),
        ("", None),
    ],
)
def test_old_spellings_map_to_the_listed_zone(given, stored):
    assert canonical_timezone(given) == stored


def test_profile_page_offers_a_searchable_list_grouped_by_region(user_client):
    html = user_client.get("/profile/").content.decode()
    field = re.search(r'<input type="text"[^>]*name="timezone"[^>]*>', html).group(0)
    assert 'list="id_timezone_list"' in field and 'value="UTC"' in field
    datalist = re.search(r'<datalist id="id_timezone_list">(.*?)</datalist>', html, re.S).group(1)
    assert '<option value="America/Chicago">Chicago (America)</option>' in datalist
    assert '<option value="UTC">UTC</option>' in datalist
    assert "Etc/GMT" not in datalist and "Factory" not in datalist
    assert datalist.count("<option") == len(canonical_timezones())


def test_profile_page_saves_a_zone_and_refuses_an_unknown_one(user_client, user):
    form = {"timezone": "America/Chicago", "units": "metric", "life_stage": "none"}
    assert user_client.post("/profile/", form).status_code == 302
    assert _zone(user) == "America/Chicago"
    response = user_client.post("/profile/", {**form, "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "Choose a time zone from the list" in response.context["form"].errors["timezone"][0]
    assert _zone(user) == "America/Chicago"
    # An old spelling is stored as the zone it stands for, so the picker shows it.
    assert user_client.post("/profile/", {**form, "timezone": "Asia/Calcutta"}).status_code == 302
    assert _zone(user) == "Asia/Kolkata"


def test_profile_api_refuses_an_unknown_zone_with_400(user_api, user):
    response = user_api.patch("/api/v1/me/profile/", {"timezone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400 and "timezone" in response.json()
    assert _zone(user) == "UTC"
    response = user_api.patch("/api/v1/me/profile/", {"timezone": "Europe/Kiev"}, format="json")
    assert response.status_code == 200 and response.json()["timezone"] == "Europe/Kyiv"


@pytest.mark.django_db
def test_sign_up_page_has_a_hidden_field_for_the_browser_zone(client):
    html = client.get("/accounts/signup/").content.decode()
    assert re.search(r'<input type="hidden" name="timezone"[^>]*data-browser-timezone', html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("America/Chicago", "America/Chicago"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Mars/Olympus", "UTC"),
        ("", "UTC"),
    ],
)
def test_sign_up_starts_the_profile_in_the_browser_zone(
    client, password, sent, stored, django_capture_on_commit_callbacks
):
    email = "new.person@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": email, "password1": password, "password2": password, "timezone": sent},
        )
    assert response.status_code == 302  # a zone that is no zone never blocks a sign-up
    assert Profile.objects.get(user__email=email).timezone == stored
    assert len(mail.outbox) == 1


def test_the_offer_is_on_every_page_while_the_profile_says_utc(user_client, user):
    page = user_client.get("/foods/").content.decode()
    offer = re.search(r"<form[^>]*data-timezone-offer[^>]*>", page).group(0)
    assert "hidden" in offer and 'action="/profile/time-zone/"' in offer
    assert 'name="next" value="/foods/"' in page
    Profile.objects.filter(user=user).update(timezone="Europe/Berlin")
    other = UserFactory()
    Profile.objects.filter(user=other).update(timezone="Europe/Berlin")
    user_client.force_login(other)  # decided at sign-in
    assert OFFER not in user_client.get("/foods/").content.decode()


def test_one_tap_sets_the_zone_and_the_offer_goes(user_client, user):
    response = user_client.post(
        "/profile/time-zone/", {"timezone": "America/Chicago", "action": "use", "next": "/foods/"}
    )
    assert response.status_code == 302 and response["Location"] == "/foods/"
    assert _zone(user) == "America/Chicago"
    page = user_client.get("/foods/").content.decode()
    assert "Your time zone is now America/Chicago" in page
    assert OFFER not in page


def test_the_offer_refuses_an_unknown_zone_and_saves_nothing(user_client, user):
    response = user_client.post(
        "/profile/time-zone/", {"timezone": "Mars/Olympus", "action": "use", "next": "/foods/"}
    )
    assert response.status_code == 400
    assert "Choose a time zone from the list" in response.content.decode()
    assert _zone(user) == "UTC"


def test_the_offer_sends_back_only_to_this_site(user_client):
    response = user_client.post(
        "/profile/time-zone/",
        {"timezone": "America/Chicago", "action": "use", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_dismissing_is_remembered_on_the_device_for_that_zone(user_client, user):
    response = user_client.post(
        "/profile/time-zone/",
        {"timezone": "America/Chicago", "action": "dismiss", "next": "/foods/"},
    )
    assert response.status_code == 302 and response["Location"] == "/foods/"
    cookie = response.cookies["timezone_offer_dismissed"]
    assert cookie.value == "America/Chicago" and cookie["httponly"] and cookie["max-age"]
    assert _zone(user) == "UTC"
    page = user_client.get("/foods/").content.decode()
    # site.js compares the browser's zone with this and keeps the offer hidden.
    assert 'data-dismissed="America/Chicago"' in page


def test_the_offer_needs_a_post_and_a_signed_in_person(client, user_client):
    assert user_client.get("/profile/time-zone/").status_code == 405
    response = client.post("/profile/time-zone/", {"timezone": "America/Chicago"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_after_the_tap_the_diary_opens_on_the_zones_today(user_client, user):
    # 03:00 in UTC is still the evening before in Chicago.
    with freeze_time("2026-11-30 03:00:00"):
        before = user_client.get("/diary/").content.decode()
        assert "<h1>Today, Monday 30 November 2026</h1>" in before
        user_client.post(
            "/profile/time-zone/",
            {"timezone": "America/Chicago", "action": "use", "next": "/diary/"},
        )
        after = user_client.get("/diary/").content.decode()
        assert "<h1>Today, Sunday 29 November 2026</h1>" in after
