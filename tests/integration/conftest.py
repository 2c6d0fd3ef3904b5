from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise import Tortoise

from app.db import apply_migrations, tortoise_config
from app.settings import Settings


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Path]:
    """A migrated SQLite file with the ORM bound to it, in this test's loop."""
    path = tmp_path / "integration.sqlite3"
    settings = Settings(database_url=f"sqlite://{path}", data_dir=tmp_path, jwt_secret="integration-test-secret-0123456789abcdef")
    await apply_migrations(settings)
    await Tortoise.init(config=tortoise_config(settings.resolved_database_url))
    try:
        yield path
    finally:
        await Tortoise.close_connections()
