"""The dietitian's daily digest: flagged consenting clients, names and flags only, once a day."""

from datetime import UTC, date, datetime
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from accounts.models import Profile
from nutrition.clinic import selectors, services
from nutrition.clinic.models import AccessLog
from nutrition.clinic.tasks import digests
from outbox.models import OutboxMessage
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import add_results, connect, make_dietitian
from tests.conftest import HttpsClient
from tests.diary.factories import DiaryEntryFactory, FoodFactory
from tests.factories import UserFactory
from tests.jobs.conftest import outbox_cost

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)
AT_0800_UTC = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def run(captured, now=AT_0800_UTC):
    with freeze_time(now), captured(execute=True):
        return digests.delay()


@pytest.fixture
def clinic():
    food = FoodFactory()
    dietitian = make_dietitian(name="Dana Dietitian")
    ann = UserFactory(name="Ann Abe")  # nothing logged, ever
    ben = UserFactory(name="Ben Bell")  # logged today: no flag
    cara = UserFactory(name="Cara Cole")  # logged today, low serum magnesium, HbA1c 7 %
    dan = UserFactory(name="Dan Dole")  # flagged, but no longer consents
    for person in (ann, ben, cara, dan):
        connect(dietitian, person)
    for person in (ben, cara):
        DiaryEntryFactory(user=person, food=food, date=TODAY, grams=100)
    add_results(cara, ("magnesium_serum", "0.6", "mmol/L", TODAY), ("hba1c", "7.0", "%", TODAY))
    ended = dan.care_team.get()
    services.care_relationship_end(client=dan, relationship_id=ended.pk)
    return dietitian, ann, ben, cara, dan


def test_the_digest_names_flagged_consenting_clients_once_a_day(
    clinic, django_capture_on_commit_callbacks, mailoutbox
):
    dietitian, ann, _ben, cara, _dan = clinic
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)  # the same day again: nothing more
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [dietitian.email]
    assert mail.subject.endswith("2 clients flagged today")
    assert (
        f"- Ann Abe: Nothing logged for 3+ days\n  https://mg.example.org/clinic/clients/{ann.pk}/"
        in mail.body
    )
    assert (
        f"- Cara Cole: Low serum magnesium\n  https://mg.example.org/clinic/clients/{cara.pk}/"
        in mail.body
    )
    html = mail.alternatives[0][0]
    assert f'<a href="https://mg.example.org/clinic/clients/{cara.pk}/">Cara Cole</a>' in html
    # Names and flags only: no figures, no other finding, nobody unflagged or not consenting.
    for absent in ("Ben Bell", "Dan Dole", "diabetes", " mg", "HbA1c", "0.6"):
        assert absent not in mail.body and absent not in html
    assert mail.extra_headers["X-Outbox-Key"] == f"clinic-digest:{dietitian.pk}:2026-11-30"
    assert mail.extra_headers["List-Unsubscribe"].startswith(
        "<https://mg.example.org/unsubscribe/clinic-digest/"
    )
    # Each client named is told so in their access log, once.
    logged = AccessLog.objects.filter(dietitian=dietitian, what=services.DIGEST_SENT)
    assert sorted(logged.values_list("client__name", flat=True)) == ["Ann Abe", "Cara Cole"]


def test_the_link_opens_the_client_page_which_logs_the_view(
    clinic, django_capture_on_commit_callbacks, mailoutbox
):
    dietitian, ann, *_ = clinic
    run(django_capture_on_commit_callbacks)
    url = next(line.strip() for line in mailoutbox[0].body.splitlines() if f"/{ann.pk}/" in line)
    browser = sign_in(HttpsClient(), dietitian)
    before = AccessLog.objects.filter(client=ann).count()
    assert browser.get(urlparse(url).path).status_code == 200
    assert AccessLog.objects.filter(client=ann).count() == before + 1
    # Nobody else gets in through it.
    stranger = sign_in(HttpsClient(), make_dietitian())
    assert stranger.get(urlparse(url).path).status_code == 404


def test_each_dietitians_own_0700_and_next_day_again(
    clinic, django_capture_on_commit_callbacks, mailoutbox
):
    dietitian = clinic[0]
    Profile.objects.filter(user=dietitian).update(timezone="Asia/Tokyo")  # UTC+9
    run(django_capture_on_commit_callbacks, datetime(2026, 11, 29, 21, 59, tzinfo=UTC))
    assert mailoutbox == []  # 06:59 in Tokyo
    run(django_capture_on_commit_callbacks, datetime(2026, 11, 29, 22, 0, tzinfo=UTC))
    assert len(mailoutbox) == 1  # 07:00 on Monday 30 November in Tokyo
    assert mailoutbox[0].extra_headers["X-Outbox-Key"].endswith(":2026-11-30")
    run(django_capture_on_commit_callbacks, datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    assert len(mailoutbox) == 1
    run(django_capture_on_commit_callbacks, datetime(2026, 11, 30, 22, 0, tzinfo=UTC))
    assert len(mailoutbox) == 2
    assert mailoutbox[1].extra_headers["X-Outbox-Key"].endswith(":2026-12-01")


def test_no_digest_when_opted_out_or_nobody_flagged(
    clinic, django_capture_on_commit_callbacks, mailoutbox
):
    dietitian = clinic[0]
    Profile.objects.filter(user=dietitian).update(clinic_digest=False)
    calm = make_dietitian()
    happy = UserFactory()
    connect(calm, happy)
    DiaryEntryFactory(user=happy, date=TODAY)
    run(django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert not AccessLog.objects.filter(what=services.DIGEST_SENT).exists()
    # A person who is no dietitian any more gets none either, opted in or not.
    Profile.objects.filter(user=dietitian).update(clinic_digest=True)
    dietitian.is_dietitian = False
    dietitian.save(update_fields=["is_dietitian"])
    run(django_capture_on_commit_callbacks)
    assert mailoutbox == []


def _queries(n_dietitians: int, food) -> tuple[int, int]:
    for _ in range(n_dietitians):
        dietitian = make_dietitian()
        for _ in range(2):
            client = UserFactory()
            connect(dietitian, client)
            DiaryEntryFactory(user=client, food=food, date=date(2026, 11, 20))  # 10 days ago
    OutboxMessage.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        sent = services.clinic_digests_send(digests=selectors.digests_due(now=AT_0800_UTC))
    Profile.objects.update(clinic_digest=False)
    return sent, len(captured)


def test_queries_grow_only_by_each_digests_writes():
    food = FoodFactory()
    per_message = outbox_cost()
    with freeze_time(AT_0800_UTC):
        sent_2, queries_2 = _queries(2, food)
        sent_3, queries_3 = _queries(3, food)
        sent_7, queries_7 = _queries(7, food)
    assert (sent_2, sent_3, sent_7) == (2, 3, 7)
    per_digest = queries_3 - queries_2
    # Each more dietitian costs their message's row, the access-log insert and a savepoint:
    # their clients' days, results and flags are read with everyone else's.
    assert per_digest <= per_message + 3
    assert queries_7 - queries_3 == 4 * per_digest
