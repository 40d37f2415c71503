"""Site-wide pages: home, the health checks, installing on a phone (the manifest, the service
worker, the offline page), and what allauth offers that the site has not."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from mgsite import health_checks, pwa


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What the site does and a food search; people who are signed in go to their diary."""
    if request.user.is_authenticated:
        return redirect("diary:today")
    return render(request, "home.html")


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Each dependency with its state (`mgsite.health_checks`); 503 when one is down."""
    checks = health_checks.run_checks()
    healthy = all(check.ok for check in checks)
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {check.name: check.as_json() for check in checks},
        },
        status=200 if healthy else 503,
    )


@login_not_required
@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the name, colours and icons for "Add to home screen"."""
    response = JsonResponse(pwa.manifest(), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the root so that it may look after every page of the site."""
    response = render(
        request,
        "sw.js",
        pwa.service_worker_context(),
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new version is picked up at the next visit
    return response


@login_not_required
@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it cannot fetch and does not keep."""
    return render(request, "offline.html")


@login_not_required
def headless_not_found(request: HttpRequest, *args: str) -> JsonResponse:
    """A 404 in allauth's headless shape, for its endpoints the site does not offer."""
    return JsonResponse({"status": 404}, status=404)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404: in DRF's JSON shape under `/api/` (an address no route matches, such as an id
    that is not digits, answers like an id that does not exist), the site's page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500: JSON under `/api/`, the site's page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
