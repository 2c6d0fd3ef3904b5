"""How the server logs: one line per record with its request id, as text or as JSON.

JSON (LOG_FORMAT=json) is for log collectors; the stdlib formatter below is all
it needs, so no extra dependency.
"""

import json
import logging
from typing import Any, Literal

LogFormat = Literal["text", "json"]

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "requestId": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def log_config(log_format: LogFormat) -> dict[str, Any]:
    """A dictConfig for uvicorn.run: uvicorn's loggers and ours through one handler."""
    formatter: dict[str, Any] = {"()": JsonFormatter} if log_format == "json" else {"format": TEXT_FORMAT}
    handler = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "app.request_ids.RequestIdFilter"},
            "library_outages": {"()": "app.outages.LibraryOutageRecords"},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id"],
            },
            # A database client's own records, less those of an outage (logged once by app.outages).
            "database_client": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id", "library_outages"],
            },
        },
        "loggers": {
            "uvicorn": handler,
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": handler,
            "app": handler,
            "asyncpg": {"handlers": ["database_client"], "level": "WARNING", "propagate": False},
        },
    }
