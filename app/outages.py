"""When the database is out of reach (restarting, refusing connections, locked past its busy
timeout): every request still gets a coded answer (HTTP 503, `SERVICE_UNAVAILABLE`, a
`Retry-After`), and the log gets one line when the outage starts and one when it ends,
never a traceback per request. The process recovers by itself: the next request or job
poll that reaches the database ends the outage.
"""

import logging
import sqlite3
import time
import traceback

import asyncpg
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise.exceptions import DBConnectionError

from app.http_errors import error_response

log = logging.getLogger("app.outages")

SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
RETRY_AFTER_SECONDS = 5
MESSAGE = "the database is out of reach for a moment; retry in a few seconds"

_OUT_OF_REACH: tuple[type[BaseException], ...] = (
    DBConnectionError,
    asyncpg.exceptions.CannotConnectNowError,  # starting up or shutting down
    asyncpg.exceptions.OperatorInterventionError,  # terminated by a shutdown or restart
    asyncpg.exceptions.InterfaceError,  # its connection closed or broken mid-use
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.InternalClientError,  # "another operation is in progress": a connection lost mid-use
)


_DATABASE_CLIENTS = ("/asyncpg/", "/aiosqlite/", "/tortoise/")
"""Where a plain connection error (refused, reset, broken pipe) means the database: raised
from these packages' code. The same error from the mail server is that job's own failure."""


def outage_cause(error: BaseException | None) -> str | None:
    """What put the database out of reach, if that is what `error` (or an error it was raised
    from) says; None for any other error."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        locked = isinstance(error, sqlite3.OperationalError) and "locked" in str(error)
        lost = isinstance(error, ConnectionError) and _raised_in_a_database_client(error)
        if locked or lost or isinstance(error, _OUT_OF_REACH):
            return f"{type(error).__name__}: {error}"[:300]
        error = error.__cause__ or error.__context__
    return None


def _raised_in_a_database_client(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return any(client in frame.filename for frame in frames for client in _DATABASE_CLIENTS)


class LibraryOutageRecords(logging.Filter):
    """Drops a library's own records of an outage (asyncpg's pool retrying its connections,
    each with a traceback): the outage is logged once, here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and outage_cause(record.exc_info[1]) is not None)


class Outages:
    """Whether the database is out of reach, as the last request or job poll found it."""

    def __init__(self) -> None:
        self._since: float | None = None

    @property
    def ongoing(self) -> bool:
        return self._since is not None

    def out_of_reach(self, cause: str) -> None:
        if self._since is None:
            self._since = time.monotonic()
            log.warning("the database is out of reach (%s): answering 503 until it is back", cause)

    def reached(self) -> None:
        if self._since is not None:
            log.warning("the database is back after %.1f s", time.monotonic() - self._since)
            self._since = None


class OutageAnswers:
    """HTTP middleware: an outage that escapes a route (sign-in, a page, the calendar feed)
    is a coded 503, not Starlette's plain-text 500."""

    def __init__(self, app: ASGIApp, outages: Outages) -> None:
        self.app = app
        self.outages = outages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as exc:
            cause = outage_cause(exc)
            if cause is None or started:
                raise
            self.outages.out_of_reach(cause)
            await error_response(503, MESSAGE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})(scope, receive, send)
