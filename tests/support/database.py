"""Reads the server's SQLite file directly, to assert what is stored."""

import sqlite3
from pathlib import Path
from typing import Any

TABLES = ("meeting", "timeline_event", "ledger_entry", "notification", "user", "service")


def snapshot(database_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a refused action must leave alone."""
    with sqlite3.connect(f"file:{database_path}?mode=ro", uri=True) as connection:
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in TABLES
        }


def rows(database_path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{database_path}?mode=ro", uri=True) as connection:
        return connection.execute(sql, params).fetchall()
