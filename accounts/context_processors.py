"""The offer of the browser's time zone, on every page for a person whose profile still says
UTC: the page carries a hidden form, and site.js fills in the browser's zone and shows it when
that zone is another one (and not the one the person turned down on this device)."""

from django.http import HttpRequest

from accounts import selectors

# In the session: whether the person's profile still has the default zone (set at sign-in and
# whenever the zone changes on a page, so reading it costs no query).
OFFER_SESSION_KEY = "accounts_timezone_offer"
# On the device: the zone the person said no to (offered again only for another zone).
DISMISSED_COOKIE = "timezone_offer_dismissed"


def remember_offer(request: HttpRequest, *, user) -> None:
    request.session[OFFER_SESSION_KEY] = selectors.timezone_is_default(user=user)


def timezone_offer(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    # Always the key: a missing template variable costs an exception and a log call.
    if user is None or session is None or not user.is_authenticated:
        return {"timezone_offer": None}
    if OFFER_SESSION_KEY not in session:  # a session from before the offer existed: once
        remember_offer(request, user=user)
    if not session[OFFER_SESSION_KEY]:
        return {"timezone_offer": None}
    return {"timezone_offer": {"dismissed": request.COOKIES.get(DISMISSED_COOKIE, "")}}
