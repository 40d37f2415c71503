"""The daily clean-up: ended sessions, old outbox messages, unaccepted invitations."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import cleanup as accounts_cleanup
from nutrition.clinic.models import CareRelationship, Invitation, token_digest
from nutrition.clinic.tasks import cleanup as clinic_cleanup
from outbox.models import OutboxMessage
from tests.clinic.conftest import make_dietitian
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def session(user, *, expired: bool) -> str:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.set_expiry(-60 if expired else 3600)
    store.create()
    if expired:
        Session.objects.filter(session_key=store.session_key).update(
            expire_date=timezone.now() - timedelta(minutes=1)
        )
    UserSession.objects.create(
        user=user, session_key=store.session_key, ip="192.0.2.1", user_agent="test"
    )
    return store.session_key


def message(key: str, age_days: int, status="sent") -> None:
    OutboxMessage.objects.create(
        key=key,
        to="someone@example.com",
        subject="s",
        text="t",
        category="test",
        status=status,
        created_at=timezone.now() - timedelta(days=age_days),
    )


def test_ended_sessions_and_old_messages_go_and_a_second_run_removes_nothing():
    person = UserFactory()
    live = session(person, expired=False)
    ended = session(person, expired=True)
    message("old-sent", 91)
    message("old-failed", 120, status="failed")
    message("recent", 89)
    first = accounts_cleanup.delay().get()
    assert first == {"sessions": 1, "device_records": 1, "outbox_messages": 2}
    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert set(UserSession.objects.values_list("session_key", flat=True)) == {live}
    assert ended not in Session.objects.values_list("session_key", flat=True)
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["recent"]
    assert accounts_cleanup.delay().get() == {
        "sessions": 0,
        "device_records": 0,
        "outbox_messages": 0,
    }


def invitation(dietitian, email, *, expired_days_ago=None, cancelled_days_ago=None, accepted=False):
    now = timezone.now()
    expires = (
        now - timedelta(days=expired_days_ago) if expired_days_ago else now + timedelta(days=3)
    )
    return Invitation.objects.create(
        dietitian=dietitian,
        client_email=email,
        token_hash=token_digest(email),
        expires_at=expires,
        cancelled_at=now - timedelta(days=cancelled_days_ago) if cancelled_days_ago else None,
        accepted_at=expires - timedelta(days=1) if accepted else None,
    )


def test_unaccepted_invitations_go_30_days_after_they_end():
    dietitian = make_dietitian()
    invitation(dietitian, "old@example.com", expired_days_ago=31)
    invitation(dietitian, "cancelled@example.com", cancelled_days_ago=31)
    invitation(dietitian, "recent@example.com", expired_days_ago=29)
    invitation(dietitian, "pending@example.com")
    invitation(dietitian, "accepted@example.com", expired_days_ago=400, accepted=True)
    client = UserFactory()
    CareRelationship.objects.create(dietitian=dietitian, client=client)
    assert clinic_cleanup.delay().get() == 2
    assert sorted(Invitation.objects.values_list("client_email", flat=True)) == [
        "accepted@example.com",
        "pending@example.com",
        "recent@example.com",
    ]
    assert clinic_cleanup.delay().get() == 0
    assert CareRelationship.objects.filter(client=client).exists()  # consent is not touched
