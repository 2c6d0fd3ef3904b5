"""PostgreSQL for the tests: one server per test process, started by pytest-postgresql from the
installed binaries (`tests/support/bin/pg_ctl` finds them and drops root), a fresh database
for each test that asks, copied from a template the migrations ran on once."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

from pytest_postgresql import factories
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor

from tests.support.liveness import postgres_probe, require
from tests.support.migrations import migrate_apart

PG_CTL = Path(__file__).parent / "bin" / "pg_ctl"


def _migrated(*, host: str, port: int, user: str, dbname: str, password: str | None, **_: object) -> None:
    """pytest-postgresql's template loader: the app's migrations, once per server."""
    migrate_apart(f"postgres://{user}@{host}:{port}/{dbname}")


postgresql_server = factories.postgresql_proc(executable=str(PG_CTL), port=None, load=[_migrated])
"""The session's server (a fixture; conftest.py makes it visible to every test)."""
restartable_postgresql_server = factories.postgresql_proc(executable=str(PG_CTL), port=None, load=[_migrated])
"""A server of its own for tests that stop and start it (the session's is in use by others)."""


@contextmanager
def fresh_database(server: PostgreSQLExecutor) -> Iterator[str]:
    """A migrated database on `server`, dropped afterwards; its DATABASE_URL. A server that has
    died fails the test at once (pytest-postgresql would retry each connection for a minute)."""
    require(postgres_probe(server))
    name = f"test_{uuid4().hex[:16]}"
    with DatabaseJanitor(
        connection_timeout=5,
        user=server.user,
        host=server.host,
        port=server.port,
        dbname=name,
        password=server.password,
        template_dbname=server.template_dbname,
    ):
        yield f"postgres://{server.user}@{server.host}:{server.port}/{name}"
