"""One-click unsubscribe links for the site's optional e-mails (RFC 8058).

A link carries the person's id signed with the site's key and a salt per list, so a token for
one list never works for another, nothing is stored, and anyone holding the e-mail can leave
that list without signing in — and do nothing else."""

from django.core import signing
from django.urls import reverse

from accounts.models import EMAIL_LISTS
from mgsite.links import site_url

# A link older than this is refused (the e-mails that carry it are deleted after 90 days).
TOKEN_MAX_AGE_SECONDS = 120 * 24 * 3600


class BadToken(Exception):
    """A token that was tampered with, belongs to another list, or is too old."""


def _salt(email_list: str) -> str:
    if email_list not in EMAIL_LISTS:
        raise BadToken(email_list)
    return f"accounts.unsubscribe.{email_list}"


def token_for(*, user_id: int, email_list: str) -> str:
    return signing.dumps(user_id, salt=_salt(email_list))


def user_id_from(*, token: str, email_list: str) -> int:
    """The person the token was made for; BadToken when it is not a valid, current token for
    this list."""
    try:
        value = signing.loads(token, salt=_salt(email_list), max_age=TOKEN_MAX_AGE_SECONDS)
    except signing.BadSignature as exc:  # SignatureExpired is one too
        raise BadToken(str(exc)) from exc
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise BadToken("not a person")
    return value


def unsubscribe_url(*, user_id: int, email_list: str) -> str:
    """The absolute link for an e-mail (jobs have no request: the site's address is a setting)."""
    path = reverse(
        "unsubscribe",
        kwargs={
            "email_list": email_list,
            "token": token_for(user_id=user_id, email_list=email_list),
        },
    )
    return site_url(path)


def list_headers(*, user_id: int, email_list: str) -> dict[str, str]:
    """The RFC 2369 / RFC 8058 headers: mail programs show an unsubscribe button that POSTs."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id=user_id, email_list=email_list)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
