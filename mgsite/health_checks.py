"""The dependency checks behind `/health/`: each dependency the site needs, with its state.

`/healthz` stays the cheap probe for a load balancer (one query); `/health/` is for people and
monitors who want to know which part is down. Errors are named by their kind only: the answer
is public and must not carry addresses or passwords from a connection string.

The database, the cache and (when `CELERY_BROKER_URL` is set) the broker are checked here;
apps add their own checks through mgsite.registry ("health.checks"), e.g. the outbox's age of
the oldest message still waiting to go out.
"""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from mgsite import registry


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    ms: float
    error: str = ""
    figures: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict:
        answer: dict = {"status": "ok" if self.ok else "down", "ms": round(self.ms, 1)}
        answer.update(self.figures)
        if self.error:
            answer["error"] = self.error
        return answer


class Down(Exception):
    """A probe's answer that its dependency is down although it answered, with its figures."""

    def __init__(self, kind: str, figures: dict[str, Any] | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.figures = figures or {}


def timed(name: str, probe: Callable[[], dict[str, Any] | None]) -> Check:
    """Run `probe` (which may return figures to show, or raise when down) as check `name`."""
    started = time.perf_counter()
    try:
        figures = probe() or {}
    except Down as down:
        return Check(name, False, (time.perf_counter() - started) * 1000, down.kind, down.figures)
    except Exception as exc:  # any failure is "down"; which one is named, not its text
        return Check(name, False, (time.perf_counter() - started) * 1000, type(exc).__name__)
    return Check(name, True, (time.perf_counter() - started) * 1000, figures=figures)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer")


def _cache() -> None:
    # The shared cache holds the rate limits: a value written must read back.
    cache = caches["default"]
    key, value = "health:probe", secrets.token_hex(8)
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the value written did not read back")


def _broker() -> None:
    # A connection within the broker's connection timeout (CELERY_BROKER_CONNECTION_TIMEOUT),
    # one attempt: a broker that does not answer at once is down for this answer.
    from mgsite.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache}


def run_checks() -> list[Check]:
    checks = [timed(name, probe) for name, probe in CHECKS.items()]
    if not settings.CELERY_TASK_ALWAYS_EAGER:  # else jobs run in-process: no broker to check
        checks.append(timed("broker", _broker))
    checks.extend(contributor() for contributor in registry.contributors("health.checks"))
    return checks
