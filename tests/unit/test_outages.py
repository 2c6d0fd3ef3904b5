"""What counts as the database out of reach, and an outage logged once each way."""

import logging
import sqlite3

import asyncpg
import pytest
from tortoise.exceptions import DBConnectionError, OperationalError

from app.outages import Outages, outage_cause


def raised(error: BaseException, cause: BaseException | None = None) -> BaseException:
    try:
        raise error from cause
    except BaseException as caught:
        return caught


@pytest.mark.parametrize(
    "error",
    [
        DBConnectionError("refused"),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        sqlite3.OperationalError("database is locked"),
        raised(OperationalError("database is locked"), sqlite3.OperationalError("database is locked")),
        raised(RuntimeError("while signing in"), DBConnectionError("refused")),
    ],
)
def test_the_database_out_of_reach(error: BaseException) -> None:
    assert outage_cause(error) is not None


@pytest.mark.parametrize(
    "error",
    [
        raised(ConnectionRefusedError(111, "Connection refused")),  # not from a database client: a mail server, say
        sqlite3.OperationalError("no such table: meeting"),
        ValueError("a bug"),
        None,
    ],
)
def test_anything_else(error: BaseException | None) -> None:
    assert outage_cause(error) is None


def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(caplog: pytest.LogCaptureFixture) -> None:
    outages = Outages()
    outages.reached()
    with caplog.at_level(logging.WARNING, logger="app.outages"):
        for _ in range(3):
            outages.out_of_reach("ConnectionRefusedError: refused")
        assert outages.ongoing
        for _ in range(3):
            outages.reached()
    assert not outages.ongoing
    assert [record.getMessage().split(" (")[0].split(" after")[0] for record in caplog.records] == [
        "the database is out of reach",
        "the database is back",
    ]
