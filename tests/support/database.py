"""Reads the server's SQLite file directly, to assert what is stored."""

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TABLES = (
    "meeting", "timeline_event", "ledger_entry", "notification", "user", "service",
    "note", "review", "scheduled_job",
)


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


def quiet_snapshot(database_path: Path, clock_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """A snapshot taken once the server has no timed job due at its clock, so that only
    the request under test can change what follows."""
    text = clock_path.read_text().strip() if clock_path.exists() else ""
    now = datetime.fromisoformat(text) if text else datetime.now(UTC)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        busy = [
            due for (due, status) in rows(
                database_path, "SELECT due_at, status FROM scheduled_job WHERE status IN ('PENDING', 'RUNNING')"
            )
            if status == "RUNNING" or datetime.fromisoformat(due) <= now
        ]
        if not busy:
            return snapshot(database_path)
        time.sleep(0.05)
    raise AssertionError("the server's timed jobs did not settle within 10 s")
