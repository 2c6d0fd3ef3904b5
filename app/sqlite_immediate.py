"""Tortoise's SQLite engine with every transaction begun IMMEDIATE.

Tortoise begins transactions with a plain (deferred) BEGIN: the transaction reads under a
snapshot and asks for the write lock only at its first write. If another connection (the
CLI beside the server, a second job poller) wrote meanwhile, SQLite cannot upgrade the stale
snapshot and answers "database is locked" at once, without waiting out the busy timeout.
BEGIN IMMEDIATE takes the write lock first, waiting up to the busy timeout for it, so
writers on one file take turns. Tortoise's internals are used here only behind the pinned
tortoise-orm in the locks; tests/test_commands_beside_a_server.py fails without it.
"""

import sqlite3

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionContext, SqliteTransactionWrapper
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
