"""The outbox on real workers (`make worker-test`, its own step in .ci/run; not in `make test`).

Real `celery -A mgsite worker -B` processes, as `make worker` runs them, share a real database
with the process that queues the messages; the e-mail is written to files, one per delivered
message with its outbox key in a header, so deliveries are counted across processes. The kill
test queues 200 messages, kills the worker (SIGKILL, the whole process group) after some were
sent, starts a new one, waits until every row is sent and counts each key's deliveries.

The database: a fresh SQLite file, or, when DATABASE_URL names PostgreSQL, a fresh database
beside it (its name + "_worker"). The brokers: WORKER_TEST_REDIS_URL (default
redis://127.0.0.1:6379/3) and WORKER_TEST_AMQP_URL (default amqp://guest:guest@127.0.0.1:5672//),
each with a queue of its own that is deleted afterwards.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from email import message_from_bytes
from pathlib import Path

import environ
import pytest
from kombu import Connection

from tests.outbox.conftest import broker

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parents[2]
BROKERS = {
    "redis": os.environ.get("WORKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/3"),
    "rabbitmq": os.environ.get("WORKER_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
}
MESSAGES = 200
KILL_AFTER = 40  # deliveries seen before the worker is killed
SEND_SECONDS = 0.1  # each message's "SMTP conversation" in the test backend
REQUEST_ID = "kill-test-request-0001"

QUEUE_SCRIPT = """
from django.db import transaction
from mgsite import logs
from outbox.services import email_queue
logs.request_id_var.set({request_id!r})
with transaction.atomic():
    for number in range({count}):
        email_queue(to=f"person{{number}}@example.com", subject=f"Message {{number}}",
                    text="Hello", key=f"kill-test:{{number}}", category="kill_test")
"""


def _database_url(tmp_path: Path) -> str:
    """A fresh database for the workers and this test to share."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    import psycopg

    config = environ.Env.db_url_config(configured)
    name = f"{config['NAME']}_worker"
    admin = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return configured.rsplit("/", 1)[0] + "/" + name


def _status_counts(database_url: str) -> dict[str, int]:
    sql = "SELECT status, COUNT(*) FROM outbox_outboxmessage GROUP BY status"
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=20) as conn:
            return dict(conn.execute(sql).fetchall())
    import psycopg

    with psycopg.connect(database_url) as conn:
        return dict(conn.execute(sql).fetchall())


class Workers:
    """The subprocesses of one test, all sharing its environment."""

    def __init__(self, tmp_path: Path, broker_url: str, database_url: str) -> None:
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.queue = f"mgsite-worker-test-{uuid.uuid4().hex[:12]}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.outbox.worker_settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_QUEUE": self.queue,
            "OUTBOX_TEST_MAIL_DIR": str(self.mail_dir),
            "OUTBOX_TEST_SEND_SECONDS": str(SEND_SECONDS),
        }
        self.running: list[subprocess.Popen] = []

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, timeout=120
        )

    def start(self, name: str, *, concurrency: int = 2) -> subprocess.Popen:
        log = (self.tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "mgsite", "worker", "-B"),
                *("--schedule", str(self.tmp_path / f"{name}-beat-schedule")),
                *("--loglevel", "info", "--concurrency", str(concurrency), "-Q", self.queue),
                *("-n", f"{name}@%h", "--without-gossip", "--without-mingle"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool dies with it
        )
        self.running.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill(process)

    def deliveries(self) -> list[str]:
        """The outbox key of each delivered message (whole files only)."""
        return [
            message_from_bytes(path.read_bytes())["X-Outbox-Key"]
            for path in sorted(self.mail_dir.glob("*.eml"))
        ]

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")

    def close(self, broker_url: str) -> None:
        for process in self.running:
            self.stop(process)
        with Connection(broker_url, connect_timeout=5) as conn:
            conn.default_channel.queue_delete(self.queue)


def _wait_for(condition, timeout: float, what: str, *, every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


@pytest.fixture(params=list(BROKERS))
def workers(request, tmp_path):
    broker_url = BROKERS[request.param]
    try:
        with Connection(broker_url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        pytest.fail(f"the {request.param} broker is not reachable: {type(exc).__name__}")
    database_url = _database_url(tmp_path)
    started = Workers(tmp_path, broker_url, database_url)
    started.broker = request.param
    started.database_url = database_url
    started.manage("migrate", "--noinput", "-v", "0")
    yield started
    started.close(broker_url)


def test_every_message_is_sent_exactly_once_when_the_worker_is_killed_mid_job(workers, capsys):
    started_at = time.monotonic()
    workers.manage(
        "shell", "--no-imports", "-c", QUEUE_SCRIPT.format(count=MESSAGES, request_id=REQUEST_ID)
    )  # committed, and each job handed to the broker
    queued_in = time.monotonic() - started_at
    # One process, so that the kill's moment is known: just after a delivery it commits and
    # starts the next "conversation"; the kill lands in the middle of that one. (The window
    # between the mail server's "accepted" and the commit, a few milliseconds, is the one a
    # kill could turn into a duplicate: docs/deploy.md says so. With two processes the other
    # one would be in it by chance a few times in a hundred runs.)
    first = workers.start("first", concurrency=1)
    _wait_for(
        lambda: len(workers.deliveries()) >= KILL_AFTER,
        120,
        f"{KILL_AFTER} deliveries",
        every=0.005,
    )
    time.sleep(SEND_SECONDS / 2)
    workers.kill(first)
    killed_after = len(workers.deliveries())
    killed_at = time.monotonic() - started_at
    # The messages whose "conversation" the kill cut short (their markers stay behind).
    cut_short = sorted(p.name.removesuffix(".sending") for p in workers.mail_dir.glob("*.sending"))
    status_at_kill = _status_counts(workers.database_url)

    second = workers.start("second")
    _wait_for(
        lambda: _status_counts(workers.database_url).get("sent", 0) == MESSAGES,
        180,
        "every message to be sent",
    )
    workers.stop(second)  # a warm shutdown: nothing more can be on its way

    keys = workers.deliveries()
    duplicates = len(keys) - len(set(keys))
    skipped = workers.log("second").count('"outcome": "skipped"')
    with capsys.disabled():  # the figures, whatever the output capture
        print(
            f"\nkill test on {workers.broker} ({workers.database_url.split(':')[0]}): "
            f"queued {MESSAGES}, killed after {killed_after} delivered "
            f"({status_at_kill.get('sent', 0)} marked sent, {len(cut_short)} cut short mid-send), "
            f"sent {len(set(keys))}, jobs run again and skipped {skipped}, "
            f"deliveries {len(keys)}, duplicates {duplicates}, "
            f"(queued by {queued_in:.0f} s, killed at {killed_at:.0f} s, "
            f"all sent at {time.monotonic() - started_at:.0f} s)"
        )
    assert set(keys) == {f"kill-test:{number}" for number in range(MESSAGES)}
    assert duplicates == 0
    assert cut_short, "the kill did not land inside a job: nothing was tested"
    assert all(keys.count(key) == 1 for key in cut_short)
    assert _status_counts(workers.database_url) == {"sent": MESSAGES}
    # The jobs' log lines carry the id of the request that queued them.
    job_lines = [line for line in workers.log("second").splitlines() if '"event": "job"' in line]
    assert job_lines and all(REQUEST_ID in line for line in job_lines if "send_message" in line)
    assert "person0@example.com" not in workers.log("first") + workers.log("second")


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(BROKERS))
def test_health_sees_a_running_broker(client, settings, name):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with broker(BROKERS[name]):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["status"] == "ok"
