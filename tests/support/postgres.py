"""PostgreSQL for the tests: one server per test process, started by pytest-postgresql from the
installed binaries (`tests/support/bin/pg_ctl` finds them and drops root), a fresh database
for each test that asks."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

from pytest_postgresql import factories
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor

PG_CTL = Path(__file__).parent / "bin" / "pg_ctl"

postgresql_server = factories.postgresql_proc(executable=str(PG_CTL), port=None)
"""The session's server (a fixture; conftest.py makes it visible to every test)."""


@contextmanager
def fresh_database(server: PostgreSQLExecutor) -> Iterator[str]:
    """An empty database on `server`, dropped afterwards; its DATABASE_URL."""
    name = f"test_{uuid4().hex[:16]}"
    with DatabaseJanitor(user=server.user, host=server.host, port=server.port, dbname=name, password=server.password):
        yield f"postgres://{server.user}@{server.host}:{server.port}/{name}"
