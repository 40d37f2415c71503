from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from mgsite import views
from mgsite.converters import DatabaseIdConverter, IsoDateConverter
from nutrition.content.sitemaps import SITEMAPS

# The admin login goes through allauth, so its rate limits and two-factor step apply.
admin.site.login = login_not_required(secure_admin_login(admin.site.login))
admin.site.site_header = "mgsite administration"
admin.site.site_title = "mgsite admin"

# Before any app's URLs are included: they use `<id:…>` and `<isodate:…>`.
register_converter(DatabaseIdConverter, "id")
register_converter(IsoDateConverter, "isodate")

# JSON under /api/, the site's pages elsewhere.
handler404 = views.page_not_found
handler500 = views.server_error

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("nutrition.foods.api_urls")),
    path("", include("nutrition.content.api_urls")),
    path("", include("nutrition.health.api_urls")),
    path("", include("nutrition.diary.api_urls")),
    path("", include("nutrition.clinic.api_urls")),
    path("", include("nutrition.transfer.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("health/", views.health, name="health"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("offline/", views.offline, name="offline"),
    path(
        "sitemap.xml",
        login_not_required(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("accounts/login/", account_views.LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    # allauth's headless API always routes phone-number management; the site keeps no phone
    # numbers (its account adapter implements none), so that is not found rather than a 500.
    re_path(r"^_allauth/(?:app|browser)/v1/account/phone$", views.headless_not_found),
    path("_allauth/", include("allauth.headless.urls")),
    path("profile/", include("accounts.urls")),
    path(
        "unsubscribe/<slug:email_list>/<str:token>/",
        account_views.unsubscribe,
        name="unsubscribe",
    ),
    # Before the diary's and the clinic's: imports and reports live at their addresses.
    path("", include("nutrition.transfer.urls")),
    path("foods/", include("nutrition.foods.urls")),
    path("articles/", include("nutrition.content.urls")),
    path("diary/", include("nutrition.diary.urls")),
    path("health-record/", include("nutrition.health.urls")),
    path("clinic/", include("nutrition.clinic.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
