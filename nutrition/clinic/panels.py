"""The clinic's panels on other apps' pages (registered in `ClinicConfig.ready`): the care
team and access log on the profile, a dietitian's notes on the diary day."""

from datetime import date

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from accounts.models import User
from nutrition.clinic import selectors

ACCESS_LOG_SHOWN = 20


def care_team_panel(request: HttpRequest) -> SafeString:
    """The profile's privacy panel: who can see the diary, since when, and every view."""
    user = request.user
    context = {
        "care_team": list(selectors.care_team_for(client=user)),
        "access_log": list(selectors.access_log_for(client=user)[:ACCESS_LOG_SHOWN]),
        "is_dietitian": user.is_dietitian,
        "csrf_token": get_token(request),
    }
    return render_to_string("clinic/_care_team_panel.html", context)


def notes_panel(request: HttpRequest, *, user: User, day: date, revision: int) -> SafeString | None:
    """Notes from the person's dietitians above their diary day: the day's and the general
    ones (cached under the diary's revision, which a new note raises)."""
    notes = selectors.notes_for_client_page(client=user, day=day, revision=revision)
    if not notes:
        return None
    return render_to_string("clinic/_notes_for_client.html", {"notes": notes, "day": day})
