"""Absolute links for e-mails that jobs send: no request to take the site's address from, so
it is a setting (`SITE_URL`)."""

from django.conf import settings


def site_url(path: str) -> str:
    """`path` (from `reverse`) on the site's own address: "https://mg.example.org/diary/"."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
