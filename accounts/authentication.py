"""What the current session has proved: both factors, and a recent re-authentication.

allauth records every authentication step in the session (`get_authentication_records`):
"password" at sign-in, "mfa" after a TOTP or recovery code, each with `reauthenticated` when it
was a re-authentication. "MFA enabled" only says that the *account* has a second factor; the
rules here ask what *this session* did, so a session that signed in with the password before
TOTP was turned on elsewhere does not count as two-factor.

An app client's `X-Session-Token` names a server-side session of its own (DRF's
`XSessionTokenAuthentication` puts it in `request.auth`); that session is read, not the cookie
one, so the rules are the same for pages, browser API calls and app API calls.
"""

import time
from enum import Enum
from types import SimpleNamespace

from allauth.account import app_settings as account_settings
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

# Where an app or a browser client re-authenticates through allauth's headless API.
HEADLESS_REAUTHENTICATE = {
    "app": "/_allauth/app/v1/auth/reauthenticate",
    "browser": "/_allauth/browser/v1/auth/reauthenticate",
}
HEADLESS_MFA_REAUTHENTICATE = {
    "app": "/_allauth/app/v1/auth/2fa/reauthenticate",
    "browser": "/_allauth/browser/v1/auth/2fa/reauthenticate",
}


class TwoFactor(Enum):
    PASSED = "passed"  # this session entered a code from the second factor
    NOT_ENABLED = "not_enabled"  # the account has no second factor: set one up
    NOT_IN_SESSION = "not_in_session"  # the account has one, this session never used it


def authenticating_session(request: HttpRequest) -> SessionBase:
    """The session that signed this request in: an app's token session, else the cookie one."""
    token_session = getattr(request, "auth", None)
    return token_session if isinstance(token_session, SessionBase) else request.session


def _as_allauth_reads_it(request: HttpRequest) -> SimpleNamespace:
    # allauth's session helpers read only `.user` and `.session`; handing them the
    # authenticating session makes them work for token sessions too.
    return SimpleNamespace(user=request.user, session=authenticating_session(request))


def two_factor_state(request: HttpRequest) -> TwoFactor:
    """Whether the signed-in person's current session passed the second factor.

    The one rule behind the admin, the clinic pages and the clinic API."""
    user = request.user
    if not user.is_authenticated or not is_mfa_enabled(user):
        return TwoFactor.NOT_ENABLED
    records = get_authentication_records(_as_allauth_reads_it(request), user)
    if any(record.get("method") == "mfa" for record in records):
        return TwoFactor.PASSED
    return TwoFactor.NOT_IN_SESSION


def passed_two_factors(request: HttpRequest) -> bool:
    return two_factor_state(request) is TwoFactor.PASSED


def authenticated_recently(request: HttpRequest | SimpleNamespace) -> bool:
    """Whether this session proved who it is within `ACCOUNT_REAUTHENTICATION_TIMEOUT`, by a
    sign-in or a re-authentication (allauth's own rule counts re-authentications only)."""
    if not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    latest = max((record.get("at", 0) for record in records), default=0)
    return time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT


def recently_reauthenticated(request: HttpRequest) -> bool:
    """The export's rule (`accounts.views.fresh_sign_in_or_reauthentication_required`) on the
    authenticating session: a sign-in or a re-authentication within
    `ACCOUNT_REAUTHENTICATION_TIMEOUT`."""
    if not request.user.is_authenticated:
        return False
    session = _as_allauth_reads_it(request)
    return authenticated_recently(session) or not is_reauthentication_required(session, app="")
