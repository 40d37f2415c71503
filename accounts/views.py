"""Profile page, data export download and account deletion."""

import json
from functools import wraps

from allauth.account import views as allauth_views
from allauth.account.decorators import reauthentication_required, verified_email_required
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.utils.encoders import JSONEncoder

from accounts import selectors, services
from accounts import unsubscribe as unsubscribe_links
from accounts.authentication import TwoFactor, authenticated_recently, two_factor_state
from accounts.context_processors import DISMISSED_COOKIE, remember_offer
from accounts.forms import ProfileForm
from accounts.timezones import known_timezones
from mgsite import registry

DISMISSED_COOKIE_SECONDS = 365 * 24 * 3600


@verified_email_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    current = selectors.profile_for(user=request.user)
    form = ProfileForm(
        request.POST or None,
        instance=current,
        initial={"name": request.user.name},
        dietitian=request.user.is_dietitian,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            remember_offer(request, user=request.user)
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    context = {
        "form": form,
        "profile": current,
        "mfa_enabled": is_mfa_enabled(request.user),
        "email_addresses": request.user.emailaddress_set.all(),
        # Panels of the apps above (the care team and who looked at the diary, from the clinic).
        "panels": registry.collect("accounts.profile_page", request),
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


def _back(request: HttpRequest) -> str:
    """Where a small form on any page sends the person back to: its `next`, if it is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@verified_email_required
@require_POST
def timezone_offer(request: HttpRequest) -> HttpResponse:
    """The banner's answer to "Your device is in America/Chicago. Use that time zone?": "use"
    sets the zone; "dismiss" remembers on this device not to offer that zone again."""
    zone = request.POST.get("timezone", "").strip()[:64]
    if request.POST.get("action") == "dismiss":
        response = HttpResponseRedirect(_back(request))
        if zone in known_timezones():
            response.set_cookie(
                DISMISSED_COOKIE,
                zone,
                max_age=DISMISSED_COOKIE_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
    try:
        profile = services.timezone_set(user=request.user, timezone=zone)
    except ValidationError as exc:
        message = " ".join(exc.message_dict.get("timezone", exc.messages))
        context = {"error": message, "zone": zone}
        return render(request, "accounts/timezone_offer.html", context, status=400)
    remember_offer(request, user=request.user)
    messages.success(
        request, f"Your time zone is now {profile.timezone}. Your diary's today follows it."
    )
    return HttpResponseRedirect(_back(request))


def fresh_sign_in_or_reauthentication_required(view):
    """For reading one's own data: a sign-in within the re-authentication timeout counts as a
    re-authentication (the password was just typed); otherwise allauth's page asks for it.
    Changes (e-mail, password, two factors, deletion) keep allauth's stricter rule."""
    guarded = reauthentication_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if authenticated_recently(request):
            return view(request, *args, **kwargs)
        return guarded(request, *args, **kwargs)

    return wrapper


@verified_email_required
@require_POST
@fresh_sign_in_or_reauthentication_required
def export(request: HttpRequest) -> HttpResponse:
    payload = selectors.export_user_data(user=request.user)
    stamp = timezone.now().strftime("%Y-%m-%d")
    response = HttpResponse(
        json.dumps(payload, cls=JSONEncoder, indent=2),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="mgsite-export-{stamp}.json"'
    return response


@verified_email_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def delete_account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("confirm") != "delete":
            messages.error(request, "Tick the box to confirm that the account should be deleted.")
            return render(request, "accounts/delete.html", status=400)
        user = request.user
        logout(request)
        services.account_delete(user=user)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html")


class LoginView(allauth_views.LoginView):
    """allauth's login, answering 429 (not 200) once failed attempts hit the rate limit."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        codes = {error.code for error in form.errors.as_data().get("__all__", [])}
        if "too_many_login_attempts" in codes:
            response.status_code = 429
        return response


def two_factor_redirect(request: HttpRequest, *, before: str) -> HttpResponse | None:
    """None when this session passed both factors; otherwise where to go, with a message.

    Without a second factor, to set one up; with one that this session never used (it signed
    in with the password only), to allauth's two-factor re-authentication, then back here."""
    state = two_factor_state(request)
    if state is TwoFactor.PASSED:
        return None
    if state is TwoFactor.NOT_ENABLED:
        messages.warning(request, f"Turn on two-factor authentication before {before}.")
        return HttpResponseRedirect(reverse("mfa_index"))
    messages.warning(
        request,
        "This session signed in without your second factor. Enter a code from your "
        f"authenticator app before {before}.",
    )
    back = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{back}")


LIST_NAMES = {"weekly-summary": "the weekly summary", "clinic-digest": "the daily clinic digest"}


@login_not_required
@csrf_exempt  # mail programs POST the one-click request (RFC 8058) with no cookie or form token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, email_list: str, token: str) -> HttpResponse:
    """An e-mail's unsubscribe link, without signing in: GET shows a button (a link
    prefetcher or scanner must not unsubscribe anyone), POST leaves the list at once."""
    try:
        user_id = unsubscribe_links.user_id_from(token=token, email_list=email_list)
    except unsubscribe_links.BadToken:
        return render(request, "accounts/unsubscribe_invalid.html", status=400)
    context = {"list_name": LIST_NAMES[email_list], "done": False}
    if request.method == "POST":
        services.email_list_leave(user_id=user_id, email_list=email_list)
        context["done"] = True
    return render(request, "accounts/unsubscribe.html", context)
