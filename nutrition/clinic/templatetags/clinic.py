"""Clinic panels shown on other apps' pages without those apps importing the clinic."""

from datetime import date

from django import template

from nutrition.clinic import selectors

register = template.Library()

ACCESS_LOG_SHOWN = 20


@register.inclusion_tag("clinic/_care_team_panel.html", takes_context=True)
def care_team_panel(context) -> dict:
    """The profile's privacy panel: who can see the diary, since when, and every view."""
    user = context["request"].user
    return {
        "care_team": list(selectors.care_team_for(client=user)),
        "access_log": list(selectors.access_log_for(client=user)[:ACCESS_LOG_SHOWN]),
        "is_dietitian": user.is_dietitian,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("clinic/_notes_for_client.html", takes_context=True)
def dietitian_notes(context, day: date | None = None, revision: int | None = None) -> dict:
    """Notes from the client's dietitians: the day's notes and general ones (cached under the
    diary's `revision` when the page passes it)."""
    notes = selectors.notes_for_client_page(
        client=context["request"].user,
        day=day,
        revision=revision if isinstance(revision, int) else None,  # "" when there is none
    )
    return {"notes": notes, "day": day}
