"""PostgreSQL for the tests: one server per test process, started by pytest-postgresql from the
installed binaries (`tests/support/bin/pg_ctl` finds them and drops root), a fresh database
for each test that asks, copied from a template the migrations ran on once."""

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

from pytest_postgresql import factories
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor
from tortoise import Tortoise
from tortoise.migrations.api import migrate

from app.db import tortoise_config

PG_CTL = Path(__file__).parent / "bin" / "pg_ctl"


def _migrated(*, host: str, port: int, user: str, dbname: str, password: str | None, **_: object) -> None:
    """pytest-postgresql's template loader: the app's migrations, once per server."""
    url = f"postgres://{user}@{host}:{port}/{dbname}"

    async def migrate_template() -> None:
        try:
            await migrate(config=tortoise_config(url))
        finally:
            await Tortoise.close_connections()

    # Called while a test's event loop runs (the server starts when a test first asks for it).
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, migrate_template()).result()


postgresql_server = factories.postgresql_proc(executable=str(PG_CTL), port=None, load=[_migrated])
"""The session's server (a fixture; conftest.py makes it visible to every test)."""


@contextmanager
def fresh_database(server: PostgreSQLExecutor) -> Iterator[str]:
    """A migrated database on `server`, dropped afterwards; its DATABASE_URL."""
    name = f"test_{uuid4().hex[:16]}"
    with DatabaseJanitor(
        user=server.user,
        host=server.host,
        port=server.port,
        dbname=name,
        password=server.password,
        template_dbname=server.template_dbname,
    ):
        yield f"postgres://{server.user}@{server.host}:{server.port}/{name}"
