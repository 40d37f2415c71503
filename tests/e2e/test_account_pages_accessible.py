"""Every account page a person meets, checked with axe in the browser, on a phone and a desk."""

import pytest

from tests.e2e.conftest import assert_accessible
from tests.factories import PASSWORD, UserFactory

ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SIGNED_IN_PAGES = [
    "/profile/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/sessions/",
    "/profile/delete/",
]


@pytest.mark.parametrize("width", [360, 1280])
def test_account_pages_have_no_serious_accessibility_violations(browser, site, sign_in, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        for path in ANONYMOUS_PAGES:
            page.goto(site + path)
            assert_accessible(page)
        person = UserFactory()
        sign_in(page, person.email, PASSWORD)
        for path in SIGNED_IN_PAGES:
            page.goto(site + path)
            if "/accounts/reauthenticate/" in page.url:
                page.locator("#id_password").fill(PASSWORD)
                page.get_by_role("button", name="Confirm").click()
                page.wait_for_load_state()
            assert_accessible(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways at {width} px"
    finally:
        page.close()
