"""Structured logs: one JSON object per line, with the id of the request (or job) it belongs to.

The standard library only: a small formatter and a context variable. A request gets an id
(a sane incoming `X-Request-ID`, else a new one; `RequestLogMiddleware` echoes it), and a job
that the request starts carries it in its message headers (mgsite/celery.py), so that a
request's lines and its jobs' lines can be found together.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# An incoming id is kept only when it looks like one: short, no spaces or control characters
# that could forge a log line.
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

# The attributes every LogRecord has; anything else on a record came in through `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(candidate: str | None) -> str | None:
    if candidate and _SANE_ID.fullmatch(candidate):
        return candidate
    return None


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message, the request id, and the
    record's `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Set on the record by the request and job lines; any other line takes the current one.
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)
