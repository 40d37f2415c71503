"""The weekly summary e-mail: who gets it, when, with which figures, and once."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from accounts.models import Profile
from nutrition.diary import selectors, services
from nutrition.diary.tasks import weekly_summaries
from outbox.models import OutboxMessage
from tests.factories import UserFactory
from tests.jobs.conftest import LAST_WEEK, opted_in, outbox_cost, week_of

pytestmark = pytest.mark.django_db

MONDAY_0730_UTC = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)


def run(captured, now=MONDAY_0730_UTC):
    with freeze_time(now), captured(execute=True):
        return weekly_summaries.delay()


def test_the_summary_carries_last_weeks_figures_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = opted_in()
    week_of(person)
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)  # the same hour again: nothing more
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [person.email]
    assert "23 Nov to 29 Nov 2026" in mail.subject
    # Three logged days: 374, 400 and 87 mg; the days before and after the week do not count.
    assert "Average per logged day: 287.0 mg (3 days logged)" in mail.body
    assert "Days on target: 2 of 3" in mail.body
    assert "- Spinach, cooked, boiled, drained, without salt: 261.0 mg" in mail.body
    assert "- Pumpkin seeds: 200.0 mg" in mail.body
    assert "Wednesday 25 November (400.0 mg, limit 350 mg)" in mail.body
    html, kind = mail.alternatives[0]
    assert kind == "text/html" and "<strong>287.0 mg</strong>" in html
    # The figures are the diary's own, computed by the selector the trends page uses.
    summary = selectors.range_summary(user=person, start=LAST_WEEK[0], end=LAST_WEEK[6])
    assert f"{summary.average_total_mg} mg" in mail.body
    # Nothing else of the diary: no meal, no amount eaten, no supplement name.
    for detail in ("Lunch", "200 g", "100 g", "Magnesium tablets"):
        assert detail not in mail.body and detail not in html
    assert mail.extra_headers["X-Outbox-Key"] == f"weekly-summary:{person.pk}:2026-W48"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.extra_headers["List-Unsubscribe"].startswith(
        "<https://mg.example.org/unsubscribe/weekly-summary/"
    )
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_only_people_who_opted_in_and_logged_something(
    django_capture_on_commit_callbacks, mailoutbox
):
    spinach, rich = week_of(opted_in())
    week_of(UserFactory(), spinach=spinach, rich=rich)  # never opted in
    opted_in()  # opted in, logged nothing last week
    left = opted_in(is_active=False)
    week_of(left, spinach=spinach, rich=rich)
    run(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1


def test_each_person_on_their_own_monday_0700(django_capture_on_commit_callbacks, mailoutbox):
    chicago = opted_in()
    Profile.objects.filter(user=chicago).update(timezone="America/Chicago")
    week_of(chicago)
    # 07:30 UTC is 01:30 in Chicago: their Monday morning has not come yet.
    run(django_capture_on_commit_callbacks)
    assert mailoutbox == []
    run(django_capture_on_commit_callbacks, datetime(2026, 11, 30, 12, 59, tzinfo=UTC))
    assert mailoutbox == []
    run(django_capture_on_commit_callbacks, datetime(2026, 11, 30, 13, 0, tzinfo=UTC))
    assert len(mailoutbox) == 1
    assert "2026-W48" in mailoutbox[0].extra_headers["X-Outbox-Key"]
    # Later in the week (a worker that was down on Monday) nothing goes twice.
    run(django_capture_on_commit_callbacks, datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    assert len(mailoutbox) == 1


def test_a_late_run_still_sends_and_next_monday_sends_the_next_week(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = opted_in()
    week_of(person)
    run(django_capture_on_commit_callbacks, datetime(2026, 12, 3, 18, 0, tzinfo=UTC))
    assert len(mailoutbox) == 1
    # The next Monday at 06:59 is still last week's turn; at 07:00 the week of 30 November
    # (one entry, on the Monday) is summed up.
    run(django_capture_on_commit_callbacks, datetime(2026, 12, 7, 6, 59, tzinfo=UTC))
    assert len(mailoutbox) == 1
    run(django_capture_on_commit_callbacks, datetime(2026, 12, 7, 7, 0, tzinfo=UTC))
    assert len(mailoutbox) == 2
    assert mailoutbox[1].extra_headers["X-Outbox-Key"].endswith(":2026-W49")
    assert "Average per logged day: 1000.0 mg (1 day logged)" in mailoutbox[1].body


def _queries(n_people: int, spinach, rich) -> int:
    for _ in range(n_people):
        week_of(opted_in(), spinach=spinach, rich=rich)
    OutboxMessage.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        sent = services.weekly_summaries_send(now=MONDAY_0730_UTC)
    Profile.objects.update(weekly_summary=False)
    return sent, len(captured)


def test_queries_grow_only_by_the_outbox_writes():
    spinach, rich = week_of(UserFactory())
    per_message = outbox_cost()
    sent_3, queries_3 = _queries(3, spinach, rich)
    sent_9, queries_9 = _queries(9, spinach, rich)
    assert (sent_3, sent_9) == (3, 9)
    # The figures of everyone due cost the same few queries (people, keys, entries, doses,
    # names); each more person costs only their message's row.
    assert queries_9 - queries_3 == 6 * per_message
    assert queries_3 <= 6 + 3 * per_message
