"""HTML to PDF with WeasyPrint, offline.

WeasyPrint needs Pango (and HarfBuzz, fontconfig and a font) from the system, not from PyPI:
`make pdf-libs` installs them on Debian and `.ci/run` does too. Without them the import
fails with an OSError; `available()` says so and the report pages answer 503 rather than
break the site (the rest of it needs none of this).

The report loads nothing from the network: `StaticFetcher` serves the site's own static files
(the stylesheet) and `data:` URIs, and refuses every other address, file:// included.
"""

import mimetypes
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# The address the report's HTML is laid out at: relative links resolve under it, and only
# its static path is ever served. ".invalid" (RFC 2606) can never be a real host.
BASE_URL = "https://report.invalid/"

NEEDS = (
    "PDF reports need WeasyPrint's system libraries (Pango, HarfBuzz, fontconfig) and a font. "
    "On Debian or Ubuntu: `make pdf-libs` as root (or `sudo apt-get install libpango-1.0-0 "
    "libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core`); elsewhere see README.md."
)


@cache
def _engine() -> tuple[Any, str]:
    """WeasyPrint, or None and why not (read once per process)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: a system library is missing
        return None, f"{type(exc).__name__}: {exc}"
    return weasyprint, ""


def available() -> bool:
    return _engine()[0] is not None


def unavailable_reason() -> str:
    return _engine()[1]


def static_file(url: str) -> Path | None:
    """The file behind a static URL of the report's own address, or None for anything else
    (another host or scheme, a path outside STATIC_URL, or one that climbs out of it)."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    static_url = urlsplit(settings.STATIC_URL).path
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = unquote(parts.path)
    if not path.startswith(static_url):
        return None
    name = path.removeprefix(static_url)
    if not name or name.startswith("/") or "\\" in name or ".." in Path(name).parts:
        return None
    # Collected files (hashed names, production) first, then the sources (development, tests).
    found = None
    if settings.STATIC_ROOT and staticfiles_storage.exists(name):
        found = staticfiles_storage.path(name)
    found = found or finders.find(name)
    return Path(found) if found else None


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """The site's static files and data: URIs; every other address is refused (WeasyPrint
        then leaves the resource out and logs a warning)."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data", "https"), allow_redirects=False)

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)  # decoded in memory, nothing fetched
            path = static_file(url)
            if path is None:
                raise ValueError(
                    f"Not loaded (the report loads the site's static files only): {url}"
                )
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})

    return StaticFetcher


def fetcher() -> Any:
    """A fresh fetcher (WeasyPrint keeps state on it during one rendering)."""
    return _fetcher_class()()


def render(html: str) -> bytes:
    """The PDF of a page; RuntimeError when WeasyPrint cannot run here."""
    weasyprint, reason = _engine()
    if weasyprint is None:
        raise RuntimeError(reason)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher())
    return document.write_pdf()
