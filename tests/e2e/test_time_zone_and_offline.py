"""A phone in Chicago gets Chicago's today in one tap; a diary day opened once shows offline."""

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from accounts.models import Profile
from tests.e2e.conftest import assert_accessible, verification_link
from tests.factories import PASSWORD, UserFactory

PHONE = {"width": 360, "height": 740}
CHICAGO = "America/Chicago"


@pytest.fixture
def person(transactional_db):
    user = UserFactory(email="tz.person@example.com")
    Profile.objects.filter(user=user).update(sex="female", birth_date=date(1980, 1, 2))
    return user


def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _no_sideways_scrolling(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways on a 360 px phone"


def test_a_phone_in_chicago_is_offered_its_zone_and_gets_chicagos_today(
    browser, site, sign_in, person
):
    context = browser.new_context(timezone_id=CHICAGO, viewport=PHONE)
    page = context.new_page()
    assert Profile.objects.get(user=person).timezone == "UTC"
    sign_in(page, person.email, PASSWORD)
    offer = page.locator("form[data-timezone-offer]")
    offer.wait_for(state="visible")
    assert offer.inner_text().startswith(f"Your device is in {CHICAGO}. Use that time zone?")
    _no_sideways_scrolling(page)
    assert_accessible(page)

    offer.get_by_role("button", name="Use it").click()
    page.wait_for_load_state()
    assert f"Your time zone is now {CHICAGO}" in page.locator(".messages").inner_text()
    assert page.locator("form[data-timezone-offer]").count() == 0
    assert Profile.objects.get(user=person).timezone == CHICAGO

    page.goto(f"{site}/profile/")
    assert page.locator("#id_timezone").input_value() == CHICAGO
    page.goto(f"{site}/diary/")
    chicago_today = datetime.now(ZoneInfo(CHICAGO)).date()
    heading = page.locator("h1").inner_text()
    assert heading == f"Today, {_long_date(chicago_today)}", heading
    context.close()


def test_no_thanks_is_remembered_on_the_device(browser, site, sign_in, person):
    context = browser.new_context(timezone_id=CHICAGO, viewport=PHONE)
    page = context.new_page()
    sign_in(page, person.email, PASSWORD)
    offer = page.locator("form[data-timezone-offer]")
    offer.wait_for(state="visible")
    offer.get_by_role("button", name="No thanks").click()
    page.wait_for_load_state()
    page.goto(f"{site}/foods/")
    page.wait_for_load_state()
    assert page.locator("form[data-timezone-offer]").is_hidden()
    assert Profile.objects.get(user=person).timezone == "UTC"
    context.close()


def test_sign_up_in_chicago_starts_on_chicagos_today(browser, site, transactional_db):
    context = browser.new_context(timezone_id=CHICAGO, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/accounts/signup/")
    page.wait_for_load_state()
    assert page.locator("input[name=timezone]").input_value() == CHICAGO
    page.locator("#id_email").fill("chicago.new@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_load_state()
    assert Profile.objects.get(user__email="chicago.new@example.com").timezone == CHICAGO
    page.goto(verification_link(mail.outbox))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    page.goto(f"{site}/diary/")
    assert page.locator("form[data-timezone-offer]").count() == 0
    chicago_today = datetime.now(ZoneInfo(CHICAGO)).date()
    assert page.locator("h1").inner_text() == f"Today, {_long_date(chicago_today)}"
    context.close()


def _kept_pages(page) -> list[str]:
    return page.evaluate(
        """async () => {
            if (!(await caches.has("mg-pages-v1"))) return [];
            const cache = await caches.open("mg-pages-v1");
            return (await cache.keys()).map((r) => new URL(r.url).pathname);
        }"""
    )


# Resolves "active" once the page's service worker is, else says what state it is in (in the
# page, awaited by Playwright: no eval, which the page's CSP refuses).
_ACTIVE_WORKER = """async () => {
    const timeout = new Promise((resolve) => setTimeout(resolve, 30000, "timeout"));
    const ready = navigator.serviceWorker.ready.then(() => "active");
    const answer = await Promise.race([ready, timeout]);
    if (answer === "active") return answer;
    const r = await navigator.serviceWorker.getRegistration();
    if (!r) return "no registration";
    const w = r.installing || r.waiting || r.active;
    return "registered, " + (w ? w.state : "no worker");
}"""


def _wait_for(condition, what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_the_last_diary_day_opens_offline_with_a_marker(browser, site, sign_in, person):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, person.email, PASSWORD)
    day = date.today() - timedelta(days=1)
    day_path = f"/diary/{day:%Y-%m-%d}/"
    page.goto(f"{site}{day_path}")
    page.wait_for_load_state()
    # The worker installs (keeping every static file) while the page loads; a page loaded
    # before it was active is controlled once the worker claims it, or at the next load.
    state = page.evaluate(_ACTIVE_WORKER)
    assert state == "active", f"the service worker did not become active: {state}"
    if not page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
        page.reload()
        page.wait_for_load_state()
    _wait_for(
        lambda: page.evaluate("() => Boolean(navigator.serviceWorker.controller)"),
        "the service worker to control the page",
    )
    _wait_for(lambda: day_path in _kept_pages(page), "the day to be kept")

    context.set_offline(True)
    page.reload()
    page.wait_for_load_state()
    marker = page.locator("[data-offline-copy]")
    assert marker.is_visible()
    assert marker.inner_text().startswith("Offline — showing the copy from ")
    assert page.locator("h1").inner_text() == _long_date(day)
    _no_sideways_scrolling(page)
    assert_accessible(page)

    # Another page, never kept: the offline page.
    page.goto(f"{site}/foods/magnesium-rich/")
    assert page.locator("h1").inner_text() == "You are offline"
    _no_sideways_scrolling(page)

    # Back online, signing out forgets the kept pages.
    context.set_offline(False)
    page.goto(f"{site}{day_path}")
    page.wait_for_load_state()
    assert page.locator("[data-offline-copy]").count() == 0
    assert day_path in _kept_pages(page)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    _wait_for(lambda: _kept_pages(page) == [], "the kept pages to be forgotten")
    context.close()
