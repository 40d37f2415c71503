"""Who is due a weekly summary e-mail, and of which week.

A person who opted in gets, once their own clock has reached Monday 07:00, the summary of the
week before (Monday to Sunday of their calendar). The hourly job asks every time; a person
whose summary was queued already is left out by its key, so a late run (a worker that was
down on Monday) still sends it, and a second run sends nothing."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from accounts.models import Profile
from outbox.models import OutboxMessage

SEND_AT = time(7, 0)  # local time on Monday


@dataclass(frozen=True)
class SummaryDue:
    user_id: int
    email: str
    week_start: date  # the Monday of the week summarised

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def iso_week(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def key(self) -> str:
        """The outbox key: one summary per person and week, whatever runs the job."""
        return f"weekly-summary:{self.user_id}:{self.iso_week}"


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def summary_week(*, zone_name: str, now: datetime) -> date | None:
    """The Monday of the week to summarise at `now` for someone in that zone, or None while
    their Monday has not reached 07:00 (last week's summary went out a week ago)."""
    local = now.astimezone(zone_named(zone_name))
    monday = local.date() - timedelta(days=local.weekday())
    if local.date() == monday and local.time() < SEND_AT:
        return None
    return monday - timedelta(days=7)


def weekly_summaries_due(*, now: datetime) -> list[SummaryDue]:
    """Everyone who opted in and whose local time has reached this week's Monday 07:00, in
    one query (the keys already queued are checked by the caller, in one more)."""
    rows = Profile.objects.filter(weekly_summary=True, user__is_active=True).values_list(
        "user_id", "user__email", "timezone"
    )
    due = []
    for user_id, email, zone_name in rows.order_by("user_id"):
        week = summary_week(zone_name=zone_name, now=now)
        if week is not None:
            due.append(SummaryDue(user_id=user_id, email=email, week_start=week))
    return due


def keys_queued(*, keys: list[str]) -> set[str]:
    """Which of these outbox keys were queued already (a job's record of what it sent this
    period), in one query."""
    if not keys:
        return set()
    return set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
