"""Installing on the home screen: the manifest, its icons, the service worker and the offline
page, each served as a browser needs it and within the Content Security Policy."""

import json
import re
import struct

import pytest

from mgsite import pwa


def _png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", body[16:24])


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_a_theme_colour(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#1f6f5c">' in html
    assert re.search(r'<link rel="apple-touch-icon" href="/static/img/icon-180.png">', html)


@pytest.mark.django_db
def test_the_manifest_is_valid_json_for_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/diary/" and manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"] == "mgsite"
    assert manifest["theme_color"] == "#1f6f5c" and manifest["background_color"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


@pytest.mark.django_db
def test_the_icons_are_served_as_pngs_of_their_sizes(client):
    for icon in pwa.manifest()["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon
        assert response["Content-Type"] == "image/png"
        body = b"".join(response.streaming_content)
        width, height = _png_size(body)
        assert f"{width}x{height}" == icon["sizes"]


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_the_service_worker_is_served_from_the_root_as_javascript(client, user, signed_in):
    if signed_in:
        client.force_login(user)
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    body = response.content.decode()
    urls = json.loads(re.search(r"var STATIC_URLS = (\[.*?\]);", body).group(1))
    assert {"/static/css/site.css", "/static/js/site.js", "/static/img/icon-192.png"} <= set(urls)
    assert "/static/vendor/htmx/htmx.min.js" in urls
    assert not any(url.startswith(("/api/", "/diary/")) for url in urls)
    assert 'var OFFLINE_URL = "/offline/";' in body
    assert re.search(r'var VERSION = "[0-9a-f]{16}";', body)
    # Never the API, the clinic or the admin; the kept pages go at sign-out.
    assert "var NEVER = /^\\/(api|_allauth|admin|clinic)\\//;" in body
    assert "Offline \\u2014 showing the copy from " in body
    # The worker's own code, not a template's escaping of it.
    assert "&quot;" not in body and "&#x27;" not in body


@pytest.mark.django_db
def test_the_service_worker_version_follows_the_files(client, settings, tmp_path):
    first = pwa._service_worker_context()["version"]
    assert pwa._service_worker_context()["version"] == first
    extra = tmp_path / "css"
    extra.mkdir()
    (extra / "extra.css").write_text("p { color: red; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    second = pwa._service_worker_context()
    assert second["version"] != first and "/static/css/extra.css" in second["static_urls"]


@pytest.mark.django_db
def test_site_js_registers_the_worker(client):
    script = b"".join(client.get("/static/js/site.js").streaming_content).decode()
    assert 'navigator.serviceWorker.register("/sw.js", { scope: "/" })' in script


@pytest.mark.django_db
def test_the_offline_page_is_the_same_for_everybody(client, user):
    anonymous = client.get("/offline/")
    assert anonymous.status_code == 200 and b"You are offline" in anonymous.content
    client.force_login(user)
    signed_in = client.get("/offline/").content.decode()
    assert user.email not in signed_in and "csrf" not in signed_in.lower()
    assert "<script" not in signed_in
