"""Test databases start migrated from a template: the migrations run once per test process
(seconds on SQLite), each test or server gets a copy (milliseconds)."""

import asyncio
import atexit
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.api import migrate

from app.db import tortoise_config


def migrate_apart(url: str) -> None:
    """The app's migrations on `url`, in a thread and event loop of their own: callers may be
    inside a test's running loop, and the ORM's connections must not outlive this one."""

    async def migrated() -> None:
        try:
            await migrate(config=tortoise_config(url))
        finally:
            await Tortoise.close_connections()

    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, migrated()).result()


@cache
def _sqlite_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="migrated-sqlite-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    template = folder / "migrated.sqlite3"
    migrate_apart(f"sqlite://{template}")
    return template


def migrated_sqlite(path: Path) -> str:
    """A migrated, empty SQLite database at `path`; its DATABASE_URL."""
    shutil.copyfile(_sqlite_template(), path)
    return f"sqlite://{path}"
