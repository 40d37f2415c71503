"""Installing the site on a phone's home screen: the web app manifest and what the service
worker (`templates/sw.js`, served at /sw.js) keeps for offline use.

The worker caches the site's own static files (the list below, by their served URLs, so a
new version of a file is a new URL in production) and the diary day pages a person views; it
never caches the API, any other page, or anything of another person (it forgets the pages when
someone signs out, signs in or signs up on the device)."""

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse

THEME_COLOUR = "#1f6f5c"
BACKGROUND_COLOUR = "#fbfaf7"
# The site's own static files (under static/) in these folders, and the vendored scripts.
PRECACHED_FOLDERS = ("css/", "js/", "img/", "vendor/")
PRECACHED_FILES: tuple[str, ...] = ()


def manifest() -> dict:
    return {
        "id": "/diary/",
        "name": "mgsite: your magnesium diary",
        "short_name": "mgsite",
        "description": "Track the magnesium you get from food and supplements against what "
        "you need.",
        "lang": "en",
        "start_url": "/diary/",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


def _precached_paths() -> list[str]:
    """The files of STATICFILES_DIRS (the site's own static/) in PRECACHED_FOLDERS."""
    found = {path.replace("\\", "/") for path, _storage in finders.FileSystemFinder().list([])}
    own = sorted(path for path in found if path.startswith(PRECACHED_FOLDERS))
    return own + [path for path in PRECACHED_FILES if finders.find(path)]


def service_worker_context() -> dict:
    """The worker's list of static URLs and its version: a digest of the files and of the
    worker itself, so any change installs a new worker that replaces the old cache. Figured
    once per process (on every request under DEBUG, where files change as you work)."""
    if settings.DEBUG:
        return _service_worker_context()
    return _cached_service_worker_context()


def _service_worker_context() -> dict:
    paths = _precached_paths()
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.encode())
        with open(finders.find(path), "rb") as file:
            digest.update(file.read())
    template = get_template("sw.js")
    digest.update(template.template.source.encode())
    return {
        "version": digest.hexdigest()[:16],
        "static_urls": json.dumps([static(path) for path in paths]),
        "offline_url": reverse("offline"),
    }


_cached_service_worker_context = functools.cache(_service_worker_context)
