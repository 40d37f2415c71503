"""The outbox: every e-mail is a row written in the caller's transaction and sent by a job once
it commits, exactly once, with failures kept for staff. Jobs run in-process here (no broker);
tests/outbox/test_worker.py runs them on real workers."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts import services as account_services
from nutrition.clinic import services as clinic_services
from outbox import services
from outbox.models import OutboxMessage
from outbox.tasks import send_message
from tests.accounts.helpers import log_in_with_two_factors
from tests.clinic.conftest import make_dietitian
from tests.conftest import HttpsClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSING = "tests.outbox.backends.RefusingBackend"


def queue(key="welcome:1", to="someone@example.com", **kwargs) -> OutboxMessage:
    return services.email_queue(
        to=to,
        subject=kwargs.pop("subject", "Hello"),
        text=kwargs.pop("text", "A line of text"),
        key=key,
        category=kwargs.pop("category", "test"),
        **kwargs,
    )


def test_a_queued_message_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(html="<p>A line</p>", headers={"List-Unsubscribe": "<https://x.test/u>"})
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["someone@example.com"] and sent.subject == "Hello"
    assert sent.extra_headers["X-Outbox-Key"] == "welcome:1"
    assert sent.extra_headers["List-Unsubscribe"] == "<https://x.test/u>"
    assert sent.alternatives[0][1] == "text/html"
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.sent_at and message.attempts == 1
    assert message.text == message.html == ""  # a sent message's text (one-time links) goes


def test_the_same_key_twice_is_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue()
        second = queue(subject="Something else")
    assert first.pk == second.pk and OutboxMessage.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        queue()  # long after it was sent, too
    assert len(mail.outbox) == 1


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue()
                raise RuntimeError("the page failed after queueing")
        except RuntimeError:
            pass
    assert mail.outbox == [] and not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"to": "not an address"},
        {"key": ""},
        {"key": "k" * 201},
        {"category": ""},
        {"subject": "Two\nlines"},
        {"headers": {"X-Injected": "a\r\nBcc: everyone@example.com"}},
        {"headers": {"Bad:Name": "x"}},
    ],
)
def test_bad_input_is_refused_and_nothing_saved(kwargs):
    with pytest.raises(ValidationError):
        queue(**kwargs)
    assert not OutboxMessage.objects.exists()


def test_the_job_skips_a_message_already_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    # A second delivery of the same job (a worker died before acknowledging it) sends nothing.
    assert send_message.apply((message.pk,)).get() == "skipped"
    assert send_message.apply((123456789,)).get() == "skipped"  # a row erased meanwhile
    assert len(mail.outbox) == 1


def test_a_refused_message_is_retried_then_marked_failed(settings):
    settings.EMAIL_BACKEND = REFUSING
    message = queue()
    # A try before the last: the error's kind is kept and raised again for the job's retry.
    with pytest.raises(OSError):
        services.deliver(message_id=message.pk, last_try=False)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert (message.attempts, message.last_error) == (1, "SMTPServerDisconnected")
    # The job's retry is set up with back-off and a limit: the last one marks it failed.
    assert send_message.max_retries == 6 and send_message.retry_backoff
    assert send_message.acks_late and send_message.reject_on_worker_lost
    result = send_message.apply((message.pk,), retries=send_message.max_retries)
    assert result.get() == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 2)
    assert message.text == "A line of text"  # kept, to be sent again
    assert mail.outbox == []


def test_an_error_no_retry_can_help_fails_the_message_at_once(settings):
    settings.EMAIL_BACKEND = "tests.outbox.backends.BrokenBackend"
    message = queue()
    assert services.deliver(message_id=message.pk, last_try=False) == "failed"
    message.refresh_from_db()
    assert (message.status, message.last_error) == (OutboxMessage.Status.FAILED, "ValueError")
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert services.flush() == 0  # the flush leaves failed messages alone


def test_without_a_broker_a_refused_message_fails_at_once(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_error == "SMTPServerDisconnected"


def test_flush_hands_over_what_never_reached_the_broker_and_only_that():
    # Rows written without their commit hook running: as if the broker had been down.
    waiting = queue(key="a")
    recent = queue(key="b")
    handed = queue(key="c")
    OutboxMessage.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(minutes=2)
    )
    OutboxMessage.objects.filter(pk=handed.pk).update(
        created_at=timezone.now() - timedelta(minutes=2),
        dispatched_at=timezone.now() - timedelta(minutes=2),
    )
    assert services.flush() == 1
    assert [m.extra_headers["X-Outbox-Key"] for m in mail.outbox] == ["a"]
    recent.refresh_from_db()
    assert recent.status == OutboxMessage.Status.QUEUED
    # Handed over long ago and still queued: the broker lost it, so it goes again.
    assert services.flush(now=timezone.now() + timedelta(minutes=20)) == 2
    assert sorted(m.extra_headers["X-Outbox-Key"] for m in mail.outbox) == ["a", "b", "c"]
    assert services.flush(now=timezone.now() + timedelta(minutes=40)) == 0


# --- Staff see the outbox in the admin -------------------------------------------------------


@pytest.fixture
def admin(staff_user) -> HttpsClient:
    TOTP.activate(staff_user, generate_totp_secret())
    return log_in_with_two_factors(HttpsClient(), staff_user)


def _failed(key: str, to: str) -> OutboxMessage:
    message = queue(key=key, to=to, text="Your one-time link: https://x.test/secret-token")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED, attempts=7, last_error="SMTPServerDisconnected"
    )
    return message


def test_staff_list_filter_and_search_the_outbox(admin, django_assert_max_num_queries):
    _failed("f1", "ann@example.com")
    _failed("f2", "bob@example.com")
    queue(key="q1", to="ann@example.com")
    for number in range(20):
        _failed(f"more{number}", f"person{number}@example.com")
    # The same number of queries whatever the number of rows (a page of them).
    with django_assert_max_num_queries(14):
        response = admin.get("/admin/outbox/outboxmessage/?status__exact=failed")
    page = response.content.decode()
    assert response.status_code == 200
    assert "ann@example.com" in page and "bob@example.com" in page
    assert "SMTPServerDisconnected" in page
    found = admin.get("/admin/outbox/outboxmessage/?q=bob%40example.com").content.decode()
    assert "bob@example.com" in found and "ann@example.com" not in found
    detail = admin.get(f"/admin/outbox/outboxmessage/{OutboxMessage.objects.first().pk}/change/")
    assert detail.status_code == 200
    assert "secret-token" not in detail.content.decode()  # bodies stay out of sight


def test_staff_queue_failed_messages_again(admin, django_capture_on_commit_callbacks):
    failed = _failed("f1", "ann@example.com")
    sent = queue(key="s1")
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxMessage.Status.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/outbox/outboxmessage/",
            {"action": "queue_again", "_selected_action": [failed.pk, sent.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]  # the sent one is not resent


def test_only_staff_reach_the_outbox_admin(client, user):
    message = queue()
    pages = ["/admin/outbox/outboxmessage/", f"/admin/outbox/outboxmessage/{message.pk}/change/"]
    for page in pages:
        assert client.get(page).status_code == 302  # anonymous: to the sign-in page
    client.force_login(user)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(pages[0], {"action": "queue_again", "_selected_action": [message.pk]})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    message.refresh_from_db()
    assert message.dispatched_at is None


def test_staff_cannot_add_or_edit_a_message(admin):
    message = queue()
    assert admin.get("/admin/outbox/outboxmessage/add/").status_code == 403
    response = admin.post(
        f"/admin/outbox/outboxmessage/{message.pk}/change/", {"to": "evil@example.com"}
    )
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.to == "someone@example.com"


# --- A person's messages are their personal data ---------------------------------------------


def test_deleting_an_account_removes_the_messages_to_its_addresses():
    person = UserFactory(email="leaving@example.com")
    EmailAddress.objects.create(user=person, email="Other@Example.com", verified=True)
    queue(key="a", to="leaving@example.com")
    queue(key="b", to="other@example.com")
    kept = queue(key="c", to="staying@example.com")
    account_services.account_delete(user=person)
    assert list(OutboxMessage.objects.all()) == [kept]


def test_the_export_lists_the_messages_sent_to_the_person_without_their_text():
    person = UserFactory(email="me@example.com")
    queue(key="a", to="me@example.com", subject="Your week", text="private words")
    queue(key="b", to="someone.else@example.com", subject="Not yours")
    data = account_selectors.export_user_data(user=person)["data"]["outbox.OutboxMessage"]
    assert [row["subject"] for row in data] == ["Your week"]
    assert "private words" not in str(data)


# --- The site's e-mail goes through the outbox -------------------------------------------------


def test_an_invitation_and_its_resending_are_two_outbox_messages(
    django_capture_on_commit_callbacks,
):
    dietitian = make_dietitian(name="Dana Dietitian")
    with django_capture_on_commit_callbacks(execute=True):
        issued = clinic_services.invitation_create(
            dietitian=dietitian, client_email="client@example.com", base_url="https://mg.test"
        )
    with django_capture_on_commit_callbacks(execute=True):
        clinic_services.invitation_resend(
            dietitian=dietitian, invitation_id=issued.invitation.pk, base_url="https://mg.test"
        )
    messages = list(OutboxMessage.objects.order_by("id"))
    assert [m.category for m in messages] == ["clinic_invitation"] * 2
    assert {m.status for m in messages} == {OutboxMessage.Status.SENT}
    assert messages[0].key != messages[1].key
    assert len(mail.outbox) == 2 and issued.token not in mail.outbox[1].body  # a fresh link


def test_allauths_mail_is_queued_with_its_own_key_each_time(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
        client.post("/accounts/password/reset/", {"email": user.email})
    messages = list(OutboxMessage.objects.order_by("id"))
    assert [m.category for m in messages] == ["password_reset_key"] * 2
    assert all(m.key.startswith("allauth:") for m in messages)
    assert len({m.key for m in messages}) == 2 and len(mail.outbox) == 2
    assert mail.outbox[0].subject.startswith("[mgsite] ")
