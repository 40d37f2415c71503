"""The outbox's line in `/health/` (registered in OutboxConfig.ready)."""

from datetime import timedelta

from mgsite import health_checks
from outbox import selectors

# A message still waiting after this long means no worker is sending (or the broker lost its
# job and the flush cannot hand it over): "down". The flush hands a message over again after
# a minute, retries wait ten minutes at most, so a working worker never gets near it.
QUEUE_AGE_LIMIT = timedelta(minutes=15)


def oldest_queued_job() -> health_checks.Check:
    def probe() -> dict:
        age = selectors.oldest_queued_age()
        figures = {
            "age_s": 0 if age is None else int(age.total_seconds()),
            "limit_s": int(QUEUE_AGE_LIMIT.total_seconds()),
        }
        if age is not None and age > QUEUE_AGE_LIMIT:
            raise health_checks.Down("QueueTooOld", figures)
        return figures

    return health_checks.timed("oldest_queued_job", probe)
