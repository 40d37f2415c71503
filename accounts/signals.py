"""Every account gets its profile when it is created; authentication events go to the
`mgsite.security` log: who, from where, never a password."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.context_processors import remember_offer
from accounts.models import DEFAULT_TIMEZONE, Profile, User

logger = logging.getLogger("mgsite.security")


@receiver(post_save, sender=User)
def create_profile(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    """The one place a Profile is made: whoever creates the account (sign-up, the admin,
    `createsuperuser`, a test), it has a profile from then on."""
    if created and not raw:
        # A sign-up brings the browser's time zone (AccountAdapter.save_user), already checked.
        zone = getattr(instance, "initial_timezone", "") or DEFAULT_TIMEZONE
        Profile.objects.get_or_create(user=instance, defaults={"timezone": zone})


def _client(request) -> dict[str, str]:
    if request is None:
        return {"ip": "", "user_agent": ""}
    return {
        "ip": request.META.get("REMOTE_ADDR", ""),
        # repr() keeps CR/LF and other control characters from forging log lines.
        "user_agent": repr(request.META.get("HTTP_USER_AGENT", ""))[:200],
    }


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs) -> None:
    logger.info("login succeeded", extra={"event": "login", "user_id": user.pk, **_client(request)})


@receiver(user_logged_in)
def offer_browser_timezone(sender, request, user, **kwargs) -> None:
    """Whether pages offer the browser's time zone (accounts.context_processors), decided once
    at sign-in so that no page pays a query for it."""
    if request is not None and hasattr(request, "session"):
        remember_offer(request, user=user)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs) -> None:
    user_id = getattr(user, "pk", None)
    logger.info("logout", extra={"event": "logout", "user_id": user_id, **_client(request)})


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs) -> None:
    attempted = repr(str(credentials.get("email") or credentials.get("username") or ""))[:200]
    logger.warning(
        "login failed for %s",
        attempted,
        extra={"event": "login_failed", **_client(request)},
    )
