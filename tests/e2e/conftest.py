"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Without chromium they are skipped with a message; under CI=true they must run.
"""

import os
import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(config, items):
    e2e_items = [item for item in items if "/tests/e2e/" in str(item.fspath)]
    for item in e2e_items:
        item.add_marker(pytest.mark.e2e)
    if CHROMIUM or not e2e_items:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true but chromium is not installed: browser tests must run.")
    skip = pytest.mark.skip(
        reason="chromium not found: install Debian's chromium to run browser tests"
    )
    for item in e2e_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def _plain_http():
    """The live server speaks plain HTTP on localhost, so no HTTPS redirect or Secure-only
    cookies. Set for the session because middleware reads these when the server starts."""
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_NAME="sessionid",
        CSRF_COOKIE_NAME="csrftoken",
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        ACCOUNT_DEFAULT_HTTP_PROTOCOL="http",
    ):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http, live_server):
    return live_server


@pytest.fixture
def site(live_server):
    """Base URL of the running site."""
    return live_server.url


_axe = Axe()


def assert_accessible(page) -> None:
    """No serious or critical axe-core violations on the page as it is now.

    Only in a context with JavaScript on: axe waits on the page's timers, which never fire
    with it off, and Playwright's evaluate has no timeout, so the test would hang."""
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    summary = "; ".join(
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}"
        for v in bad
    )
    assert not bad, f"axe violations on {page.url}: {summary}"


def verification_link(outbox) -> str:
    """The e-mail confirmation link from the last message sent."""
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", outbox[-1].body)
    assert match, outbox[-1].body
    return match.group(0)


@pytest.fixture
def sign_in(site):
    """Sign in through the real login form: sign_in(page, email, password)."""

    def _sign_in(page, email: str, password: str) -> None:
        page.goto(f"{site}/accounts/login/")
        page.locator("#id_login").fill(email)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()

    return _sign_in
