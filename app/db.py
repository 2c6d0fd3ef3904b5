"""Tortoise configuration and start-up: migrations are applied before serving."""

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise import Tortoise, connections, fields
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations import operations as ops
from tortoise.migrations.api import migrate

from app.settings import Settings

MODELS_MODULES = ["app.models"]
MIGRATIONS_MODULE = "app.migrations"


SQLITE_BUSY_TIMEOUT_MS = 10_000


def _connection(database_url: str) -> str | dict[str, Any]:
    """SQLite: transactions begun IMMEDIATE (app/sqlite_immediate) and a busy timeout, so
    that every connection to the file (the server, its job poller, a command beside it)
    waits its turn to write rather than failing "database is locked"."""
    if not database_url.startswith("sqlite://"):
        return database_url
    connection = expand_db_url(database_url)
    connection["engine"] = "app.sqlite_immediate"
    connection["credentials"].setdefault("busy_timeout", SQLITE_BUSY_TIMEOUT_MS)
    return connection


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": _connection(database_url)},
        "apps": {
            "models": {
                "models": MODELS_MODULES,
                "migrations": MIGRATIONS_MODULE,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def apply_migrations(settings: Settings) -> None:
    try:
        await migrate(config=tortoise_config(settings.resolved_database_url))
    finally:
        await Tortoise.close_connections()


def on_postgres() -> bool:
    """Whether the ORM's connection is PostgreSQL (the few places where the SQL differs ask)."""
    return bool(connections.get("default").capabilities.dialect == "postgres")


def sqlite_only(statements: list[str]) -> Callable[[Any, Any], Awaitable[None]]:
    """A RunPython step that runs `statements` on SQLite and does nothing elsewhere
    (PostgreSQL gets its own guards: `postgres_only`)."""
    return _on_dialect("sqlite", statements)


def postgres_only(statements: list[str]) -> Callable[[Any, Any], Awaitable[None]]:
    """A RunPython step that runs `statements` on PostgreSQL and does nothing elsewhere."""
    return _on_dialect("postgres", statements)


def _on_dialect(dialect: str, statements: list[str]) -> Callable[[Any, Any], Awaitable[None]]:
    async def run(apps: Any, schema_editor: Any) -> None:
        client = schema_editor.client
        if client.capabilities.dialect != dialect:
            return
        for statement in statements:
            await client.execute_script(statement)

    return run


class _StateOnly(ops.TortoiseOperation):
    """Records a change in the migration state and leaves the database to other steps."""

    async def database_forward(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def database_backward(self, *args: Any, **kwargs: Any) -> None:
        return None


class AlterEnumValues(_StateOnly, ops.AlterField):
    """A CharEnumField whose enum gained values: only the recorded description changes.

    The column is plain text on every database (no CHECK constraint), so nothing is
    altered; tortoise's AlterField would rebuild the whole table on SQLite, losing the
    partial indexes and triggers made with RunSQL/RunPython.
    """


class _RecordedField(_StateOnly, ops.AddField):
    pass


def add_counter(model_name: str, table: str, name: str, sql_type: str = "INT") -> list[ops.TortoiseOperation]:
    """A NOT NULL integer column that starts at 0 in existing rows too.

    tortoise's AddField emits no DEFAULT, which SQLite refuses on a table with rows.
    """
    field = fields.BigIntField(default=0) if sql_type == "BIGINT" else fields.IntField(default=0)
    return [
        ops.RunSQL(
            f'ALTER TABLE "{table}" ADD COLUMN "{name}" {sql_type} NOT NULL DEFAULT 0',
            f'ALTER TABLE "{table}" DROP COLUMN "{name}"',
        ),
        _RecordedField(model_name=model_name, name=name, field=field),
    ]
