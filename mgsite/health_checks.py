"""The dependency checks behind `/health/`: each dependency the site needs, with its state.

`/healthz` stays the cheap probe for a load balancer (one query); `/health/` is for people and
monitors who want to know which part is down. Errors are named by their kind only: the answer
is public and must not carry addresses or passwords from a connection string.
"""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connection


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    ms: float
    error: str = ""

    def as_json(self) -> dict:
        answer: dict = {"status": "ok" if self.ok else "down", "ms": round(self.ms, 1)}
        if self.error:
            answer["error"] = self.error
        return answer


def _timed(name: str, probe: Callable[[], None]) -> Check:
    started = time.perf_counter()
    try:
        probe()
    except Exception as exc:  # any failure is "down"; which one is named, not its text
        return Check(name, False, (time.perf_counter() - started) * 1000, type(exc).__name__)
    return Check(name, True, (time.perf_counter() - started) * 1000)


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


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache}


def run_checks() -> list[Check]:
    return [_timed(name, probe) for name, probe in CHECKS.items()]
